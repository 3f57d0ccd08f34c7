"""The use cases of Deployment Tokens: the one place with transactions and audit events.

The GUI and the command line both go through ``TokenService``; it hands out plain
records and never a model, and it returns a plaintext token only after the commit that
stored its digest succeeded.
"""

from __future__ import annotations

import getpass
import hmac
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import cast
from urllib.parse import urlsplit, urlunsplit

import peewee

from app import config, db, migrations, tokens
from app.errors import (
    ConfigurationError,
    ConflictError,
    DeploymentTokensError,
    NotFoundError,
    StorageError,
    UnavailableError,
    ValidationError,
)
from app.models import AuditEvent, ControlState, DeploymentToken, Project
from app.names import clean_name, name_key
from app.records import AuditRecord, ProjectRecord, TokenOrder, TokenRecord, utc_now
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
# Verify looks at whether the SQLite file was deleted or replaced at most this often:
# the stat cost as much as the lookup itself. Every write looks each time.
VERIFY_FILE_RECHECK_SECONDS = 0.1

Clock = Callable[[], datetime]


_ORDER_COLUMNS = {
    # Names sort as people read them, not by code point ("alpha" before "Beta").
    TokenOrder.NAME: peewee.fn.LOWER(DeploymentToken.name),
    TokenOrder.PREVIEW: DeploymentToken.preview,
    TokenOrder.CREATED: DeploymentToken.created_at,
    TokenOrder.LAST_USED: DeploymentToken.last_used_at,
    TokenOrder.CREATED_BY: peewee.fn.LOWER(DeploymentToken.created_by),
}


