"""Times as people say them: "3 days ago", with the exact time kept for tooltips."""

from __future__ import annotations

from datetime import datetime

_UNITS = (
    (365 * 24 * 3600, "year"),
    (30 * 24 * 3600, "month"),
    (7 * 24 * 3600, "week"),
    (24 * 3600, "day"),
    (3600, "hour"),
    (60, "minute"),
)


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
    """A minute or more in the largest whole unit: "5 minutes", "3 days", "1 year"."""
    for size, unit in _UNITS:
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'}"
    raise AssertionError("unreachable: 60 seconds or more matches the minute unit")


def exact(moment: datetime | None) -> str:
    """The local date and time with its zone, for a tooltip."""
    if moment is None:
        return "Never used"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z").strip()
