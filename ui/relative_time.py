"""Times as people say them: "3 days ago", with the exact time kept for tooltips."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale

_MINUTE = 60
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_WEEK = 7 * _DAY
_MONTH = 30 * _DAY
_YEAR = 365 * _DAY


def relative(moment: datetime | None, now: datetime, *, never: str = "Never") -> str:
    """``moment`` relative to ``now``: "just now", "5 minutes ago", "3 days ago"."""
    if moment is None:
        return never
    seconds = (now - moment).total_seconds()
    # Tokens are never made in the future; a moment ahead of ``now`` means another
    # workstation's clock runs fast, and "in 2 minutes" would only confuse.
    return "just now" if seconds < 60 else f"{_span(seconds)} ago"


def ahead(moment: datetime, now: datetime) -> str:
    """How long until ``moment``: "in 3 days", "in 5 hours", "in less than a minute"."""
    seconds = (moment - now).total_seconds()
    return "in less than a minute" if seconds < 60 else f"in {_span(seconds)}"


def _span(seconds: float) -> str:
    """A minute or more, rounded to the nearest whole unit: "5 minutes", "7 days",
    "3 months", "1 year".

    Rounded, not cut: a token made for 7 days is a few seconds short of 7 days when its
    row is first drawn, and cutting read "6 days" (and 90 days "2 months"). Each unit
    serves until the rounded count reaches the next ("23.6 hours" is "1 day", never
    "24 hours"); days serve up to two weeks, so the app's own "7 days" reads as chosen.
    """
    minutes = _rounded(seconds, _MINUTE)
    if minutes < 60:
        return _count(minutes, "minute")
    hours = _rounded(seconds, _HOUR)
    if hours < 24:
        return _count(hours, "hour")
    days = _rounded(seconds, _DAY)
    if days < 14:
        return _count(days, "day")
    if days < 30:
        return _count(_rounded(seconds, _WEEK), "week")
    months = _rounded(seconds, _MONTH)
    if months < 12:
        return _count(months, "month")
    return _count(_rounded(seconds, _YEAR), "year")


def _rounded(seconds: float, unit: int) -> int:
    """``seconds`` in whole ``unit``s, halves up (``round`` would make 2.5 days 2)."""
    return max(1, int(seconds / unit + 0.5))


def _count(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def exact(moment: datetime | None) -> str:
    """The local date and time with its zone, for a tooltip."""
    if moment is None:
        return "Never used"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z").strip()


def local_date_time(moment: datetime) -> str:
    """The date and time as the user's locale writes them, in their time zone, with the
    zone named: "Tuesday, 1 December 2026, 09:30 CET" (English), "Dienstag,
    1. Dezember 2026, 09:30 MEZ" (German)."""
    local = moment.astimezone()
    shown = QDateTime.fromMSecsSinceEpoch(round(moment.timestamp() * 1000)).toLocalTime()
    locale = QLocale()
    day = locale.toString(shown.date(), QLocale.FormatType.LongFormat)
    time = locale.toString(shown.time(), QLocale.FormatType.ShortFormat)
    zone = local.strftime("%Z").strip()
    return f"{day}, {time} {zone}".strip()
