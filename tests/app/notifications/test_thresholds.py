"""Expiry warning thresholds: parsed, described, and judged with ``<=`` so that a missed
run catches up, with one warning for the nearest of several thresholds passed at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.notifications import thresholds

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "days"),
    [("30,7,1", (30, 7, 1)), ("1, 7 ,30", (30, 7, 1)), ("14d,3d", (14, 3)), ("none", ()),
     (" NONE ", ()), ("7,7", (7,)), ("3650", (3650,))],
)  # fmt: skip
def test_thresholds_are_parsed_farthest_first(text, days):
    assert thresholds.parse_days(text) == days
    assert thresholds.from_stored(thresholds.stored(days)) == days


@pytest.mark.parametrize(
    ("text", "why"),
    [("", "whole numbers"), ("30,,7", "whole numbers"), ("-1", "whole numbers"),
     ("1.5", "whole numbers"), ("٣", "whole numbers"), ("0", "from 1 to 3650"),
     ("3651", "from 1 to 3650"), (",".join(map(str, range(1, 12))), "at most 10")],
)  # fmt: skip
def test_bad_thresholds_are_refused_with_the_reason(text, why):
    with pytest.raises(ValidationError, match=why):
        thresholds.parse_days(text)


def test_no_setting_means_the_default_and_descriptions_read_well():
    assert thresholds.from_stored(None) == thresholds.DEFAULT_DAYS == (30, 7, 1)
    assert thresholds.describe((30, 7, 1)) == "30, 7 and 1 days before expiry"
    assert thresholds.describe((1,)) == "1 day before expiry"
    assert thresholds.describe((14,)) == "14 days before expiry"
    assert thresholds.describe(()) == "no expiry warnings"


def test_a_threshold_is_passed_from_the_moment_it_is_reached():
    days = (30, 7, 1)
    assert thresholds.passed(days, NOW + timedelta(days=31), NOW) == set()
    assert thresholds.passed(days, NOW + timedelta(days=30), NOW) == {30}
    assert thresholds.passed(days, NOW + timedelta(days=6, hours=23), NOW) == {30, 7}
    assert thresholds.passed(days, NOW + timedelta(seconds=1), NOW) == {30, 7, 1}


def test_an_expired_token_is_past_warning():
    assert thresholds.passed((30, 7, 1), NOW, NOW) == set()
    assert thresholds.passed((30, 7, 1), NOW - timedelta(days=1), NOW) == set()


def test_several_thresholds_at_once_give_one_warning_for_the_nearest():
    assert thresholds.to_record({30, 7}, set()) == ({30, 7}, 7)
    assert thresholds.to_record({30, 7, 1}, {30}) == ({7, 1}, 1)
    assert thresholds.to_record({30, 7}, {30, 7}) == (set(), None)


def test_a_farther_threshold_added_later_is_recorded_without_a_warning():
    # 7 was warned about; the project then adds 14: nothing nearer to say.
    assert thresholds.to_record({30, 14, 7}, {30, 7}) == ({14}, None)


@given(
    st.lists(st.integers(1, 60), min_size=1, max_size=5, unique=True),
    st.lists(st.integers(0, 24 * 61), min_size=1, max_size=8),
)
def test_each_threshold_is_recorded_once_and_warnings_only_get_nearer(days, hours_left):
    """Runs at any moments, in time order: every threshold is recorded exactly once, and
    each warning is for a nearer threshold than the one before."""
    expires = NOW + timedelta(days=61)
    recorded: set[int] = set()
    seen: set[int] = set()
    warned: list[int] = []
    for left in sorted(hours_left, reverse=True):
        now = expires - timedelta(hours=left)
        seen |= thresholds.passed(days, expires, now)
        new, nearest = thresholds.to_record(thresholds.passed(days, expires, now), recorded)
        assert not new & recorded
        recorded |= new
        if nearest is not None:
            assert nearest in new
            assert not warned or nearest < warned[-1]
            warned.append(nearest)
    assert recorded == seen