def current_user() -> str:
    """The operating-system user, recorded as who created or revoked a token."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        # A container user with no passwd entry and no LOGNAME: the uid still identifies it.
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


class TokenService:
    """Projects and their deployment tokens in one database."""

    def __init__(
        self,
        database: peewee.Database,
        location: str,
        environ: Mapping[str, str] | None = None,
        clock: Clock = utc_now,
        actor: str | None = None,
        database_file: Path | None = None,
    ) -> None:
        self._database = database
        self._location = location
        self._environ = environ
        self._clock = clock
        self._actor = actor if actor is not None else current_user()
        self._file = db.FileIdentity.of(database_file) if database_file else None
        self._storage_guard = _Storage(self)
        self._verify_guard = _Storage(self, recheck_file_after=VERIFY_FILE_RECHECK_SECONDS)
        dialect = SQLITE if isinstance(database, peewee.SqliteDatabase) else POSTGRESQL
        self._verifier = TokenVerifier(dialect, clock=clock)

    @property
    def location(self) -> str:
        """Where the data lives: a file path, or the URL without its password."""
        return self._location

    # Projects

    def add_project(self, name: str) -> ProjectRecord:
        clean = clean_name(name, "project name")
        with self._storage(), db.write_transaction(self._database):
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
        with self._storage():
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
        with self._storage(), db.write_transaction(self._database):
            self._check_salt_fingerprint(salt, remember=True)
            project = self._project(project_name)
            now = self._now()
            token = DeploymentToken.create(
                project=project,
                name=label,
                digest=tokens.digest(plaintext, salt),
                preview=tokens.preview(plaintext),
                created_at=now,
                created_by=self._actor,
            )
            self._audit(project, AuditEvent.GENERATED, token, now)
            _changed()
        log.info("generated token %d (%s) in project %r", token.id, token.preview, project.name)
        return self._token_record(token, project.name), plaintext

    def list_tokens(self, project_name: str) -> list[TokenRecord]:
        """The project's live tokens, newest first."""
        with self._storage():
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
        with self._storage():
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
        with self._storage():
            project = self._project(project_name)
            return int(DeploymentToken.select().where(DeploymentToken.project == project).count())

    def rename_token(self, project_name: str, token_id: int, name: str) -> TokenRecord:
        """Give a token a new label; its secret and digest do not change."""
        label = clean_name(name, "token name")
        _check_token_id(token_id)
        with self._storage(), db.write_transaction(self._database):
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
            with self._storage():
                self._check_salt_fingerprint(config.load_salt(self._environ), remember=False)
        except ConfigurationError as error:
            return str(error)
        return None

    def revision(self) -> int:
        """A number that changes whenever any client commits a change: one tiny read."""
        with self._storage():
            row = (
                ControlState.select(ControlState.revision)
                .where(ControlState.id == ControlState.SINGLETON_ID)
                .tuples()
                .first()
            )
        return 0 if row is None else int(row[0])

    def revoke(self, project_name: str, token_id: int) -> TokenRecord:
        """Delete the token so that it fails verification at once, and audit it."""
        _check_token_id(token_id)
        with self._storage(), db.write_transaction(self._database):
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
        with self._verify_guard:
            connection = db.raw_connection(self._database)
            return self._verifier.check(connection, salt, plaintext, project_name)

    def audit_log(
        self, project_name: str, *, offset: int = 0, limit: int | None = None
    ) -> list[AuditRecord]:
        """The project's generates, renames and revokes, newest first.

        With ``limit``, one page of them, for views that load as they scroll.
        """
        if offset < 0 or (limit is not None and limit < 1):
            raise ValidationError("a page needs offset >= 0 and limit >= 1")
        with self._storage():
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
        db.drop_connection(self._database)
        if self._file is not None:
            self._file = db.FileIdentity.of(self._file.path)
        with self._storage():
            migrations.migrate_forward(self._database)

    def close(self) -> None:
        db.drop_connection(self._database)

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

    def _check_salt_fingerprint(self, salt: bytes, *, remember: bool) -> None:
        """Refuse a salt other than the one this database's tokens were made with.

        With ``remember`` (inside a write transaction), the first salt ever used is
        recorded. Raises ConfigurationError, which never quotes the salt.
        """
        fingerprint = tokens.salt_fingerprint(salt)
        state = ControlState.get_or_none(ControlState.id == ControlState.SINGLETON_ID)
        stored = None if state is None else state.salt_fingerprint
        if stored is None:
            if not remember:
                return
            claimed = (
                ControlState.update(salt_fingerprint=fingerprint)
                .where(
                    (ControlState.id == ControlState.SINGLETON_ID)
                    & ControlState.salt_fingerprint.is_null()
                )
                .execute()
            )
            if claimed:
                return
            # Another client recorded its salt first (PostgreSQL re-reads the row once
            # that client commits): ours must match it.
            stored = (
                ControlState.select(ControlState.salt_fingerprint)
                .where(ControlState.id == ControlState.SINGLETON_ID)
                .scalar()
            )
            if stored is None:
                return
        if not hmac.compare_digest(stored, fingerprint):
            raise ConfigurationError(config.SALT_CHANGED)

    def _audit(self, project: Project, action: str, token: DeploymentToken, now: datetime) -> None:
        AuditEvent.create(
            project=project,
            action=action,
            token_id=token.id,
            token_preview=token.preview,
            actor=self._actor,
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

    def _storage(self) -> _Storage:
        """Turn driver errors into one-line StorageErrors that name the database."""
        return self._storage_guard

    def _enter_storage(self, recheck_file_after: float = 0.0) -> None:
        if db.database_proxy.obj is not self._database:
            # The models bind to one proxy, kept per thread; pointing it at this service's
            # database before each use lets several services (two databases, or the app
            # and a test's own service) live in one process and in several threads.
            db.database_proxy.initialize(self._database)
        if self._file is not None:
            problem = self._file.problem(recheck_file_after)
            if problem is not None:
                db.drop_connection(self._database)
                raise StorageError(problem)

    def _translated(self, error: Exception) -> DeploymentTokensError | None:
        """The user-facing error for a driver's ``error``; None for anything else."""
        if isinstance(error, DeploymentTokensError):
            return None
        if isinstance(error, peewee.IntegrityError):
            return ConflictError(
                f"the change conflicts with what is stored: {db.describe_error(error)}"
            )
        if not db.is_driver_error(error):
            return None
        if db.lost_server(self._database, error):
            # The next call reconnects instead of reusing a dead connection.
            db.drop_connection(self._database)
            return UnavailableError(
                f"cannot reach the database server at {self._location}: "
                f"{db.describe_error(error)}; check that it is running, then retry"
            )
        return StorageError(f"{db.describe_error(error)} ({self._location})")


class _Storage:
    """``TokenService._storage()``: a class, not a generator, since verify enters it
    once per token and a generator-based context manager costs more than the lookup's
    own Python work."""

    __slots__ = ("_recheck_file_after", "_service")

    def __init__(self, service: TokenService, recheck_file_after: float = 0.0) -> None:
        self._service = service
        self._recheck_file_after = recheck_file_after

    def __enter__(self) -> None:
        self._service._enter_storage(self._recheck_file_after)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if isinstance(error, Exception):
            translated = self._service._translated(error)
            if translated is not None:
                raise translated from None


def _changed() -> None:
    """Tell other clients, inside the current write transaction, that something changed."""
    (
        ControlState.update(revision=ControlState.revision + 1)
        .where(ControlState.id == ControlState.SINGLETON_ID)
        .execute()
    )


def _check_token_id(token_id: object) -> None:
    if isinstance(token_id, bool) or not isinstance(token_id, int) or token_id < 1:
        raise ValidationError("a token id is a positive whole number")


def _duplicate_project(existing_name: str) -> ConflictError:
    return ConflictError(f"a project named '{existing_name}' already exists (names ignore case)")


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def describe_location(url: str) -> str:
    """The database as a user would name it: a file path, or the URL without a password."""
    parts = urlsplit(url)
    if parts.scheme.lower() in db.SQLITE_SCHEMES:
        path = db.sqlite_target(url)
        return os.path.abspath(path) if path != ":memory:" else path
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def open_service(database_url: str | None = None, *, create: bool = True) -> TokenService:
    """Open the database (migrating it forward) and return the service over it.

    ``database_url`` overrides ML_DEPLOYMENT_DATABASE_URL, which overrides the default
    SQLite file in the user's data directory. With ``create`` false a missing SQLite file
    is a StorageError: a verifier pointed at a mistyped path must not answer "unknown
    token" from a database it just made.
    """
    url = config.database_url(database_url)
    if create and url == config.default_database_url():
        db.ensure_private_directory(config.default_database_path().parent)
    database = db.connect(url, create=create)
    service = TokenService(database, describe_location(url), database_file=db.sqlite_file(url))
    try:
        with service._storage():
            migrations.migrate_forward(database)
    except BaseException:
        database.close()
        raise
    return service
