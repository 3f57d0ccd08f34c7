"""Durations, token policies, expiry choices and statuses: the rules, without storage."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app import lifecycle
from app.errors import ValidationError
from app.lifecycle import Expiry, TokenPolicy

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


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


def test_a_lifetime_beyond_any_date_is_refused_not_a_crash():
    endless = timedelta(days=365 * 999999)
    with pytest.raises(ValidationError, match="lifetime of 999999 years is too long"):
        Expiry.after(endless).resolve(NOW, TokenPolicy())
    with pytest.raises(ValidationError, match="default lifetime of 999999 years is too long"):
        TokenPolicy(default_lifetime=endless).check()
    with pytest.raises(ValidationError, match="maximum lifetime of 999999 years is too long"):
        TokenPolicy(timedelta(days=30), endless, allow_no_expiry=False).check()
    # A policy stored before the limit: a new token is refused, with the reason.
    with pytest.raises(ValidationError, match="at most 1000 years"):
        Expiry.default().resolve(NOW, TokenPolicy(default_lifetime=endless))


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
