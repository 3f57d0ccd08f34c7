"""Issuing a token in plain SQL: the write that gives a project a new token.

The service issues through it on its own connection, inside its write transaction
(``TokenService.generate``, and the successor of a rotation), and ``tokens generate`` on
an SQLite file runs it with ``sqlite3`` alone (``generate_in_sqlite_file``), as verify
runs ``app.verification``: a script that generates tokens for fifty projects does not
wait fifty times for the store's imports (peewee and the models, about 50 ms a process).
One implementation, so the two paths cannot drift apart.
"""

from __future__ import annotations

import hmac
from collections import namedtuple
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from app import config, lifecycle, locations, schema, tokens
from app.errors import ConfigurationError, NotFoundError, StorageError, ValidationError
from app.names import clean_name, name_key, refuse_token, storable
from app.verification import SQLITE, open_current_sqlite_file

DEFAULT_TOKEN_NAME = "Deployment token"  # noqa: S105 (a label, not a secret)
# As app.models.AuditEvent.GENERATED; the models are not imported on this path.
GENERATED = "generated"

# See app.lifecycle on why collections.namedtuple.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple

    from app.verification import Connection, Dialect

    class Issued(NamedTuple):
        """A token just stored: what the caller shows, never the digest."""

        id: int
        project: str
        name: str
        preview: str
        created_at: datetime
        created_by: str
        expires_at: datetime | None
        environments: tuple[str, ...]

    class ProjectRow(NamedTuple):
        id: int
        name: str
        policy: lifecycle.TokenPolicy

else:
    Issued = namedtuple(
        "Issued",
        ["id", "project", "name", "preview", "created_at", "created_by", "expires_at",
         "environments"],
    )  # fmt: skip
    ProjectRow = namedtuple("ProjectRow", ["id", "name", "policy"])

_STATEMENTS = {
    "fingerprint": f"SELECT salt_fingerprint FROM {schema.CONTROL_STATE_TABLE} WHERE id = ?",
    "claim_fingerprint": f"UPDATE {schema.CONTROL_STATE_TABLE} SET salt_fingerprint = ? "
    "WHERE id = ? AND salt_fingerprint IS NULL",
    "project": "SELECT id, name, default_lifetime_hours, max_lifetime_hours, allow_no_expiry "
    f"FROM {schema.PROJECT_TABLE} WHERE name_key = ?",
    "count_default_name": f"UPDATE {schema.PROJECT_TABLE} "
    "SET default_names_given = default_names_given + 1 WHERE id = ?",
    "default_names_given": f"SELECT default_names_given FROM {schema.PROJECT_TABLE} WHERE id = ?",
    "environment": f"SELECT id, name, name_key FROM {schema.ENVIRONMENT_TABLE} "
    "WHERE project_id = ? AND name_key = ?",
    "insert_token": f"INSERT INTO {schema.TOKEN_TABLE} "
    "(project_id, name, digest, preview, created_at, created_by, expires_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    "token_environment": f"INSERT INTO {schema.TOKEN_ENVIRONMENT_TABLE} "
    "(token_id, environment_id) VALUES (?, ?)",
    "audit": f"INSERT INTO {schema.AUDIT_TABLE} "
    "(project_id, action, token_id, token_preview, actor, occurred_at, detail) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)",
    "changed": f"UPDATE {schema.CONTROL_STATE_TABLE} SET revision = revision + 1 WHERE id = ?",
}


def project_key(project_name: object) -> str | None:
    """The key a project is found by, or None when no stored project can have it.

    Raises ValidationError for an empty name or one that holds a token (never echoed).
    """
    if not isinstance(project_name, str) or not project_name.strip():
        raise ValidationError("the project name cannot be empty")
    refuse_token(project_name, "project name")
    key = name_key(project_name.strip())
    # Bytes that were not UTF-8 (lone surrogates) name no stored project.
    return key if storable(key) else None


