"""What every use case needs: the open storage, the clock, who acts, and the helpers
that find a project or token, write the audit trail and build the records handed out.

``TokenService`` (app.service) and ``ProjectSettings`` (app.project_settings) build on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import cast

from app import config, lifecycle, schema
from app.db import database_proxy
from app.errors import NotFoundError, ValidationError
from app.issuing import Issued, TokenIssuer, check_token_id
from app.models import (
    AuditEvent,
    DeploymentToken,
    Environment,
    Project,
    RevokedToken,
    TokenEnvironment,
)
from app.names import no_such_project, no_such_token, project_key
from app.orm import peewee
from app.plain_sql import POSTGRESQL, SQLITE, bump_revision
from app.plain_sql import aware_utc as aware
from app.plain_sql import naive_utc as naive
from app.records import TokenRecord, utc_now
from app.storage import Storage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.plain_sql import Dialect, Execute

__all__ = [
    "Clock",
    "UseCases",
    "already_revoked",
    "aware",
    "changed",
    "check_page",
    "check_token_id",
    "naive",
    "on_the_models_database",
]

Clock = Callable[[], datetime]


class UseCases:
    """The state and helpers the service's use cases share."""

    def __init__(
        self,
        storage: Storage,
        *,
        environ: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        actor: str | None = None,
    ) -> None:
        # The database, for tools and tests that need it as such; use cases go through
        # the service's methods.
        self.storage = storage
        self._database = storage.database
        self._environ = environ
        self._clock = clock if clock is not None else utc_now
        # Who generates and revokes, as the audit trail records it.
        self.actor = actor if actor is not None else config.current_user()
        # New tokens are written in plain SQL, shared with `tokens generate` (app.issuing).
        self._issuer = TokenIssuer(SQLITE if storage.is_sqlite else POSTGRESQL)

    @property
    def location(self) -> str:
        """Where the data lives: a file path, or the URL without its password."""
        return self.storage.location

    def close(self) -> None:
        """Close this thread's connection; the next call in the thread opens another."""
        self.storage.close()

    # Time

    def now(self) -> datetime:
        """Now by this service's clock (aware UTC): what statuses are judged against."""
        return self._clock().astimezone(UTC)

    def _now(self) -> datetime:
        """Now, as the naive UTC the database stores."""
        return naive(self._clock())

    # Finding things

    def _project(self, project_name: str) -> Project:
        key = project_key(project_name)
        project = None if key is None else Project.get_or_none(Project.name_key == key)
        if project is None:
            raise no_such_project(project_name)
        return project

    @classmethod
    def _token(cls, project: Project, token_id: int) -> DeploymentToken:
        check_token_id(token_id)
        token = DeploymentToken.get_or_none(
            (DeploymentToken.id == token_id) & (DeploymentToken.project == project)
        )
        if token is None:
            raise already_revoked(project, token_id)
        return token

    @staticmethod
    def _policy(project: Project) -> lifecycle.TokenPolicy:
        return lifecycle.TokenPolicy.from_hours(
            project.default_lifetime_hours, project.max_lifetime_hours, project.allow_no_expiry
        )

    # Writing down what happened

    def _audit(
        self,
        project: Project,
        action: str,
        token: DeploymentToken | Issued | None,
        now: datetime,
        detail: str = "",
    ) -> None:
        AuditEvent.create(
            project=project,
            action=action,
            token_id=None if token is None else token.id,
            token_preview=None if token is None else token.preview,
            actor=self.actor,
            occurred_at=now,
            detail=detail,
        )

    @staticmethod
    def _delete_token(token: DeploymentToken, project: Project, now: datetime) -> bool:
        """Delete ``token`` and remember its digest as revoked; False when another client
        deleted it first (PostgreSQL locks rows only as it writes them)."""
        deleted = DeploymentToken.delete().where(DeploymentToken.id == token.id).execute()
        if int(deleted) != 1:
            return False
        RevokedToken.create(
            project=project,
            token_id=token.id,
            name=token.name,
            preview=token.preview,
            digest=token.digest,
            revoked_at=now,
        )
        return True

    # Records

    @staticmethod
    def _environment_names(token_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
        """The environments each token is limited to, by token id (one query)."""
        ids = list(token_ids)
        if not ids or not TokenEnvironment.select().exists():
            # Most databases limit no token: one indexed look instead of a join.
            return {}
        rows = cast(
            "Iterable[tuple[int, str]]",
            TokenEnvironment.select(TokenEnvironment.token, Environment.name)
            .join(Environment)
            .where(TokenEnvironment.token.in_(ids))
            .order_by(Environment.name_key)
            .tuples(),
        )
        found: dict[int, list[str]] = {}
        for token_id, name in rows:
            found.setdefault(token_id, []).append(name)
        return {token_id: tuple(names) for token_id, names in found.items()}

    def _token_record(self, token: DeploymentToken, project_name: str) -> TokenRecord:
        return self._token_records([token], project_name)[0]

    def _token_records(
        self, found: Iterable[DeploymentToken], project_name: str
    ) -> list[TokenRecord]:
        rows = list(found)
        environments = self._environment_names(token.id for token in rows)
        return [
            TokenRecord(
                id=token.id,
                project=project_name,
                name=token.name,
                preview=token.preview,
                created_at=aware(token.created_at),
                created_by=token.created_by,
                last_used_at=aware(token.last_used_at) if token.last_used_at else None,
                expires_at=aware(token.expires_at) if token.expires_at else None,
                environments=environments.get(token.id, ()),
                replaced_by=token.replaced_by,
            )
            for token in rows
        ]


def on_the_models_database() -> tuple[Execute, Dialect]:
    """How a plain-SQL statement (``app.plain_sql``) runs on the database the models are
    bound to in this thread: through peewee's own ``execute_sql``, inside whatever
    transaction peewee has open there."""
    database = database_proxy.obj
    if database is None:  # Storage.guard binds them
        raise RuntimeError("no database is bound to the models in this thread")
    dialect = SQLITE if isinstance(database, peewee.SqliteDatabase) else POSTGRESQL
    return database.execute_sql, dialect


def changed() -> None:
    """Tell other clients, inside the current write transaction, that something changed:
    the revision bump the plain-SQL issuer and verifier make too."""
    bump_revision(*on_the_models_database())


def check_page(offset: object, limit: object) -> None:
    """Refuse a page that no query can ask for: a negative, zero or out-of-range bound."""
    for value, lowest in ((offset, 0), (limit, 1)):
        if value is None and limit is value:
            continue  # no limit: the whole list
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not lowest <= value <= schema.MAX_ID
        ):
            raise ValidationError(
                f"a page needs whole numbers: offset from 0 and limit from 1, up to {schema.MAX_ID}"
            )


def already_revoked(project: Project, token_id: int) -> NotFoundError:
    return no_such_token(project.name, token_id)
