"""One open database, and everything about reaching it.

The service's use cases run inside ``Storage.guard``: it points the models at this
database, notices an SQLite file deleted or replaced under the app, and turns a driver's
error into one user-facing line that names the database.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from app import config
from app.errors import (
    AccessDeniedError,
    ConflictError,
    DeploymentTokensError,
    LockedError,
    StorageError,
    UnavailableError,
)
from app.store import db, locations, migrations, schema
from app.store.orm import peewee

# Verify looks at whether the SQLite file was deleted or replaced at most this often:
# the stat cost as much as the lookup itself. Every write looks each time.
VERIFY_FILE_RECHECK_SECONDS = 0.1

# PostgreSQL's lock_not_available: a wait for another session's lock ran past
# lock_timeout (app.store.db.LOCK_TIMEOUT_SECONDS).
_LOCK_NOT_AVAILABLE = "55P03"
# insufficient_privilege: what row-level security, a missing grant and the access
# control's own triggers and functions raise (app/store/access_control_v8.sql).
_INSUFFICIENT_PRIVILEGE = "42501"
# What the user is told is locked, by the table PostgreSQL names.
_LOCKED_SUBJECTS = {
    schema.TOKEN_TABLE: "the token's row",
    schema.PROJECT_TABLE: "the project's row",
    schema.CONTROL_STATE_TABLE: "the change counter that every change moves",
}
# The sessions that may hold a lock on a table: those with more than a reader's lock
# on it, that are not themselves waiting. A guess (row locks are not listed), named
# as one; only the server's pids, which any role may see in pg_locks.
_LOCK_HOLDERS_SQL = (
    "SELECT DISTINCT l.pid FROM pg_locks l "
    "WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid() "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.mode <> 'AccessShareLock' "
    "AND (CAST(%s AS text) IS NULL OR l.relation = to_regclass(CAST(%s AS text))) "
    "AND NOT EXISTS (SELECT 1 FROM pg_locks w WHERE w.pid = l.pid AND NOT w.granted) "
    "ORDER BY l.pid LIMIT 3"
)


class FileIdentity:
    """Which file an open SQLite database is, to notice it being deleted or replaced.

    SQLite keeps writing to a deleted file's inode, so without this check a deleted
    database would swallow every change until the app closed, and lose them all.
    """

    def __init__(self, path: Path, device: int, inode: int) -> None:
        self.path = path
        self.device = device
        self.inode = inode
        self._name = str(path)  # os.stat on a str: this runs before every use
        self._confirmed_at = float("-inf")

    @classmethod
    def of(cls, path: Path) -> FileIdentity:
        try:
            status = os.stat(path)
        except OSError:
            return cls(path, -1, -1)
        return cls(path, status.st_dev, status.st_ino)

    def problem(self, recheck_after: float = 0.0) -> str | None:
        """Why the file at ``path`` is no longer the one that was opened, or None.

        With ``recheck_after``, a file confirmed less than that many seconds ago is not
        looked at again: verify uses it, where the ``stat`` cost as much as a lookup.
        """
        now = time.monotonic()
        if now - self._confirmed_at < recheck_after:
            return None
        try:
            status = os.stat(self._name)
        except FileNotFoundError:
            return (
                f"the database file {self.path} was deleted while the app was running; "
                "restore it from a backup, or restart to start afresh"
            )
        except OSError as error:
            return f"cannot reach the database file {self.path}: {error.strerror}"
        if (status.st_dev, status.st_ino) != (self.device, self.inode):
            return (
                f"the database file {self.path} was replaced while the app was running; "
                "retry to open the new file"
            )
        self._confirmed_at = now
        return None


class Storage:
    """A database the service uses: the connection, where it is, and its guards."""

    def __init__(self, database: peewee.Database, location: str, file: Path | None) -> None:
        self.database = database
        # Where the data lives: a file path, or the URL without its password.
        self.location = location
        self._file = FileIdentity.of(file) if file is not None else None
        # ``with storage.guard:`` around every use case; verify's looks at the file less.
        self.guard = _Guard(self)
        self.verify_guard = _Guard(self, recheck_file_after=VERIFY_FILE_RECHECK_SECONDS)

    @property
    def is_sqlite(self) -> bool:
        return isinstance(self.database, peewee.SqliteDatabase)

    def raw_connection(self) -> Any:
        """The DB-API connection for this thread, opened if need be."""
        return db.raw_connection(self.database)

    def reconnect(self) -> None:
        """Drop the connection and open it again, for a Retry after an outage.

        Never creates a database: a file that was deleted stays an error.
        """
        db.drop_connection(self.database)
        if self._file is not None:
            self._file = FileIdentity.of(self._file.path)
        with self.guard:
            migrations.migrate_forward(self.database)

    def close(self) -> None:
        """Close this thread's connection (each thread has its own)."""
        db.drop_connection(self.database)

    def enter(self, recheck_file_after: float = 0.0) -> None:
        if db.database_proxy.obj is not self.database:
            # The models bind to one proxy, kept per thread; pointing it at this database
            # before each use lets several services (two databases, or the app and a
            # test's own service) live in one process and in several threads.
            db.database_proxy.initialize(self.database)
        if self._file is not None:
            problem = self._file.problem(recheck_file_after)
            if problem is not None:
                db.drop_connection(self.database)
                raise StorageError(problem)

    def translated(self, error: Exception) -> DeploymentTokensError | None:
        """The user-facing error for a driver's ``error``; None for anything else."""
        if isinstance(error, DeploymentTokensError):
            return None
        if isinstance(error, peewee.IntegrityError) or db.is_integrity_error(error):
            return ConflictError(
                f"the change conflicts with what is stored: {db.describe_error(error)}"
            )
        if not db.is_driver_error(error):
            return None
        driver_error = _with_sqlstate(error)
        if driver_error is not None and driver_error.sqlstate == _LOCK_NOT_AVAILABLE:
            return self._locked(driver_error)
        if driver_error is not None and driver_error.sqlstate == _INSUFFICIENT_PRIVILEGE:
            # The use cases name the level needed before the database refuses; this is
            # for what they did not foresee, in the server's words (one line).
            said = db.describe_error(error).replace('"', "'")
            return AccessDeniedError(f"the database refused this role the change: {said}")
        if db.lost_server(self.database, error):
            # The next call reconnects instead of reusing a dead connection.
            db.drop_connection(self.database)
            return UnavailableError(
                f"cannot reach the database server at {self.location}: "
                f"{db.describe_error(error)}; check that it is running, then retry"
            )
        return StorageError(f"{db.describe_error(error)} ({self.location})")

    def _locked(self, error: Any) -> LockedError:
        """Say what a lock timeout found locked, and by whom, as far as the server tells.

        Runs after the failed transaction was rolled back (the guard is entered before
        the transaction), so this connection can still ask."""
        context = getattr(getattr(error, "diag", None), "context", None) or ""
        found = re.search(r'in relation "([^"]+)"', context)
        table = found.group(1) if found else None
        subject = _LOCKED_SUBJECTS.get(table or "", "something this change needs")
        try:
            rows = self.raw_connection().execute(_LOCK_HOLDERS_SQL, (table, table)).fetchall()
            holders = tuple(int(row[0]) for row in rows)
        except Exception:  # the driver's, whichever: the message goes out without a pid
            holders = ()
        return LockedError(subject, holders)