def environment_key(name: object) -> str | None:
    """The key an environment is found by within its project, or None when no stored
    environment can have it. Raises ValidationError for a name that holds a token."""
    if isinstance(name, str):
        refuse_token(name, "environment name")
    key = name_key(name.strip()) if isinstance(name, str) else ""
    return key if storable(key) else None


def no_such_project(project_name: str) -> NotFoundError:
    return NotFoundError(f"there is no project named '{project_name.strip()}'")


def no_such_environment(project: str, environment: object) -> NotFoundError:
    shown = environment.strip() if isinstance(environment, str) else environment
    return NotFoundError(
        f"project '{project}' has no environment '{shown}' (add it with "
        f"'deployment-tokens environments add --project {project} ENV')"
    )


def describe_scope(expires_at: datetime | None, environments: Iterable[str]) -> str:
    """A new token's expiry and environments, as the audit trail records them."""
    expiry = "no expiry" if expires_at is None else f"expires {when(expires_at)}"
    names = sorted(environments, key=str.casefold)
    return f"{expiry}; environments: {', '.join(names) if names else 'all'}"


def when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


class TokenIssuer:
    """Writes a new token and what goes with it, on a connection the caller holds in a
    write transaction (``Dialect.begin_write``); the caller commits."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._sql = {
            name: sql.replace("?", dialect.placeholder) for name, sql in _STATEMENTS.items()
        }

    def generate(
        self,
        connection: Connection,
        *,
        salt: bytes,
        plaintext: str,
        project_name: str,
        name: str | None,
        expiry: lifecycle.Expiry | None,
        environments: Sequence[str],
        actor: str,
        now: datetime,
    ) -> Issued:
        """Store ``plaintext``'s digest as a new token of the project: a default name
        when ``name`` is None, the policy's default lifetime when ``expiry`` is None,
        every environment when ``environments`` is empty. Audited as generated."""
        label = None if name is None else clean_name(name, "token name")
        self.remember_salt(connection, salt)
        project = self.project(connection, project_name)
        expires_at = (expiry or lifecycle.Expiry.default()).resolve(now, project.policy)
        chosen = [self.environment(connection, project, wanted) for wanted in environments]
        issued = self.insert_token(
            connection,
            project,
            label if label is not None else self._default_name(connection, project.id),
            (plaintext, salt),
            now,
            expires_at,
            chosen,
            actor,
        )
        self.audit(
            connection,
            project.id,
            GENERATED,
            (issued.id, issued.preview),
            actor,
            now,
            describe_scope(expires_at, issued.environments),
        )
        self.changed(connection)
        return issued

    def remember_salt(self, connection: Connection, salt: bytes) -> None:
        """Refuse a salt other than the one this database's tokens were made with; the
        first salt ever used is recorded (as a fingerprint, never the salt)."""
        fingerprint = tokens.salt_fingerprint(salt)
        row = connection.execute(self._sql["fingerprint"], (schema.CONTROL_STATE_ID,)).fetchone()
        stored = None if row is None else row[0]
        if stored is None:
            claimed = connection.execute(
                self._sql["claim_fingerprint"], (fingerprint, schema.CONTROL_STATE_ID)
            ).rowcount
            if claimed or row is None:
                return
            # Another client recorded its salt first (PostgreSQL re-reads the row once
            # that client commits): ours must match it.
            row = connection.execute(
                self._sql["fingerprint"], (schema.CONTROL_STATE_ID,)
            ).fetchone()
            stored = None if row is None else row[0]
            if stored is None:
                return
        if not hmac.compare_digest(stored, fingerprint):
            raise ConfigurationError(config.SALT_CHANGED)

    def project(self, connection: Connection, project_name: str) -> ProjectRow:
        key = project_key(project_name)
        row = None if key is None else connection.execute(self._sql["project"], (key,)).fetchone()
        if row is None:
            raise no_such_project(project_name)
        id_, name, default_hours, max_hours, allow_no_expiry = row
        return ProjectRow(
            id_, name, lifecycle.TokenPolicy.from_hours(default_hours, max_hours, allow_no_expiry)
        )

    def environment(
        self, connection: Connection, project: ProjectRow, name: str
    ) -> tuple[int, str, str]:
        """The project's environment ``name`` (id, name, key), or NotFoundError."""
        key = environment_key(name)
        row = (
            None
            if key is None
            else connection.execute(self._sql["environment"], (project.id, key)).fetchone()
        )
        if row is None:
            raise no_such_environment(project.name, name)
        return row[0], row[1], row[2]

    def insert_token(
        self,
        connection: Connection,
        project: ProjectRow,
        label: str,
        secret: tuple[str, bytes],
        now: datetime,
        expires_at: datetime | None,
        environments: Sequence[tuple[int, str, str]],
        actor: str,
    ) -> Issued:
        """Insert a token's row and its environments (each once)."""
        plaintext, salt = secret
        preview = tokens.preview(plaintext)
        store = self._dialect.store_time
        [token_id] = connection.execute(
            self._sql["insert_token"],
            (
                project.id,
                label,
                tokens.digest(plaintext, salt),
                preview,
                store(_naive(now)),
                actor,
                None if expires_at is None else store(_naive(expires_at)),
            ),
        ).fetchone()
        unique = {id_: (name, key) for id_, name, key in environments}
        for environment_id in unique:
            connection.execute(self._sql["token_environment"], (token_id, environment_id))
        names = tuple(name for name, key in sorted(unique.values(), key=lambda pair: pair[1]))
        return Issued(
            token_id,
            project.name,
            label,
            preview,
            _aware(now),
            actor,
            None if expires_at is None else _aware(expires_at),
            names,
        )

    def audit(
        self,
        connection: Connection,
        project_id: int,
        action: str,
        token: tuple[int, str] | None,
        actor: str,
        now: datetime,
        detail: str = "",
    ) -> None:
        token_id, preview = (None, None) if token is None else token
        connection.execute(
            self._sql["audit"],
            (
                project_id,
                action,
                token_id,
                preview,
                actor,
                self._dialect.store_time(_naive(now)),
                detail,
            ),
        )

    def changed(self, connection: Connection) -> None:
        """Tell other clients, inside this write transaction, that something changed."""
        connection.execute(self._sql["changed"], (schema.CONTROL_STATE_ID,))

    def _default_name(self, connection: Connection, project_id: int) -> str:
        """ "Deployment token N", N counting the project's default names (inside the
        write transaction, so two generates never get the same N)."""
        connection.execute(self._sql["count_default_name"], (project_id,))
        [given] = connection.execute(self._sql["default_names_given"], (project_id,)).fetchone()
        return f"{DEFAULT_TOKEN_NAME} {given}"


