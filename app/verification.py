"""Verifying a token with plain SQL on a DB-API connection: the path pipelines hit.

It imports neither peewee nor a database driver, so ``deployment-tokens verify`` on SQLite
starts in a few milliseconds (``app.cli`` opens the file with ``sqlite3`` itself), and one
call costs one HMAC and one indexed SELECT, plus, at most once a minute per token, the
write that records its use. ``TokenService.check`` runs the same code on its own
connection, so the two paths cannot drift apart.
"""

from __future__ import annotations

import hmac
from collections import namedtuple
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from app import config, locations, schema, tokens
from app.errors import ConfigurationError, StorageError
from app.names import name_key, refuse_token

# Recording every use would turn each verify into a write; a minute is as precise as
# "Last used" needs to be, and it keeps verification a read.
LAST_USED_RESOLUTION = timedelta(minutes=1)
UNKNOWN = "the token is unknown or has been revoked"


# Named tuples rather than dataclasses: importing dataclasses (and inspect with it) would
# cost the verify process more than the whole lookup does. For the same reason they are
# made with collections.namedtuple, not typing.NamedTuple (typing costs 2 ms): the
# classes under TYPE_CHECKING describe the same tuples to the type checker.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, NamedTuple, Protocol

    class Verdict(NamedTuple):
        """The outcome of a verification: the project's name, or why it was refused.

        ``code`` says why in one word, for programs: ``malformed``, ``unknown``,
        ``expired``, ``wrong_project``, ``wrong_environment`` or ``revoked``.
        """

        project: str | None
        reason: str | None = None
        code: str | None = None
        token_id: int | None = None

    class Cursor(Protocol):
        @property
        def rowcount(self) -> int: ...

        def fetchone(self) -> Any: ...

        def fetchall(self) -> list[Any]: ...

    class Connection(Protocol):
        def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...

    class Dialect(NamedTuple):
        """What differs between the backends at the level of plain SQL."""

        placeholder: str
        begin_write: str
        # How a timestamp (naive UTC) is passed to the driver, in a form that compares
        # with what the driver hands back: ISO text on SQLite, as peewee stores it, which
        # sorts in time order; a datetime on PostgreSQL.
        store_time: Callable[[datetime], Any]

else:
    Verdict = namedtuple(
        "Verdict", ["project", "reason", "code", "token_id"], defaults=(None, None, None)
    )
    Verdict.__doc__ = "The outcome of a verification: the project's name, or why it was refused."
    Dialect = namedtuple("Dialect", ["placeholder", "begin_write", "store_time"])
    Dialect.__doc__ = "What differs between the backends at the level of plain SQL."


SQLITE = Dialect(
    placeholder="?",
    # Takes the write lock up front; an upgrade from a read lock could fail at once.
    begin_write="BEGIN IMMEDIATE",
    store_time=lambda moment: moment.isoformat(" "),
)
POSTGRESQL = Dialect(
    placeholder="%s",
    begin_write="BEGIN",
    store_time=lambda moment: moment,
)


# The tables and columns that app.models describes (the suite runs these on both backends).
_STATEMENTS = {
    "fingerprint": f"SELECT salt_fingerprint FROM {schema.CONTROL_STATE_TABLE} WHERE id = ?",
    # The project's name comes with the token, by a join rather than a cache: projects
    # can be renamed (and deleted) while a verifier runs for days.
    "lookup": "SELECT t.id, t.digest, t.last_used_at, t.project_id, t.expires_at, "
    "t.replaced_by, p.name, p.name_key "
    f"FROM {schema.TOKEN_TABLE} t JOIN {schema.PROJECT_TABLE} p ON p.id = t.project_id "
    "WHERE t.digest = ?",
    "environment": f"SELECT id FROM {schema.ENVIRONMENT_TABLE} "
    "WHERE project_id = ? AND name_key = ?",
    "token_environments": "SELECT environment_id "
    f"FROM {schema.TOKEN_ENVIRONMENT_TABLE} WHERE token_id = ?",
    "record_use": f"UPDATE {schema.TOKEN_TABLE} SET last_used_at = ? WHERE id = ?",
    "changed": f"UPDATE {schema.CONTROL_STATE_TABLE} SET revision = revision + 1 WHERE id = ?",
}