def _with_sqlstate(error: BaseException) -> Any:
    """The driver's own error behind ``error`` (peewee wraps it) when it carries an
    SQLSTATE, as psycopg's do; None otherwise."""
    for candidate in (error, *error.args[:1], error.__cause__, error.__context__):
        if isinstance(getattr(candidate, "sqlstate", None), str):
            return candidate
    return None


class _Guard:
    """``with storage.guard:``. A class, not a generator: verify enters it once per
    token, and a generator-based context manager costs more than the lookup's own
    Python work."""

    __slots__ = ("_recheck_file_after", "_storage")

    def __init__(self, storage: Storage, recheck_file_after: float = 0.0) -> None:
        self._storage = storage
        self._recheck_file_after = recheck_file_after

    def __enter__(self) -> None:
        self._storage.enter(self._recheck_file_after)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if isinstance(error, Exception):
            translated = self._storage.translated(error)
            if translated is not None:
                raise translated from None


def open_storage(database_url: str | None = None, *, create: bool = True) -> Storage:
    """Open the database (migrating it forward) named by ``database_url``.

    ``database_url`` overrides ML_DEPLOYMENT_DATABASE_URL, which overrides the default
    SQLite file in the user's data directory. With ``create`` false nothing is created or
    migrated: a missing SQLite file, or a database without this release's schema, is a
    StorageError, since a verifier pointed at a mistyped path must not answer "unknown
    token" from a database it just made.
    """
    url = config.database_url(database_url)
    if create and url == config.default_database_url():
        db.ensure_private_directory(config.default_database_path().parent)
    database = db.connect(url, create=create)
    storage = Storage(database, locations.describe_location(url), locations.sqlite_file(url))
    try:
        with storage.guard:
            if create:
                migrations.migrate_forward(database)
            else:
                migrations.require_current(database, storage.location)
    except BaseException:
        database.close()
        raise
    return storage
