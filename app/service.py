"""The use cases of Deployment Tokens: the one place with transactions and audit events.

The GUI and the command line both go through ``TokenService``; it hands out plain
records and never a model, and it returns a plaintext token only after the commit that
stored its digest succeeded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import cast

import peewee

from app import config, db, salt_fingerprint, schema, tokens
from app.errors import ConfigurationError, ConflictError, NotFoundError, ValidationError
from app.models import AuditEvent, ControlState, DeploymentToken, Project
from app.names import clean_name, name_key
from app.records import AuditRecord, ProjectRecord, TokenOrder, TokenRecord, utc_now
from app.storage import Storage, open_storage
from app.verification import POSTGRESQL, SQLITE, TokenVerifier, Verdict

__all__ = [
    "AuditRecord",
    "ProjectRecord",
    "TokenOrder",
    "TokenRecord",
    "TokenService",
    "Verdict",
    "open_service",
    "utc_now",
]

log = logging.getLogger(__name__)

DEFAULT_TOKEN_NAME = "Deployment token"  # noqa: S105 (a label, not a secret)

Clock = Callable[[], datetime]


_ORDER_COLUMNS = {
    # Names sort as people read them, not by code point ("alpha" before "Beta").
    TokenOrder.NAME: peewee.fn.LOWER(DeploymentToken.name),
    TokenOrder.PREVIEW: DeploymentToken.preview,
    TokenOrder.CREATED: DeploymentToken.created_at,
    TokenOrder.LAST_USED: DeploymentToken.last_used_at,
    TokenOrder.CREATED_BY: peewee.fn.LOWER(DeploymentToken.created_by),
}


class TokenService:
    """Projects and their deployment tokens in one database."""

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
        self._verifier = TokenVerifier(
            SQLITE if storage.is_sqlite else POSTGRESQL, clock=self._clock
        )

    @property
    def location(self) -> str:
        """Where the data lives: a file path, or the URL without its password."""
        return self.storage.location

    # Projects

    def add_project(self, name: str) -> ProjectRecord:
        clean = clean_name(name, "project name")
        with self.storage.guard, db.write_transaction(self._database):
            key = name_key(clean)
            existing = Project.get_or_none(Project.name_key == key)
            if existing is not None:
                raise _duplicate_project(existing.name)
            try:
                project = Project.create(name=clean, name_key=key, created_at=self._now())
            except peewee.IntegrityError:
                # Another writer got there between the check and the insert.
                raise _duplicate_project(clean) from None
            _changed()
        log.info("added project %d %r", project.id, clean)
        return ProjectRecord(project.id, project.name, _aware(project.created_at), 0)

    def list_projects(self) -> list[ProjectRecord]:
        """Every project, by name ignoring case, with its count of live tokens."""
        with self.storage.guard:
            query = (
                Project.select(
                    Project.id,
                    Project.name,
                    Project.created_at,
                    peewee.fn.COUNT(DeploymentToken.id),
                )
                .join(DeploymentToken, peewee.JOIN.LEFT_OUTER)
                .group_by(Project.id, Project.name, Project.created_at, Project.name_key)
                .order_by(Project.name_key)
                .tuples()
            )
            rows = cast("Iterable[tuple[int, str, datetime, int]]", query)
            return [
                ProjectRecord(id_, name, _aware(created_at), count)
                for id_, name, created_at, count in rows
            ]

    # Tokens

    def generate(self, project_name: str, name: str | None = None) -> tuple[TokenRecord, str]:
        """Store a new token's digest and return its record and, once, its plaintext.

        The plaintext is returned only after the commit succeeded: a token the user sees
        is always a token that works.
        """
        label = DEFAULT_TOKEN_NAME if name is None else clean_name(name, "token name")
        salt = config.load_salt(self._environ)
        plaintext = tokens.new_token()
        with self.storage.guard, db.write_transaction(self._database):
            salt_fingerprint.check(salt, remember=True)
            project = self._project(project_name)
            now = self._now()
            token = DeploymentToken.create(
                project=project,
                name=label,
                digest=tokens.digest(plaintext, salt),
                preview=tokens.preview(plaintext),
                created_at=now,
                created_by=self.actor,
            )
            self._audit(project, AuditEvent.GENERATED, token, now)
            _changed()
        log.info("generated token %d (%s) in project %r", token.id, token.preview, project.name)
        return self._token_record(token, project.name), plaintext

    def list_tokens(self, project_name: str) -> list[TokenRecord]:
        """The project's live tokens, newest first."""
        with self.storage.guard:
            project = self._project(project_name)
            query = (
                DeploymentToken.select()
                .where(DeploymentToken.project == project)
                .order_by(DeploymentToken.created_at.desc(), DeploymentToken.id.desc())
            )
            return [self._token_record(token, project.name) for token in query]

    def token_page(
        self,
        project_name: str,
        *,
        order: TokenOrder = TokenOrder.CREATED,
        descending: bool = True,
        offset: int = 0,
        limit: int = 200,
    ) -> list[TokenRecord]:
        """One page of the project's live tokens, for views that load as they scroll.

        Ties are broken by id, so pages neither repeat nor skip a token while nothing
        changes; the default order (newest first) reads straight from an index.
        """
        if offset < 0 or limit < 1:
            raise ValidationError("a page needs offset >= 0 and limit >= 1")
        column = _ORDER_COLUMNS[order]
        if order is TokenOrder.LAST_USED:
            # "Never used" sorts as the oldest use; PostgreSQL would otherwise put NULLs
            # first when descending, SQLite last.
            key = column.desc(nulls="LAST") if descending else column.asc(nulls="FIRST")
        else:
            key = column.desc() if descending else column.asc()
        tie = DeploymentToken.id.desc() if descending else DeploymentToken.id.asc()
        with self.storage.guard:
            project = self._project(project_name)
            query = (
                DeploymentToken.select(
                    DeploymentToken.id,
                    DeploymentToken.name,
                    DeploymentToken.preview,
                    DeploymentToken.created_at,
                    DeploymentToken.created_by,
                    DeploymentToken.last_used_at,
                )
                .where(DeploymentToken.project == project)
                .order_by(key, tie)
                .offset(offset)
                .limit(limit)
                # Tuples, not model instances: a page is read each time the pane opens
                # or scrolls, and building models cost more than the query.
                .tuples()
            )
            rows = cast("Iterable[tuple[int, str, str, datetime, str, datetime | None]]", query)
            return [
                TokenRecord(
                    id_, project.name, name, preview, _aware(created), by, used and _aware(used)
                )
                for id_, name, preview, created, by, used in rows
            ]

    def count_tokens(self, project_name: str) -> int:
        """How many live tokens the project has."""
        with self.storage.guard:
            project = self._project(project_name)
            return int(DeploymentToken.select().where(DeploymentToken.project == project).count())

    def rename_token(self, project_name: str, token_id: int, name: str) -> TokenRecord:
        """Give a token a new label; its secret and digest do not change."""
        label = clean_name(name, "token name")
        _check_token_id(token_id)
        with self.storage.guard, db.write_transaction(self._database):
            project = self._project(project_name)
            token = self._token(project, token_id)
            if token.name != label:
                token.name = label
                token.save(only=[DeploymentToken.name])
                self._audit(project, AuditEvent.RENAMED, token, self._now())
                _changed()
        log.info("renamed token %d (%s) in project %r", token.id, token.preview, project.name)
        return self._token_record(token, project.name)

    def salt_problem(self) -> str | None:
        """What is wrong with the configured salt, or None when tokens can be generated.

        Besides an unset or short salt, this catches a salt that differs from the one
        this database's tokens were made with.
        """
        problem = config.salt_problem(self._environ)
        if problem is not None:
            return problem
        try:
            with self.storage.guard:
                salt_fingerprint.check(config.load_salt(self._environ), remember=False)
        except ConfigurationError as error:
            return str(error)
        return None

    def revision(self) -> int:
        """A number that changes whenever any client commits a change: one tiny read."""
        with self.storage.guard:
            row = (
                ControlState.select(ControlState.revision)
                .where(ControlState.id == schema.CONTROL_STATE_ID)
                .tuples()
                .first()
            )
        return 0 if row is None else int(row[0])

    def revoke(self, project_name: str, token_id: int) -> TokenRecord:
        """Delete the token so that it fails verification at once, and audit it."""
        _check_token_id(token_id)
        with self.storage.guard, db.write_transaction(self._database):
            project = self._project(project_name)
            token = self._token(project, token_id)
            record = self._token_record(token, project.name)
            deleted = DeploymentToken.delete().where(DeploymentToken.id == token.id).execute()
            if int(deleted) != 1:
                # Another client revoked it between our read and our delete (PostgreSQL
                # locks rows only as it writes them); its revoke is the one audited.
                raise self._already_revoked(project, token_id)
            self._audit(project, AuditEvent.REVOKED, token, self._now())
            _changed()
        log.info("revoked token %d (%s) in project %r", record.id, record.preview, project.name)
        return record

    def verify(self, plaintext: str, project_name: str | None = None) -> str | None:
        """The name of the project the token belongs to, or None if it is not valid.

        With ``project_name``, a valid token of another project is not valid either.
        """
        return self.check(plaintext, project_name).project

    def check(self, plaintext: str, project_name: str | None = None) -> Verdict:
        """Verify like ``verify``, and say why a token was refused.

        Plain SQL on this service's connection (``app.verification``): the query builder
        would cost more than the lookup itself on this path.
        """
        salt = config.load_salt(self._environ)
        with self.storage.verify_guard:
            connection = self.storage.raw_connection()
            return self._verifier.check(connection, salt, plaintext, project_name)

    def audit_log(
        self, project_name: str, *, offset: int = 0, limit: int | None = None
    ) -> list[AuditRecord]:
        """The project's generates, renames and revokes, newest first.

        With ``limit``, one page of them, for views that load as they scroll.
        """
        if offset < 0 or (limit is not None and limit < 1):
            raise ValidationError("a page needs offset >= 0 and limit >= 1")
        with self.storage.guard:
            project = self._project(project_name)
            query = (
                AuditEvent.select()
                .where(AuditEvent.project == project)
                .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
                .offset(offset)
            )
            if limit is not None:
                query = query.limit(limit)
            return [
                AuditRecord(
                    e.id,
                    project.name,
                    e.action,
                    e.token_id,
                    e.token_preview,
                    e.actor,
                    _aware(e.occurred_at),
                )
                for e in query
            ]

    def reconnect(self) -> None:
        """Drop the connection and open it again, for a Retry after an outage.

        Never creates a database: a file that was deleted stays an error.
        """
        self.storage.reconnect()

    def close(self) -> None:
        """Close this thread's connection; the next call in the thread opens another."""
        self.storage.close()

    def __enter__(self) -> TokenService:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Helpers

    def _now(self) -> datetime:
        """Now, as the naive UTC the database stores."""
        return self._clock().astimezone(UTC).replace(tzinfo=None)

    def _project(self, project_name: str) -> Project:
        if not isinstance(project_name, str) or not project_name.strip():
            raise ValidationError("the project name cannot be empty")
        project = Project.get_or_none(Project.name_key == name_key(project_name.strip()))
        if project is None:
            raise NotFoundError(f"there is no project named '{project_name.strip()}'")
        return project

    @classmethod
    def _token(cls, project: Project, token_id: int) -> DeploymentToken:
        token = DeploymentToken.get_or_none(
            (DeploymentToken.id == token_id) & (DeploymentToken.project == project)
        )
        if token is None:
            raise cls._already_revoked(project, token_id)
        return token

    @staticmethod
    def _already_revoked(project: Project, token_id: int) -> NotFoundError:
        return NotFoundError(
            f"project '{project.name}' has no token with id {token_id} "
            "(it may have been revoked already)"
        )

    def _audit(self, project: Project, action: str, token: DeploymentToken, now: datetime) -> None:
        AuditEvent.create(
            project=project,
            action=action,
            token_id=token.id,
            token_preview=token.preview,
            actor=self.actor,
            occurred_at=now,
        )

    @staticmethod
    def _token_record(token: DeploymentToken, project_name: str) -> TokenRecord:
        return TokenRecord(
            id=token.id,
            project=project_name,
            name=token.name,
            preview=token.preview,
            created_at=_aware(token.created_at),
            created_by=token.created_by,
            last_used_at=_aware(token.last_used_at) if token.last_used_at else None,
        )


def _changed() -> None:
    """Tell other clients, inside the current write transaction, that something changed."""
    (
        ControlState.update(revision=ControlState.revision + 1)
        .where(ControlState.id == schema.CONTROL_STATE_ID)
        .execute()
    )


def _check_token_id(token_id: object) -> None:
    if isinstance(token_id, bool) or not isinstance(token_id, int) or token_id < 1:
        raise ValidationError("a token id is a positive whole number")


def _duplicate_project(existing_name: str) -> ConflictError:
    return ConflictError(f"a project named '{existing_name}' already exists (names ignore case)")


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def open_service(
    database_url: str | None = None,
    *,
    create: bool = True,
    clock: Clock | None = None,
    actor: str | None = None,
) -> TokenService:
    """Open the database (migrating it forward) and return the service over it.

    ``database_url`` overrides ML_DEPLOYMENT_DATABASE_URL, which overrides the default
    SQLite file in the user's data directory. With ``create`` false a missing SQLite file
    is a StorageError. ``clock`` (returning an aware datetime) and ``actor`` replace the
    system clock and the operating-system user, for tests, tools and imports.
    """
    return TokenService(open_storage(database_url, create=create), clock=clock, actor=actor)
