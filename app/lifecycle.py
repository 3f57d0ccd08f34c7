"""A token's lifetime: durations, a project's token policy, expiry choices and status.

Pure rules, no storage: the service applies them inside its transactions, the command
line parses durations with them, and the desktop app offers the same choices.
"""

from __future__ import annotations

from collections import namedtuple
from datetime import UTC, date, datetime, time, timedelta

from app.durations import DEFAULT_LIFETIME, EXPIRING_WITHIN, MAX_DURATION, describe_duration
from app.errors import ValidationError

# Immutable records made with collections.namedtuple, not dataclasses or typing: `tokens
# generate` runs on plain sqlite3 (app.issuing), and importing dataclasses (with inspect)
# would cost it 8 ms, typing 2 ms. The classes under TYPE_CHECKING describe the same
# fields to the type checker; the methods are written once, on the subclasses below.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple

    class _PolicyFields(NamedTuple):
        default_lifetime: timedelta | None = DEFAULT_LIFETIME
        max_lifetime: timedelta | None = None
        allow_no_expiry: bool = True

    class _ExpiryFields(NamedTuple):
        lifetime: timedelta | None = None
        day: date | None = None
        never: bool = False

else:
    _PolicyFields = namedtuple(
        "_PolicyFields",
        ["default_lifetime", "max_lifetime", "allow_no_expiry"],
        defaults=(DEFAULT_LIFETIME, None, True),
    )
    _ExpiryFields = namedtuple(
        "_ExpiryFields", ["lifetime", "day", "never"], defaults=(None, None, False)
    )

# The label of a token that never expires, wherever the app offers or shows it.
NO_EXPIRY = "No expiry"
# The lifetimes offered for a new token and as a policy's default, as GitHub and GitLab
# offer them (the desktop app's Expires and Default lifetime, beside No expiry).
LIFETIME_CHOICES = (
    timedelta(days=7),
    timedelta(days=30),
    timedelta(days=60),
    timedelta(days=90),
    timedelta(days=365),
)
# The maximum lifetimes a policy offers, beside none.
MAXIMUM_LIFETIME_CHOICES = (timedelta(days=30), timedelta(days=90), timedelta(days=365))

# Statuses, as `tokens list --json` prints them.
ACTIVE = "active"
EXPIRING = "expiring"
RETIRING = "retiring"
EXPIRED = "expired"


class TokenPolicy(_PolicyFields):
    """How long a project's tokens may live.

    ``default_lifetime`` None means a new token does not expire unless asked to;
    ``max_lifetime`` None means no limit.
    """

    __slots__ = ()

    @classmethod
    def from_hours(
        cls, default_hours: int | None, max_hours: int | None, allow_no_expiry: object
    ) -> TokenPolicy:
        """The policy as the database keeps it: whole hours, NULL for none."""
        return cls(
            default_lifetime=None if default_hours is None else timedelta(hours=default_hours),
            max_lifetime=None if max_hours is None else timedelta(hours=max_hours),
            allow_no_expiry=bool(allow_no_expiry),
        )

    def check(self) -> TokenPolicy:
        """The policy itself, or ValidationError when it contradicts itself or a
        lifetime is longer than any date can reach (``MAX_DURATION``)."""
        for what, lifetime in (
            ("default lifetime", self.default_lifetime),
            ("maximum lifetime", self.max_lifetime),
        ):
            if lifetime is not None:
                check_duration(lifetime, what)
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
                f"the default cannot be {NO_EXPIRY} when the policy does not allow it"
            )
        return self


class Expiry(_ExpiryFields):
    """What the user chose for a new token's expiry, resolved against the policy."""

    __slots__ = ()

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
            expires_at = now + check_duration(self.lifetime, "lifetime")
        elif policy.default_lifetime is not None:
            # Checked too: a policy stored before durations had a limit may exceed it.
            expires_at = now + check_duration(policy.default_lifetime, "default lifetime")
        else:
            expires_at = None
        return check_expiry(expires_at, now, policy)


def check_duration(duration: timedelta, what: str) -> timedelta:
    """``duration`` itself, or ValidationError when it is longer than ``MAX_DURATION``
    (added to now it would pass the last date a datetime holds)."""
    if duration > MAX_DURATION:
        raise ValidationError(
            f"the {what} of {describe_duration(duration)} is too long: at most "
            f"{describe_duration(MAX_DURATION)}"
        )
    return duration


def hours_of(duration: timedelta | None) -> int | None:
    """A policy duration as the hours the database keeps (durations are whole hours)."""
    return None if duration is None else int(duration.total_seconds() // 3600)


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


# Rotations: when the successor expires, and when the old token stops.


def successor_expiry(
    policy: TokenPolicy,
    created_at: datetime,
    expires_at: datetime | None,
    now: datetime,
) -> datetime | None:
    """When a rotation's successor expires: the old token's lifetime (from its naive UTC
    ``created_at`` to ``expires_at``) from ``now``, or the policy's default where the
    policy (changed since) no longer allows that lifetime."""
    successor = None
    if expires_at is not None:
        # A lifetime that reaches past the last date (--expires-on 9999-12-31): the
        # successor ends where the old token would have.
        successor = later(now, expires_at - created_at, _aware_utc(expires_at))
    try:
        return check_expiry(successor, now, policy)
    except ValidationError:
        return Expiry.default().resolve(now, policy)


def stop_after(grace: timedelta, expires_at: datetime | None, now: datetime) -> datetime:
    """When a rotated token stops: now + ``grace``, or its own expiry (naive UTC) if that
    comes sooner (a grace never lengthens a token's life)."""
    stop = now + grace
    if grace and expires_at is not None and _aware_utc(expires_at) < stop:
        stop = _aware_utc(expires_at)
    return stop


def later(moment: datetime, duration: timedelta, last: datetime | None = None) -> datetime:
    """``moment`` + ``duration``, or ``last`` (by default the last moment a datetime
    holds) when that would pass the year 9999."""
    try:
        return moment + duration
    except OverflowError:
        return last if last is not None else datetime.max.replace(tzinfo=moment.tzinfo)


def _aware_utc(moment: datetime) -> datetime:
    """A time read from the database (naive UTC) as an aware one."""
    return moment.replace(tzinfo=UTC)