class TokenVerifier:
    """Verifies tokens against the tables that ``app.models`` describes, in plain SQL.

    One verifier serves one database; the connection is passed to each call, since the
    caller may reconnect between calls or use one connection per thread.
    """

    def __init__(
        self, dialect: Dialect, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._dialect = dialect
        self._sql = {
            name: sql.replace("?", dialect.placeholder) for name, sql in _STATEMENTS.items()
        }
        self._clock = clock
        # The salt last seen to match the stored fingerprint: once it has, no further
        # call needs to read the fingerprint while the salt stays the same.
        self._matched_salt: bytes | None = None
        self._last_project: tuple[str | None, str] = (None, "")
        # Worked out once a second, in the driver's form (see _tick): the start and end
        # of the current second, and the moment a use must be after to count as recent.
        self._second: int | None = None
        self._second_starts: Any = None
        self._second_ends: Any = None
        self._cutoff: Any = None

    def check(
        self,
        connection: Connection,
        salt: bytes,
        plaintext: object,
        project_name: str | None = None,
        environment: str | None = None,
    ) -> Verdict:
        """Verify like ``TokenService.verify``, and say why a token was refused.

        ``salt`` is ``config.load_salt()``. Raises ConfigurationError for a salt other
        than the one the database remembers, and the driver's errors for a database that
        cannot be read. Without ``environment``, the environment is not checked.
        """
        # A token given as the project or environment is refused, never echoed.
        if project_name is not None and tokens.PREFIX in project_name:
            refuse_token(project_name, "project name")
        if environment is not None and tokens.PREFIX in environment:
            refuse_token(environment, "environment name")
        if salt != self._matched_salt:
            # A verifier with the wrong salt must say so, not call every token unknown.
            self.check_salt(connection, salt)
        if not isinstance(plaintext, str):
            return Verdict(None, "a deployment token is text", "malformed")
        problem = tokens.format_problem(plaintext)
        if problem is not None:
            return Verdict(None, problem, "malformed")
        digest = tokens.digest(plaintext, salt)
        row = connection.execute(self._sql["lookup"], (digest,)).fetchone()
        if row is None:
            return Verdict(None, UNKNOWN, "unknown")
        token_id, stored_digest, last_used_at, project_id, expires_at, replaced_by, name, key = row
        if not hmac.compare_digest(stored_digest, digest):
            return Verdict(None, UNKNOWN, "unknown")
        if project_name is not None and self._key_of(project_name) != key:
            reason = f"the token does not belong to project '{project_name.strip()}'"
            return Verdict(None, reason, "wrong_project", token_id)
        now = self._clock()
        self._tick(now)  # once per call: what follows compares with this second's bounds
        if expires_at is not None and self._has_expired(expires_at, now):
            return Verdict(None, _expired(expires_at, replaced_by), "expired", token_id)
        if environment is not None:
            refused = self._environment_problem(connection, project_id, name, token_id, environment)
            if refused is not None:
                return Verdict(None, refused, "wrong_environment", token_id)
        if not self._record_use(connection, token_id, last_used_at, now):
            return Verdict(None, "the token has been revoked", "revoked", token_id)
        return Verdict(name, None, None, token_id)

    def _environment_problem(
        self,
        connection: Connection,
        project_id: int,
        project: str,
        token_id: int,
        environment: str,
    ) -> str | None:
        """Why the token may not deploy to ``environment``, or None when it may."""
        shown = environment.strip()
        found = connection.execute(
            self._sql["environment"], (project_id, name_key(shown))
        ).fetchone()
        if found is None:
            return f"project '{project}' has no environment '{shown}'"
        allowed = connection.execute(self._sql["token_environments"], (token_id,))
        allowed_ids = {row[0] for row in allowed.fetchall()}
        if allowed_ids and found[0] not in allowed_ids:
            return f"the token is not allowed in environment '{shown}'"
        return None

    def _tick(self, now: datetime) -> None:
        """Work out this second's bounds in the driver's form, once a second.

        Most calls are for tokens that expire long after this second and were used
        moments ago: comparing with values worked out once a second answers them
        without formatting ``now`` on every call.
        """
        second = int(now.timestamp())
        if second != self._second:
            whole = _naive_utc(now).replace(microsecond=0)
            store = self._dialect.store_time
            self._second_starts = store(whole)
            self._second_ends = store(whole + timedelta(seconds=1))
            self._cutoff = store(whole - LAST_USED_RESOLUTION)
            self._second = second

    def _has_expired(self, expires_at: Any, now: datetime) -> bool:
        """Whether ``expires_at`` (as the driver returned it) is at or before ``now``
        (the moment ``_tick`` was last given)."""
        if expires_at >= self._second_ends:
            return False
        if expires_at <= self._second_starts:
            return True
        # It expires within this very second: compare exactly.
        return bool(expires_at <= self._dialect.store_time(_naive_utc(now)))

    def _key_of(self, project_name: str) -> str:
        # A pipeline asks about the same project every time: normalise it once.
        if project_name != self._last_project[0]:
            self._last_project = (project_name, name_key(project_name.strip()))
        return self._last_project[1]

    def check_salt(self, connection: Connection, salt: bytes) -> None:
        """Raise ConfigurationError if ``salt`` is not the one this database remembers."""
        row = connection.execute(self._sql["fingerprint"], (schema.CONTROL_STATE_ID,)).fetchone()
        stored = None if row is None else row[0]
        if stored is None:
            return  # No token was ever generated here: any salt may be the first.
        if not hmac.compare_digest(stored, tokens.salt_fingerprint(salt)):
            raise ConfigurationError(config.SALT_CHANGED)
        self._matched_salt = salt

    def _record_use(
        self, connection: Connection, token_id: int, last_used_at: Any, now: datetime
    ) -> bool:
        """Record the use unless it was recorded within the resolution.

        ``last_used_at`` is as the driver returned it. Returns False when the token
        turned out to be revoked since it was read.
        """
        if now.tzinfo is not UTC:
            now = now.astimezone(UTC)
        # The cutoff as of this call's second (check ticked the clock).
        if last_used_at is not None and last_used_at > self._cutoff:
            return True
        now = now.replace(tzinfo=None)
        try:
            connection.execute(self._dialect.begin_write)
            try:
                updated = connection.execute(
                    self._sql["record_use"], (self._dialect.store_time(now), token_id)
                ).rowcount
                if updated:
                    # Other clients' windows refresh when this moves.
                    connection.execute(self._sql["changed"], (schema.CONTROL_STATE_ID,))
                connection.execute("COMMIT")
            except BaseException as failure:
                try:
                    connection.execute("ROLLBACK")
                except Exception:
                    # SQLite ends the transaction itself on a full disk or an I/O
                    # error; "no transaction is active" would hide why.
                    raise failure from None
                raise
        except Exception as error:  # any driver's error: the verifier knows no driver
            # The token was valid when read; failing a deployment because a timestamp
            # could not be written would be worse than a stale "Last used".
            import logging  # only here: the verify process never pays for it otherwise

            logging.getLogger(__name__).warning(
                "could not record the use of token %d: %s",
                token_id,
                locations.describe_error(error),
            )
            return True
        return int(updated) == 1


def _naive_utc(moment: datetime) -> datetime:
    """As the database stores times: naive UTC."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None)


def _expired(expires_at: Any, replaced_by: int | None) -> str:
    """Why an expired token was refused, with when (as the driver returned it)."""
    moment = datetime.fromisoformat(expires_at) if isinstance(expires_at, str) else expires_at
    when = moment.strftime("%Y-%m-%d %H:%M UTC")
    if replaced_by is not None:
        return f"the token was rotated and its grace period ended at {when}"
    return f"the token expired at {when}"


def check_sqlite_file(
    url: str,
    plaintext: object,
    project_name: str | None = None,
    environment: str | None = None,
) -> Verdict | None:
    """Verify against the SQLite file ``url`` names, with ``sqlite3`` alone.

    Returns None when this path does not apply (see ``open_current_sqlite_file``): the
    caller then opens the full service, which handles those. Never creates a file.
    Raises StorageError and ConfigurationError like the service.
    """
    import sqlite3

    opened = open_current_sqlite_file(url)
    if opened is None:
        return None
    connection, path = opened
    try:
        salt = config.load_salt()
        return TokenVerifier(SQLITE).check(connection, salt, plaintext, project_name, environment)
    except sqlite3.Error as error:
        raise StorageError(f"{locations.describe_error(error)} ({path})") from None
    finally:
        connection.close()


def open_current_sqlite_file(url: str, *, missing_ok: bool = False) -> tuple[Any, Path] | None:
    """A plain ``sqlite3`` connection (autocommit, the store's busy timeout, foreign keys
    on) to the SQLite file ``url`` names, with its path; the caller closes it.

    None when the plain-SQL fast paths (verify, generate) do not apply: PostgreSQL, an
    in-memory database, a file without this release's schema (another version, or
    another application's), and with ``missing_ok`` no file at all. Otherwise a missing
    or unsafe file is refused (``locations.check_existing_sqlite_file``). Raises
    StorageError when SQLite cannot open or read it.
    """
    import sqlite3

    path = locations.sqlite_file(url)
    if path is None or (missing_ok and not path.exists()):
        return None
    locations.check_existing_sqlite_file(path)
    try:
        connection = sqlite3.connect(
            path, timeout=schema.BUSY_TIMEOUT_SECONDS, isolation_level=None
        )
    except sqlite3.Error as error:
        raise StorageError(f"{locations.describe_error(error)} ({path})") from None
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(schema.BUSY_TIMEOUT_SECONDS * 1000)}")
        connection.execute("PRAGMA foreign_keys = 1")
        try:
            row = connection.execute(
                f"SELECT version FROM {schema.SCHEMA_VERSION_TABLE}"
            ).fetchone()
        except sqlite3.OperationalError as error:
            if "no such table" not in str(error):
                raise
            row = None
    except sqlite3.Error as error:
        connection.close()
        raise StorageError(f"{locations.describe_error(error)} ({path})") from None
    if row is None or row[0] != schema.SCHEMA_VERSION:
        connection.close()
        return None
    return connection, path
