"""A token's lifetime: durations, a project's token policy, expiry choices and status.

Pure rules, no storage: the service applies them inside its transactions, the command
line parses durations with them, and the desktop app offers the same choices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.errors import ValidationError

_UNITS = {
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
    "y": timedelta(days=365),
}
_UNIT_NAMES = {"h": "hour", "d": "day", "w": "week", "y": "year"}
# An integer and a unit; up to six digits keeps every duration a datetime can hold.
_DURATION = re.compile(r"([0-9]{1,6})([hdwy])", re.ASCII)

# A token expiring within this reads "expiring" and is marked in the app.
EXPIRING_WITHIN = timedelta(days=7)
# The default of a new project's policy, and of every project made before policies.
DEFAULT_LIFETIME = timedelta(days=90)

# Statuses, as `tokens list --json` prints them.
ACTIVE = "active"
EXPIRING = "expiring"
RETIRING = "retiring"
EXPIRED = "expired"

DURATION_HELP = "an integer and a unit: h (hours), d (days), w (weeks) or y (365 days), e.g. 30d"


def parse_duration(text: str, *, allow_zero: bool = False) -> timedelta:
    """``12h``, ``30d``, ``2w``, ``1y`` as a timedelta; ValueError for anything else."""
    match = _DURATION.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not a duration ({DURATION_HELP})")
    count, unit = int(match.group(1)), match.group(2)
    if count == 0 and not allow_zero:
        raise ValueError("a duration must be longer than zero")
    return count * _UNITS[unit]


def describe_duration(duration: timedelta) -> str:
    """A duration as people say it, in the largest unit that divides it: "90 days"."""
    for unit in ("y", "w", "d", "h"):
        count, rest = divmod(duration, _UNITS[unit])
        if not rest and count:
            return f"{count} {_UNIT_NAMES[unit]}{'' if count == 1 else 's'}"
    return f"{duration.total_seconds() / 3600:g} hours"


@dataclass(frozen=True, slots=True)
class TokenPolicy:
    """How long a project's tokens may live.

    ``default_lifetime`` None means a new token does not expire unless asked to;
    ``max_lifetime`` None means no limit.
    """

    default_lifetime: timedelta | None = DEFAULT_LIFETIME
    max_lifetime: timedelta | None = None
    allow_no_expiry: bool = True

    def check(self) -> TokenPolicy:
        """The policy itself, or ValidationError when it contradicts itself."""
        if self.max_lifetime is not None:
            if self.allow_no_expiry:
                raise ValidationError(
                    "a policy with a maximum lifetime cannot allow tokens that never expire"
                )
            if self.default_lifetime is None or self.default_lifetime > self.max_lifetime:
                raise ValidationError(
                    "the default lifetime cannot be longer than the maximum lifetime "
                    f"({describe_duration(self.max_lifetime)})"
                )
        if self.default_lifetime is None and not self.allow_no_expiry:
            raise ValidationError(
                "the default cannot be No expiry when the policy does not allow it"
            )
        return self


@dataclass(frozen=True, slots=True)
class Expiry:
    """What the user chose for a new token's expiry, resolved against the policy."""

    lifetime: timedelta | None = None
    day: date | None = None
    never: bool = False

    @classmethod
    def default(cls) -> Expiry:
        return cls()

    @classmethod
    def after(cls, lifetime: timedelta) -> Expiry:
        return cls(lifetime=lifetime)

    @classmethod
    def on(cls, day: date) -> Expiry:
        """Expires at the start of ``day``, midnight UTC (as GitLab's tokens do)."""
        return cls(day=day)

    @classmethod
    def no_expiry(cls) -> Expiry:
        return cls(never=True)

    def resolve(self, now: datetime, policy: TokenPolicy) -> datetime | None:
        """The moment the token stops working (aware UTC), or None for never.

        Raises ValidationError when the choice is in the past, beyond the policy's
        maximum, or No expiry where the policy forbids it.
        """
        if self.never:
            expires_at = None
        elif self.day is not None:
            expires_at = datetime.combine(self.day, time(0), UTC)
            if expires_at <= now:
                raise ValidationError(
                    f"the expiry date {self.day.isoformat()} is not in the future (UTC)"
                )
        elif self.lifetime is not None:
            expires_at = now + self.lifetime
        elif policy.default_lifetime is not None:
            expires_at = now + policy.default_lifetime
        else:
            expires_at = None
        return check_expiry(expires_at, now, policy)


def check_expiry(
    expires_at: datetime | None, now: datetime, policy: TokenPolicy
) -> datetime | None:
    """``expires_at`` if the policy allows it, else ValidationError saying why."""
    if expires_at is None:
        if not policy.allow_no_expiry:
            raise ValidationError(
                "this project's token policy does not allow tokens that never expire"
            )
        return None
    if policy.max_lifetime is not None and expires_at - now > policy.max_lifetime:
        raise ValidationError(
            "the expiry is beyond this project's maximum token lifetime of "
            f"{describe_duration(policy.max_lifetime)}"
        )
    return expires_at


def status(expires_at: datetime | None, replaced_by: int | None, now: datetime) -> str:
    """``active``, ``expiring`` (within 7 days), ``retiring`` (a rotated token in its
    grace period) or ``expired``."""
    if expires_at is None:
        return ACTIVE
    if expires_at <= now:
        return EXPIRED
    if replaced_by is not None:
        return RETIRING
    if expires_at - now <= EXPIRING_WITHIN:
        return EXPIRING
    return ACTIVE
