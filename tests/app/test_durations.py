"""Durations as people type them, and as the app says them back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import durations


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("12h", timedelta(hours=12)),
        ("30d", timedelta(days=30)),
        ("2w", timedelta(weeks=2)),
        ("1y", timedelta(days=365)),
        (" 7d ", timedelta(days=7)),
        ("1000y", timedelta(days=365_000)),  # the longest
        ("8760000h", timedelta(days=365_000)),
    ],
)
def test_durations_are_an_integer_and_a_unit(text, duration):
    assert durations.parse_duration(text) == duration


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
    ],
)
def test_anything_else_is_not_a_duration(text):
    with pytest.raises(ValueError, match="h \\(hours\\)"):
        durations.parse_duration(text)


@pytest.mark.parametrize(
    ("text", "most"),
    [
        ("999999y", "1000y"),
        ("1001y", "1000y"),
        ("52143w", "52142w"),
        ("365001d", "365000d"),
        ("9999999d", "365000d"),
        ("8760001h", "8760000h"),
        ("9" * 5000 + "d", "365000d"),  # more digits than int() takes
    ],
)
def test_durations_longer_than_a_thousand_years_are_refused_saying_the_limit(text, most):
    with pytest.raises(ValueError, match="is too long: at most 1000 years") as refused:
        durations.parse_duration(text, allow_zero=True)
    assert f"({most})" in str(refused.value)
    assert len(str(refused.value)) < 100  # one short line, whatever was typed


def test_zero_is_a_duration_only_where_allowed():
    with pytest.raises(ValueError, match="longer than zero"):
        durations.parse_duration("0h")
    assert durations.parse_duration("0h", allow_zero=True) == timedelta(0)


@pytest.mark.parametrize(
    ("duration", "said"),
    [
        (timedelta(days=90), "90 days"),
        (timedelta(days=365), "1 year"),
        (timedelta(weeks=2), "14 days"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=36), "36 hours"),
    ],
)
def test_durations_are_described_in_the_largest_whole_unit(duration, said):
    assert durations.describe_duration(duration) == said


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (60, ("minute", 1)),
        (3 * 60 + 59, ("minute", 4)),  # nearest, not cut
        (23.6 * 3600, ("day", 1)),  # never "24 hours"
        (7 * 86400 - 5, ("day", 7)),  # a 7-day token just made
        (20 * 86400, ("week", 3)),
        (90 * 86400, ("month", 3)),
        (364 * 86400, ("year", 1)),
    ],
)
def test_a_time_is_said_in_its_nearest_unit(seconds, said):
    assert durations.nearest_unit(seconds) == said
