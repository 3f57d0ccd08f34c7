"""Times as people say them, in their language: "3 days ago", with the exact time kept
for tooltips."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale

from app.durations import nearest_unit
from ui.translated import TranslationContext, counted


class RelativeTime(TranslationContext):
    """The context these texts are translated in."""


def relative(moment: datetime | None, now: datetime, *, never: str | None = None) -> str:
    """``moment`` relative to ``now``: "just now", "5 minutes ago", "3 days ago";
    ``never`` (default "Never") when there is no moment."""
    if moment is None:
        return RelativeTime.tr("Never") if never is None else never
    seconds = (now - moment).total_seconds()
    # Tokens are never made in the future; a moment ahead of ``now`` means another
    # workstation's clock runs fast, and "in 2 minutes" would only confuse.
    if seconds < 60:
        return RelativeTime.tr("just now")
    return _said(_AGO, *nearest_unit(seconds))


def ahead(moment: datetime, now: datetime) -> str:
    """How long until ``moment``: "in 3 days", "in 5 hours", "in less than a minute"."""
    seconds = (moment - now).total_seconds()
    if seconds < 60:
        return RelativeTime.tr("in less than a minute")
    return _said(_IN, *nearest_unit(seconds))


def left(moment: datetime, now: datetime) -> str:
    """How long is left until ``moment``, as in "Retiring, 5 hours left": "5 hours",
    "less than a minute"."""
    seconds = (moment - now).total_seconds()
    if seconds < 60:
        return RelativeTime.tr("less than a minute")
    return _said(_LEFT, *nearest_unit(seconds))


def in_days(days: int) -> str:
    """ "in 90 days": a lifetime just chosen, counted in days."""
    return _said(_IN, "day", days)


def _said(forms: dict[str, Callable[[int], str]], unit: str, count: int) -> str:
    return counted(forms[unit](count), count)


# Each unit and use its own text: languages decline the unit differently after "ago",
# "in" and alone (German: "vor 3 Tagen", "in 3 Tagen", "noch 3 Tage").
_AGO: dict[str, Callable[[int], str]] = {
    "minute": lambda n: RelativeTime.tr("%n minute(s) ago", "", n),
    "hour": lambda n: RelativeTime.tr("%n hour(s) ago", "", n),
    "day": lambda n: RelativeTime.tr("%n day(s) ago", "", n),
    "week": lambda n: RelativeTime.tr("%n week(s) ago", "", n),
    "month": lambda n: RelativeTime.tr("%n month(s) ago", "", n),
    "year": lambda n: RelativeTime.tr("%n year(s) ago", "", n),
}
_IN: dict[str, Callable[[int], str]] = {
    "minute": lambda n: RelativeTime.tr("in %n minute(s)", "", n),
    "hour": lambda n: RelativeTime.tr("in %n hour(s)", "", n),
    "day": lambda n: RelativeTime.tr("in %n day(s)", "", n),
    "week": lambda n: RelativeTime.tr("in %n week(s)", "", n),
    "month": lambda n: RelativeTime.tr("in %n month(s)", "", n),
    "year": lambda n: RelativeTime.tr("in %n year(s)", "", n),
}
_LEFT: dict[str, Callable[[int], str]] = {
    "minute": lambda n: RelativeTime.tr("%n minute(s)", "", n),
    "hour": lambda n: RelativeTime.tr("%n hour(s)", "", n),
    "day": lambda n: RelativeTime.tr("%n day(s)", "", n),
    "week": lambda n: RelativeTime.tr("%n week(s)", "", n),
    "month": lambda n: RelativeTime.tr("%n month(s)", "", n),
    "year": lambda n: RelativeTime.tr("%n year(s)", "", n),
}


def exact(moment: datetime | None) -> str:
    """The local date and time with its zone, for a tooltip."""
    if moment is None:
        return RelativeTime.tr("Never used")
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
