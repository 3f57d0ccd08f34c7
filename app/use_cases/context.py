"""What every use case shares: the open storage, the clock, and who acts.

One ``Context`` per service; each use-case object (``app.use_cases.*``) holds it. The
actor is part of it so that the audit trail, the tokens' ``created_by`` and the holders'
``created_by`` all name the same person, whoever supplies that name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime

from app import config
from app.issuing import Issued, TokenIssuer
from app.records import utc_now
from app.store import db
from app.store.models import AuditEvent, DeploymentToken, Project
from app.store.plain_sql import POSTGRESQL, SQLITE, bump_revision
from app.store.plain_sql import naive_utc as naive
from app.store.storage import Storage
from app.verification import TokenVerifier

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.store.plain_sql import Dialect

__all__ = ["Clock", "Context", "changed"]

Clock = Callable[[], datetime]


class Context:
    """The storage, clock, environment and actor of one service."""

    def __init__(
        self,
        storage: Storage,
        *,
        environ: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        actor: str | None = None,
    ) -> None:
        self.storage = storage
        # Where the salt is read from: the process environment when None.
        self.environ = environ
        self.clock: Clock = clock if clock is not None else utc_now
        # Who generates and revokes, as the audit trail records it.
        self.actor = actor if actor is not None else config.current_user()
        self.dialect: Dialect = SQLITE if storage.is_sqlite else POSTGRESQL
        # New tokens and rotations are written in plain SQL, shared with `tokens
        # generate`; verifying is plain SQL too (app.issuing, app.verification).
        self.issuer = TokenIssuer(self.dialect)
        self.verifier = TokenVerifier(self.dialect, clock=self.clock)

    def salt(self) -> bytes:
        """The configured salt; ConfigurationError when it is unset or too short."""
        return config.load_salt(self.environ)

    # Time

    def now(self) -> datetime:
        """Now by this context's clock (aware UTC): what statuses are judged against."""
        return self.clock().astimezone(UTC)

    def stored_now(self) -> datetime:
        """Now, as the naive UTC the database stores."""
        return naive(self.clock())

    # Transactions

    def reading(self) -> contextlib.AbstractContextManager[object]:
        """The models bound to this database, its errors translated: for reads."""
        return self.storage.guard

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction (SQLite's ``BEGIN IMMEDIATE``) inside ``reading``."""
        with self.storage.guard, db.write_transaction(self.storage.database):
            yield

    # Writing down what happened

    def audit(
        self,
        project: Project,
        action: str,
        token: DeploymentToken | Issued | None,
        now: datetime,
        detail: str = "",
    ) -> None:
        """Record an event of ``project`` by this context's actor, at ``now`` (naive UTC)."""
        AuditEvent.create(
            project=project,
            action=action,
            token_id=None if token is None else token.id,
            token_preview=None if token is None else token.preview,
            actor=self.actor,
            occurred_at=now,
            detail=detail,
        )


def changed() -> None:
    """Tell other clients, inside the current write transaction, that something changed:
    the revision bump the plain-SQL issuer and verifier make too."""
    bump_revision(*db.on_the_models_database())