def generate_in_sqlite_file(
    url: str,
    project_name: str,
    name: str | None,
    expiry: lifecycle.Expiry | None,
    environments: Sequence[str],
) -> tuple[Issued, str] | None:
    """Generate a token in the SQLite file ``url`` names, with ``sqlite3`` alone.

    Returns None when this path does not apply (see ``open_current_sqlite_file``; no
    file yet counts too): the caller then opens the full service, which creates or
    migrates. Raises like the service: StorageError,
    ConfigurationError, ValidationError, NotFoundError.
    """
    import sqlite3

    opened = open_current_sqlite_file(url, missing_ok=True)
    if opened is None:
        return None
    connection, path = opened
    try:
        salt = config.load_salt()
        plaintext = tokens.new_token()
        connection.execute(SQLITE.begin_write)
        try:
            issued = TokenIssuer(SQLITE).generate(
                connection,
                salt=salt,
                plaintext=plaintext,
                project_name=project_name,
                name=name,
                expiry=expiry,
                environments=environments,
                actor=config.current_user(),
                now=datetime.now(UTC),
            )
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        # Only now, after the commit: a token the user sees is always a token that works.
        return issued, plaintext
    except sqlite3.Error as error:
        raise StorageError(f"{locations.describe_error(error)} ({path})") from None
    finally:
        connection.close()


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _aware(moment: datetime) -> datetime:
    """As the service hands times out: aware UTC, to the microsecond it stored."""
    return _naive(moment).replace(tzinfo=UTC)
