"""Durations, token policies, expiry choices and statuses: the rules, without storage."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app import lifecycle
from app.errors import ValidationError
from app.lifecycle import Expiry, TokenPolicy

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("12h", timedelta(hours=12)),
        ("30d", timedelta(days=30)),
        ("2w", timedelta(weeks=2)),
        ("1y", timedelta(days=365)),
        (" 7d ", timedelta(days=7)),
    ],
)
def test_durations_are_an_integer_and_a_unit(text, duration):
    assert lifecycle.parse_duration(text) == duration


@pytest.mark.parametrize(
    "text",
    [
        "",
        "30",
        "d",
        "1.5d",
        "-1d",
        "30D",
        "30 d",
        "1m",
        "1d2h",
        "\u0663d",
        "\uff11d",
        "1_0d",
        "9999999d",
    ],
)
def test_anything_else_is_not_a_duration(text):
    with pytest.raises(ValueError, match="h \\(hours\\)"):
        lifecycle.parse_duration(text)


def test_zero_is_a_duration_only_where_allowed():
    with pytest.raises(ValueError, match="longer than zero"):
        lifecycle.parse_duration("0h")
    assert lifecycle.parse_duration("0h", allow_zero=True) == timedelta(0)


@pytest.mark.parametrize(
    ("duration", "said"),
    [
        (timedelta(days=90), "90 days"),
        (timedelta(days=365), "1 year"),
        (timedelta(weeks=2), "2 weeks"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=36), "36 hours"),
    ],
)
def test_durations_are_described_in_the_largest_whole_unit(duration, said):
    assert lifecycle.describe_duration(duration) == said


def test_the_default_policy_is_90_days_no_maximum_no_expiry_allowed():
    policy = TokenPolicy()
    assert Expiry.default().resolve(NOW, policy) == NOW + timedelta(days=90)
    assert Expiry.no_expiry().resolve(NOW, policy) is None
    assert Expiry.after(timedelta(days=400)).resolve(NOW, policy) == NOW + timedelta(days=400)


def test_a_date_expires_at_midnight_utc_and_must_be_in_the_future():
    assert Expiry.on(date(2026, 7, 1)).resolve(NOW, TokenPolicy()) == datetime(
        2026, 7, 1, tzinfo=UTC
    )
    with pytest.raises(ValidationError, match="not in the future"):
        Expiry.on(date(2026, 6, 1)).resolve(NOW, TokenPolicy())


def test_a_maximum_refuses_longer_lifetimes_and_no_expiry():
    strict = TokenPolicy(timedelta(days=30), timedelta(days=90), allow_no_expiry=False)
    assert Expiry.after(timedelta(days=90)).resolve(NOW, strict) == NOW + timedelta(days=90)
    with pytest.raises(ValidationError, match="maximum token lifetime of 90 days"):
        Expiry.after(timedelta(days=91)).resolve(NOW, strict)
    with pytest.raises(ValidationError, match="does not allow tokens that never expire"):
        Expiry.no_expiry().resolve(NOW, strict)


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (TokenPolicy(timedelta(days=30), timedelta(days=90), True), "cannot allow"),
        (TokenPolicy(timedelta(days=100), timedelta(days=90), False), "cannot be longer"),
        (TokenPolicy(None, None, False), "cannot be No expiry"),
    ],
)
def test_a_policy_that_contradicts_itself_is_refused(policy, message):
    with pytest.raises(ValidationError, match=message):
        policy.check()


@pytest.mark.parametrize(
    ("expires_at", "replaced_by", "status"),
    [
        (None, None, "active"),
        (NOW + timedelta(days=8), None, "active"),
        (NOW + timedelta(days=7), None, "expiring"),
        (NOW + timedelta(hours=1), 9, "retiring"),
        (NOW, None, "expired"),
        (NOW - timedelta(seconds=1), 9, "expired"),
    ],
)
def test_status(expires_at, replaced_by, status):
    assert lifecycle.status(expires_at, replaced_by, NOW) == status
