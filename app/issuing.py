"""Issuing a token in plain SQL: the write that gives a project a new token.

The service issues through it on its own connection, inside its write transaction
(``TokenService.generate``, and the successor of a rotation), and ``tokens generate`` on
an SQLite file runs it with ``sqlite3`` alone (``generate_in_sqlite_file``), as verify
runs ``app.verification``: a script that generates tokens for fifty projects does not
wait fifty times for the store's imports (peewee and the models, about 50 ms a process).
One implementation, so the two paths cannot drift apart. A rotation is issued here too
(``TokenIssuer.rotate``): its successor is this very write. The statements, the dialects
and the opening of an SQLite file are ``app.store.plain_sql``'s.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta

from app import config, lifecycle, tokens
from app.access_levels import MANAGER, level_rank, refusal
from app.errors import AccessDeniedError, ConflictError, StorageError, ValidationError
from app.names import (
    clean_name,
    environment_key,
    no_such_environment,
    no_such_project,
    no_such_token,
    project_key,
)
from app.store import locations, plain_sql, schema
from app.store.plain_sql import POSTGRESQL, SQLITE, aware_utc, naive_utc, open_current_sqlite_file

DEFAULT_TOKEN_NAME = "Deployment token"  # noqa: S105 (a label, not a secret)
# As app.store.models.AuditEvent's; the models are not imported on this path
# (tests/app/store/test_plain_sql.py holds them equal).
GENERATED = "generated"
ROTATED = "rotated"

# See app.lifecycle on why collections.namedtuple.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple

    from app.store.plain_sql import Connection, Dialect

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


def check_token_id(token_id: object) -> None:
    if isinstance(token_id, bool) or not isinstance(token_id, int) or token_id < 1:
        raise ValidationError("a token id is a positive whole number")
    if token_id > schema.MAX_ID:
        raise ValidationError(f"a token id is at most {schema.MAX_ID}")


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
        self._sql = dialect.sql

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
        project = self.project(connection, project_name, actor)
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
            (project.id, project.name),
            GENERATED,
            (issued.id, issued.preview),
            actor,
            now,
            describe_scope(expires_at, issued.environments),
        )
        self.changed(connection)
        return issued

    def rotate(
        self,
        connection: Connection,
        *,
        salt: bytes,
        plaintext: str,
        project_name: str,
        token_id: int,
        grace: timedelta,
        actor: str,
        clock: Callable[[], datetime],
    ) -> tuple[Issued, datetime]:
        """Store ``plaintext``'s digest as the successor of the project's token
        ``token_id``: the same name, environments and lifetime. The old token stops at
        now + ``grace``, or when it expires if that comes sooner; with no grace it is
        deleted at once. Audited as rotated (the old token) and generated (the
        successor). Returns the successor and when the old token stops."""
        self.remember_salt(connection, salt)
        project = self.project(connection, project_name, actor)
        old = self._rotatable(connection, project, token_id)
        now = clock()
        successor = self._successor(connection, project, old, (plaintext, salt), actor, now)
        stop = lifecycle.stop_after(grace, self._expiry_of(old), now)
        ending = _ending(grace, stop)
        self._audit_rotation(
            connection, (project.id, project.name), (old[0], old[2]), successor, ending
        )
        self._retire(connection, project, old[0], successor.id, grace, stop)
        self.changed(connection)
        return successor, stop

    def start_rotation(
        self,
        connection: Connection,
        *,
        salt: bytes,
        plaintext: str,
        project_name: str,
        token_id: int,
        actor: str,
        now: datetime,
        why: str,
    ) -> Issued:
        """A rotation's first step: the successor of ``token_id`` (as ``rotate`` makes
        it), audited as generated with ``why``; the old token keeps working as it was,
        claimed for this successor (no other rotation starts) until ``finish_rotation``
        or ``release_rotation``, when a step between fails."""
        self.remember_salt(connection, salt)
        project = self.project(connection, project_name, actor)
        old = self._rotatable(connection, project, token_id)
        successor = self._successor(connection, project, old, (plaintext, salt), actor, now)
        claimed = connection.execute(self._sql["claim_rotation"], (-successor.id, old[0]))
        if claimed.rowcount != 1:  # another rotation claimed it since we read it
            raise ConflictError(f"token {old[0]} is being rotated right now; try again later")
        scope = describe_scope(successor.expires_at, successor.environments)
        detail = f"successor of token {old[0]} ({old[2]}), {why}; {scope}"
        self.audit(
            connection, (project.id, project.name), GENERATED, (successor.id, successor.preview),
            actor, now, detail,
        )  # fmt: skip
        self.changed(connection)
        return successor

    def finish_rotation(
        self,
        connection: Connection,
        *,
        project_name: str,
        token_id: int,
        successor: tuple[int, str],
        grace: timedelta,
        actor: str,
        now: datetime,
    ) -> datetime:
        """A rotation's last step: the old token ``token_id`` retires after ``grace`` for
        ``successor`` (id, preview), audited as rotated; returns when it stops."""
        project = self.project(connection, project_name, actor)
        old = self._rotatable(connection, project, token_id, claimed_by=-successor[0])
        found = connection.execute(self._sql["project_token"], (successor[0], project.id))
        if found.fetchone() is None:
            raise ConflictError(
                f"token {successor[0]} ({successor[1]}) was revoked before the rotation "
                f"finished: token {token_id} is left as it was"
            )
        stop = lifecycle.stop_after(grace, self._expiry_of(old), now)
        detail = f"replaced by token {successor[0]} ({successor[1]}); the old token "
        self.audit(
            connection, (project.id, project.name), ROTATED, (old[0], old[2]), actor, now,
            detail + _ending(grace, stop),
        )  # fmt: skip
        self._retire(connection, project, old[0], successor[0], grace, stop)
        self.changed(connection)
        return stop

    def release_rotation(self, connection: Connection, token_id: int, successor_id: int) -> bool:
        """Unclaim the old token (a step after ``start_rotation`` failed); False if not ours."""
        released = connection.execute(self._sql["release_rotation"], (token_id, -successor_id))
        return bool(released.rowcount == 1)

    def _successor(
        self,
        connection: Connection,
        project: ProjectRow,
        old: tuple[int, str, str, Any, Any],
        secret: tuple[str, bytes],
        actor: str,
        now: datetime,
    ) -> Issued:
        """Insert the successor of ``old`` (as ``_rotatable`` read it): its name, its
        environments, its lifetime from ``now``."""
        old_id, old_name, _, created_at, _ = old
        read = self._dialect.read_time
        environments = connection.execute(self._sql["token_environment_rows"], (old_id,)).fetchall()
        return self.insert_token(
            connection,
            project,
            old_name,
            secret,
            now,
            lifecycle.successor_expiry(project.policy, read(created_at), self._expiry_of(old), now),
            [(id_, name, key) for id_, name, key in environments],
            actor,
        )

    def _expiry_of(self, old: tuple[int, str, str, Any, Any]) -> datetime | None:
        return None if old[4] is None else self._dialect.read_time(old[4])

    def _retire(
        self,
        connection: Connection,
        project: ProjectRow,
        old_id: int,
        successor_id: int,
        grace: timedelta,
        stop: datetime,
    ) -> None:
        """The old token stops at ``stop`` (the end of its grace), or at once."""
        if grace:
            retired = (self._dialect.store_time(naive_utc(stop)), successor_id, old_id)
            connection.execute(self._sql["retire_token"], retired)
        elif not self._delete(connection, old_id):
            raise no_such_token(project.name, old_id)

    def _audit_rotation(
        self,
        connection: Connection,
        project: tuple[int, str],
        old: tuple[int, str],
        successor: Issued,
        ending: str,
    ) -> None:
        """The rotation's two events: the old token (id, preview) rotated, its
        successor generated, by the successor's maker at its birth."""
        actor, now = successor.created_by, successor.created_at
        detail = f"replaced by token {successor.id} ({successor.preview}); the old token {ending}"
        self.audit(connection, project, ROTATED, old, actor, now, detail)
        scope = describe_scope(successor.expires_at, successor.environments)
        detail = f"rotated from token {old[0]} ({old[1]}); {scope}"
        self.audit(
            connection, project, GENERATED, (successor.id, successor.preview), actor, now, detail
        )

    def _rotatable(
        self, connection: Connection, project: ProjectRow, token_id: int, claimed_by: int = 0
    ) -> tuple[int, str, str, Any, Any]:
        """The project's token ``token_id`` (id, name, preview, created_at, expires_at as
        read); NotFoundError, or ConflictError when it was rotated or another rotation
        claimed it (``claimed_by``: this rotation's own claim)."""
        check_token_id(token_id)
        row = connection.execute(self._sql["project_token"], (token_id, project.id)).fetchone()
        if row is None:
            raise no_such_token(project.name, token_id)
        old_id, name, preview, created_at, expires_at, replaced_by = row
        if replaced_by is not None and replaced_by != claimed_by:
            if replaced_by < 0:  # start_rotation's claim
                raise ConflictError(f"token {old_id} is being rotated right now; try later")
            raise ConflictError(
                f"token {old_id} was rotated already: token {replaced_by} replaces it"
            )
        return old_id, name, preview, created_at, expires_at

    def _delete(self, connection: Connection, token_id: int) -> bool:
        """Delete the token; False when it is gone already. On PostgreSQL through the
        server's function, which checks the level (no client may DELETE itself)."""
        if self._dialect is POSTGRESQL:
            row = connection.execute(self._sql["delete_token_checked"], (token_id,)).fetchone()
            return bool(row[0])
        return connection.execute(self._sql["delete_token"], (token_id,)).rowcount == 1

    def remember_salt(self, connection: Connection, salt: bytes) -> None:
        """Refuse a salt other than the one this database's tokens were made with; the
        first salt ever used is recorded (as a fingerprint, never the salt)."""
        plain_sql.remember_salt(connection.execute, self._dialect, salt)

    def project(
        self, connection: Connection, project_name: str, actor: str | None = None
    ) -> ProjectRow:
        """The project a new token goes to. On PostgreSQL, with the ``actor`` whose level
        it is, refused (AccessDeniedError) below manager, before the database's policies
        would refuse the insert; in the same round trip as the project."""
        key = project_key(project_name)
        checked = actor is not None and self._dialect is POSTGRESQL
        statement = self._sql["project_and_level" if checked else "project"]
        row = None if key is None else connection.execute(statement, (key,)).fetchone()
        if row is None:
            raise no_such_project(project_name)
        id_, name, default_hours, max_hours, allow_no_expiry = row[:5]
        if checked and level_rank(row[5]) < level_rank(MANAGER):
            raise AccessDeniedError(refusal(MANAGER, name, row[5], str(actor)))
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
        deployer_id: int | None = None,
    ) -> Issued:
        """Insert a token's row and its environments (each once); ``deployer_id``: the
        binding whose exchange issued it (SQLite's exchange)."""
        plaintext, salt = secret
        preview = tokens.preview(plaintext)
        store = self._dialect.store_time
        values: tuple[object, ...] = (
            project.id,
            label,
            tokens.digest(plaintext, salt),
            preview,
            store(naive_utc(now)),
            actor,
            None if expires_at is None else store(naive_utc(expires_at)),
        )
        statement = "insert_token"
        if deployer_id is not None:
            statement, values = "insert_exchanged_token", (*values, deployer_id)
        [token_id] = connection.execute(self._sql[statement], values).fetchone()
        unique = {id_: (name, key) for id_, name, key in environments}
        for environment_id in unique:
            connection.execute(self._sql["insert_token_environment"], (token_id, environment_id))
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
        project: tuple[int, str],
        action: str,
        token: tuple[int, str] | None,
        actor: str,
        now: datetime,
        detail: str = "",
    ) -> None:
        """Append an event of ``project`` (id, name) about ``token`` (id, preview)."""
        plain_sql.append_audit(
            connection.execute, self._dialect, project, action, token, actor, naive_utc(now), detail
        )

    def changed(self, connection: Connection) -> None:
        """Tell other clients, inside this write transaction, that something changed."""
        plain_sql.bump_revision(connection.execute, self._dialect)

    def _default_name(self, connection: Connection, project_id: int) -> str:
        """ "Deployment token N", N counting the project's default names (inside the
        write transaction, so two generates never get the same N)."""
        connection.execute(self._sql["count_default_name"], (project_id,))
        [given] = connection.execute(self._sql["default_names_given"], (project_id,)).fetchone()
        return f"{DEFAULT_TOKEN_NAME} {given}"


def _ending(grace: timedelta, stop: datetime) -> str:
    return "was revoked at once" if not grace else f"stops at {when(stop)}"


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


def _aware(moment: datetime) -> datetime:
    """As the service hands times out: aware UTC, to the microsecond it stored."""
    return aware_utc(naive_utc(moment))
