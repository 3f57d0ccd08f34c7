"""The plain records the service hands out, and the orders a token list comes in.

Free of peewee: the desktop app imports these while its window first paints, and opens
the store only afterwards.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app import lifecycle

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.destinations.targets import Target


class TokenOrder(enum.Enum):
    """The orders a token list can be read in; each is a column people sort by."""

    NAME = "name"
    PREVIEW = "preview"
    CREATED = "created_at"
    LAST_USED = "last_used_at"
    CREATED_BY = "created_by"
    EXPIRES = "expires_at"


@dataclass(frozen=True, slots=True)
class AccessRecord:
    """A level a login role holds: on one project, or on every project (``project`` None)."""

    role: str
    project: str | None
    level: str


@dataclass(frozen=True, slots=True)
class Identity:
    """Who this connection acts as, where, and the levels the role holds."""

    role: str
    database: str
    levels: tuple[AccessRecord, ...]


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    id: int
    name: str
    created_at: datetime
    token_count: int
    # Live tokens that are expired, or expire within a week: someone should look.
    attention_count: int = 0


# app.issuing.Issued is this record as the plain-SQL issuer returns a token it just stored,
# on the ``tokens generate`` path, where dataclasses would cost 8 ms: the same fields but
# the two a new token cannot have yet (tests/app/test_records.py holds them together).
@dataclass(frozen=True, slots=True)
class TokenRecord:
    id: int
    project: str
    name: str
    preview: str
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    # None: the token never expires (tokens made before expiry existed, or by choice).
    expires_at: datetime | None = None
    # The project's environments it may deploy to, by name; empty means all of them.
    environments: tuple[str, ...] = ()
    # The token that replaced this one in a rotation, while this one lives out its grace.
    replaced_by: int | None = None
    # The trusted deployer (binding) whose exchange issued it: a token of minutes, named
    # after the binding, hidden from lists once expired.
    deployer_id: int | None = None
    # The destination it was pushed to: where rotate-due pushes its successor.
    destination_id: int | None = None

    @property
    def via(self) -> str | None:
        """The binding an exchanged token came through (its name: exchanged tokens are
        named after their binding), or None for a token a person generated."""
        return self.name if self.deployer_id is not None else None

    def status(self, now: datetime) -> str:
        """``active``, ``expiring``, ``retiring`` or ``expired`` at ``now``."""
        return lifecycle.status(self.expires_at, self.replaced_by, now)

    def lifetime(self) -> timedelta | None:
        """How long the token was made to live, or None if it never expires."""
        return None if self.expires_at is None else self.expires_at - self.created_at


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    project: str
    action: str
    # None for events of the project itself: its policy, its environments.
    token_id: int | None
    token_preview: str | None
    actor: str
    occurred_at: datetime
    # What else happened, in words: the expiry set, the environments, the successor.
    detail: str = ""
    # The token's name now (or when it was revoked); None for the project's own events
    # and for tokens revoked before names were kept.
    token_name: str | None = None
    # Its place in the audit chain across all projects (app.audit_chain): what
    # ``audit verify`` names when it finds the chain broken.
    seq: int = 0


@dataclass(frozen=True, slots=True)
class DestinationRecord:
    """A place a project's tokens are pushed to, as listed. Never a credential: those
    come from the environment (``credential_variables``) at each push."""

    id: int
    project: str
    name: str
    # "vault", "github" or "gitlab" (app.destinations.targets).
    kind: str
    # Where, in words: "GitHub acme/web, secret DEPLOY_TOKEN, environment production".
    description: str
    created_at: datetime
    created_by: str
    # The environment variables a push reads its credential from, the first set wins.
    credential_variables: tuple[str, ...]
    # Whether one of them is set where the service runs: a push without it fails.
    credential_set: bool = True
    last_push_at: datetime | None = None
    # "pushed", "failed", "checked" or "check failed"; None before the first.
    last_push_outcome: str | None = None
    last_push_detail: str = ""
    # The same place field by field, for a view that says it in its own language.
    target: Target | None = None


@dataclass(frozen=True, slots=True)
class EnvironmentRecord:
    id: int
    project: str
    name: str
    created_at: datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
