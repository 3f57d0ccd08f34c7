"""Durations as people type them: ``12h``, ``30d``, ``2w``, ``1y``.

Free of dataclasses and peewee: the command line's parser uses it on every run, verify's
included.
"""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
    "y": timedelta(days=365),
}
_UNIT_NAMES = {"h": "hour", "d": "day", "w": "week", "y": "year"}
_DURATION = re.compile(r"([0-9]+)([hdwy])", re.ASCII)
# The longest duration anyone may type: added to any date of this millennium it stays
# within what a datetime holds (year 9999), and as whole hours within a 32-bit column.
MAX_DURATION = timedelta(days=365 * 1000)

# A token expiring within this reads "expiring" and is marked in the app.
EXPIRING_WITHIN = timedelta(days=7)
# The default of a new project's policy, and of every project made before policies.
DEFAULT_LIFETIME = timedelta(days=90)

DURATION_HELP = "an integer and a unit: h (hours), d (days), w (weeks) or y (365 days), e.g. 30d"


def parse_duration(text: str, *, allow_zero: bool = False) -> timedelta:
    """``12h``, ``30d``, ``2w``, ``1y`` as a timedelta, at most MAX_DURATION; ValueError
    for anything else."""
    match = _DURATION.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not a duration ({DURATION_HELP})")
    digits, unit = match.group(1).lstrip("0") or "0", match.group(2)
    most = MAX_DURATION // _UNITS[unit]
    # int() refuses thousands of digits with a message of its own: lengths first.
    count = int(digits) if len(digits) <= len(str(most)) else None
    if count is None or count > most:
        typed = match.group(0) if len(match.group(0)) <= 20 else match.group(0)[:16] + "\u2026"
        raise ValueError(
            f"the duration {typed} is too long: at most "
            f"{describe_duration(MAX_DURATION)} ({most}{unit})"
        )
    if count == 0 and not allow_zero:
        raise ValueError("a duration must be longer than zero")
    return count * _UNITS[unit]


def describe_duration(duration: timedelta) -> str:
    """A duration as people say it, in the largest unit that divides it: "90 days",
    "1 year", "36 hours" (days rather than weeks: lifetimes are chosen in days)."""
    for unit in ("y", "d", "h"):
        count, rest = divmod(duration, _UNITS[unit])
        if not rest and count:
            return f"{count} {_UNIT_NAMES[unit]}{'' if count == 1 else 's'}"
    return f"{duration.total_seconds() / 3600:g} hours"


_MINUTE = 60
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_WEEK = 7 * _DAY
_MONTH = 30 * _DAY
_YEAR = 365 * _DAY


def nearest_unit(seconds: float) -> tuple[str, int]:
    """A minute or more, rounded to the nearest whole unit: ("minute", 5), ("day", 7),
    ("month", 3), ("year", 1); what the app and the command line say of a time.

    Rounded, not cut: a token made for 7 days is a few seconds short of 7 days when it
    is first shown, and cutting read "6 days" (and 90 days "2 months"). Each unit serves
    until the rounded count reaches the next ("23.6 hours" is "1 day", never "24 hours");
    days serve up to two weeks, so the app's own "7 days" reads as chosen.
    """
    minutes = _rounded(seconds, _MINUTE)
    if minutes < 60:
        return "minute", minutes
    hours = _rounded(seconds, _HOUR)
    if hours < 24:
        return "hour", hours
    days = _rounded(seconds, _DAY)
    if days < 14:
        return "day", days
    if days < 30:
        return "week", _rounded(seconds, _WEEK)
    months = _rounded(seconds, _MONTH)
    if months < 12:
        return "month", months
    return "year", _rounded(seconds, _YEAR)


def _rounded(seconds: float, unit: int) -> int:
    """``seconds`` in whole ``unit``s, halves up (``round`` would make 2.5 days 2)."""
    return max(1, int(seconds / unit + 0.5))
