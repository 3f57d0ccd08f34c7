"""What every use case shares: the open storage, the clock, who acts, and what they may do.

One ``Context`` per service; each use-case object (``app.use_cases.*``) holds it. The
actor is part of it so that the audit trail, the tokens' ``created_by`` and the holders'
``created_by`` all name the same person. On PostgreSQL the database supplies it (its
``session_user``, which its triggers stamp on every row whatever a client sends) and
decides what that role may do; ``require`` only explains a refusal before the database
would make it, in one line that names the level needed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from app import config
from app.access_levels import ADMIN, level_rank, refusal
from app.errors import AccessDeniedError
from app.issuing import Issued, TokenIssuer
from app.records import utc_now
from app.store import db
from app.store.models import DeploymentToken, Project
from app.store.plain_sql import POSTGRESQL, SQLITE, append_audit, bump_revision
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
        self.dialect: Dialect = SQLITE if storage.is_sqlite else POSTGRESQL
        # SQLite: the one local user (or whom a test or an import names). PostgreSQL:
        # asked of the database when first needed, whatever was given.
        self._actor = (actor or config.current_user()) if storage.is_sqlite else None
        # New tokens and rotations are written in plain SQL, shared with `tokens
        # generate`; verifying is plain SQL too (app.issuing, app.verification).
        self.issuer = TokenIssuer(self.dialect)
        self.verifier = TokenVerifier(self.dialect, clock=self.clock)

    @property
    def access_controlled(self) -> bool:
        """Whether the database decides who may do what (PostgreSQL); SQLite's one user
        is admin of everything."""
        return self.dialect is POSTGRESQL

    @property
    def actor(self) -> str:
        """Who acts, as the audit trail records it: on PostgreSQL the login role."""
        if self._actor is None:
            with self.storage.guard:
                self._actor = str(self.ask("session_user")[0][0])
        return self._actor

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

    def ask(self, statement: str, *parameters: object) -> list[Any]:
        """The rows of one of ``app.store.plain_sql``'s statements, run on the models'
        connection (inside ``reading`` or ``writing``)."""
        execute, dialect = db.on_the_models_database()
        return list(execute(dialect.sql[statement], parameters).fetchall())

    # Who may do what

    def level_on(self, project: Project) -> str | None:
        """This role's level on the project: viewer, manager, admin, or None."""
        if not self.access_controlled:
            return ADMIN
        found = self.ask("level", project.id)[0][0]
        return None if found is None else str(found)

    def level_everywhere(self) -> str | None:
        """This role's level on every project (what an all-projects grant gives)."""
        if not self.access_controlled:
            return ADMIN
        found = self.ask("global_level")[0][0]
        return None if found is None else str(found)

    def require(self, level: str, project: Project | None = None) -> None:
        """Refuse, before the database would, a change that needs ``level`` on the
        project (on every project, when None) from a role that holds less there."""
        if not self.access_controlled:
            return
        held = self.level_on(project) if project is not None else self.level_everywhere()
        if level_rank(held) < level_rank(level):
            name = None if project is None else project.name
            raise AccessDeniedError(refusal(level, name, held, self.actor))

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
        append_audit(
            *db.on_the_models_database(),
            (project.id, project.name),
            action,
            None if token is None else (token.id, token.preview),
            self.actor,
            now,
            detail,
        )


def changed() -> None:
    """Tell other clients, inside the current write transaction, that something changed:
    the revision bump the plain-SQL issuer and verifier make too."""
    bump_revision(*db.on_the_models_database())
