"""When an expiring token is warned about: thresholds in days before its expiry, 30, 7
and 1 unless a project says otherwise.

Each (token, threshold) is warned about once. A threshold counts as passed from the
moment the token is that close to its expiry (``<=``), so a run that was missed catches
up at the next one; a token past several thresholds at once gets one warning, for the
nearest, and the others are marked as passed with it (two mails a minute apart would be
noise). Pure: no store, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from app.errors import ValidationError

DEFAULT_DAYS = (30, 7, 1)
MAX_THRESHOLDS = 10
MAX_DAYS = 3650
# How the thresholds are written on the command line, and stored: "30,7,1"; "none".
NONE = "none"
_DAYS = re.compile(r"[0-9]{1,4}", re.ASCII)


def parse_days(text: str) -> tuple[int, ...]:
    """``30,7,1`` as (30, 7, 1), farthest first; ``none`` as (): no warnings."""
    cleaned = text.strip().lower()
    if cleaned == NONE:
        return ()
    parts = [part.strip().removesuffix("d") for part in cleaned.split(",")]
    if not parts or not all(_DAYS.fullmatch(part) for part in parts):
        raise ValidationError(
            "warning thresholds are whole numbers of days before expiry, separated by "
            "commas (for example 30,7,1), or 'none'"
        )
    days = sorted({int(part) for part in parts}, reverse=True)
    if days[-1] < 1 or days[0] > MAX_DAYS:
        raise ValidationError(f"a warning threshold is from 1 to {MAX_DAYS} days before expiry")
    if len(days) > MAX_THRESHOLDS:
        raise ValidationError(f"at most {MAX_THRESHOLDS} warning thresholds")
    return tuple(days)


def stored(days: Iterable[int]) -> str:
    """The thresholds as the database keeps them: ``30,7,1``, or ``none``."""
    chosen = sorted(set(days), reverse=True)
    return ",".join(map(str, chosen)) if chosen else NONE


def from_stored(text: str | None) -> tuple[int, ...]:
    """What the database keeps, back as thresholds; None (no setting): the default."""
    return DEFAULT_DAYS if text is None else parse_days(text)


def describe(days: tuple[int, ...]) -> str:
    """``30, 7 and 1 days before expiry``, or ``no expiry warnings``."""
    if not days:
        return "no expiry warnings"
    shown = [str(day) for day in days]
    listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    return f"{listed} day{'' if shown == ['1'] else 's'} before expiry"


def passed(days: Iterable[int], expires_at: datetime, now: datetime) -> set[int]:
    """The thresholds a live token's expiry is within at ``now``: none once it expired
    (an expired token is past warning)."""
    left = expires_at - now
    if left <= timedelta(0):
        return set()
    return {day for day in days if left <= timedelta(days=day)}


def to_record(passed_now: set[int], recorded: set[int]) -> tuple[set[int], int | None]:
    """What to record of the thresholds passed now, given those recorded before: each
    new one, and the one of them to warn about (None: none is nearer than a warning
    already sent, so no new warning)."""
    new = passed_now - recorded
    if not new:
        return set(), None
    nearest = min(new)
    if recorded and nearest > min(recorded):
        return new, None
    return new, nearest
