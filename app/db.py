"""The database connection: URL parsing, SQLite file hygiene and connection settings.

Models bind to ``database_proxy``; ``connect`` builds the real database from a
``playhouse.db_url`` style URL and points the proxy at it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import peewee
from playhouse import db_url

from app.errors import ConfigurationError, StorageError

database_proxy = peewee.DatabaseProxy()

# What the drivers raise; the service turns these into StorageError.
DRIVER_ERRORS: tuple[type[BaseException], ...] = (peewee.PeeweeException, sqlite3.Error)

BUSY_TIMEOUT_SECONDS = 5.0
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # WAL with synchronous=NORMAL keeps every commit atomic and durable against
    # application crashes; only a power loss may roll back the last commits.
    "synchronous": "normal",
    "busy_timeout": int(BUSY_TIMEOUT_SECONDS * 1000),
}
SQLITE_SCHEMES = ("sqlite",)
_SIDE = ("-wal", "-shm", "-journal")
POSTGRESQL_SCHEMES = ("postgres", "postgresql")
_EXAMPLES = (
    "sqlite:///relative.db, sqlite:////absolute/path.db or postgresql://user:pass@host:5432/db"
)


def connect(url: str, *, create: bool = True) -> peewee.Database:
    """Open the database at ``url`` and bind the models to it.

    With ``create`` false, a missing SQLite file is an error instead of a new database.
    Raises ConfigurationError for a URL that cannot be used and StorageError for a
    database that cannot be opened.
    """
    scheme = _scheme(url)
    database = _sqlite(url, create) if scheme in SQLITE_SCHEMES else _postgresql(url)
    database_proxy.initialize(database)
    return database


def sqlite_target(url: str) -> str:
    """The file an ``sqlite://`` URL names (relative to the working directory or absolute)."""
    target = db_url.parse(url)["database"]
    if url.rstrip("/").lower() in ("sqlite:", "sqlite:/") or not target:
        raise ConfigurationError(f"the SQLite URL names no file (expected {_EXAMPLES})")
    return str(target)


def ensure_private_directory(directory: Path) -> None:
    """Create ``directory`` (and parents) for the default database, owner-only."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if stat.S_IMODE(directory.stat().st_mode) & 0o077:
            directory.chmod(0o700)
    except OSError as error:
        raise StorageError(
            f"cannot create the data directory {directory}: {error.strerror}"
        ) from None


def write_transaction(database: peewee.Database) -> peewee._atomic:
    """A transaction that takes the write lock up front.

    SQLite's default deferred transaction upgrades its lock at the first write, and an
    upgrade that collides with another writer fails at once instead of waiting out the busy
    timeout. BEGIN IMMEDIATE waits its turn. PostgreSQL locks rows as it goes.
    """
    if isinstance(database, peewee.SqliteDatabase):
        return database.atomic(lock_type="IMMEDIATE")
    return database.atomic()


def describe_error(error: BaseException) -> str:
    """A one-line description of a database driver error, free of SQL and parameters."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    lowered = text.lower()
    if "database is locked" in lowered or "database table is locked" in lowered:
        return "the database is locked by another program; try again in a moment"
    if "file is not a database" in lowered or "malformed" in lowered:
        return "the file is not a usable database (it is corrupt or another kind of file)"
    if "readonly" in lowered or "read-only" in lowered:
        return "the database is read-only; check the file's permissions"
    if "unable to open" in lowered:
        return "the database file cannot be opened; check that it exists and is readable"
    if "driver not found" in lowered:
        return "the database driver for this URL is not installed"
    if "disk" in lowered and "full" in lowered:
        return "the disk is full; free some space and try again"
    return text


def _scheme(url: str) -> str:
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if scheme not in SQLITE_SCHEMES + POSTGRESQL_SCHEMES:
        raise ConfigurationError(
            f"unsupported database URL (expected {_EXAMPLES}); check --database "
            "or ML_DEPLOYMENT_DATABASE_URL"
        )
    return scheme


def _sqlite(url: str, create: bool) -> peewee.SqliteDatabase:
    target = sqlite_target(url)
    if target != ":memory:":
        _prepare_sqlite_file(Path(target), create)
    return peewee.SqliteDatabase(
        target,
        pragmas=SQLITE_PRAGMAS,
        timeout=BUSY_TIMEOUT_SECONDS,
    )


def _postgresql(url: str) -> peewee.Database:
    try:
        database: peewee.Database = db_url.connect(url)
    except (ValueError, peewee.ImproperlyConfigured) as error:
        raise ConfigurationError(f"cannot use the PostgreSQL URL: {error}") from None
    return database


def _prepare_sqlite_file(path: Path, create: bool) -> None:
    """Create the file owner-only before SQLite does, and fail clearly if it is unusable."""
    if not create and not path.exists():
        raise StorageError(
            f"there is no database at {path}; check --database or ML_DEPLOYMENT_DATABASE_URL"
        )
    if path.is_dir():
        raise StorageError(f"cannot open the database {path}: it is a directory, not a file")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise StorageError(f"cannot open the database {path}: permission denied")
        return
    directory = path.parent
    if not directory.exists():
        raise StorageError(
            f"cannot create the database {path}: the directory {directory} does not exist"
        )
    try:
        _create_in_wal_mode(path)
    except OSError as error:
        raise StorageError(f"cannot create the database {path}: {error.strerror}") from None


def _create_in_wal_mode(path: Path) -> None:
    """Make ``path`` appear at once as an owner-only SQLite file already in WAL mode.

    Processes that first open an empty file together all try to switch it to WAL, and
    SQLite answers one of them "database is locked" at once (a lock upgrade deadlock that
    the busy timeout does not cover). Preparing the file under a private name and linking
    it into place means nobody ever sees it empty; a process that loses the race to link
    simply uses the winner's file.
    """
    # mkstemp creates the file 0600, whatever the umask.
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
    os.close(descriptor)
    prepared = Path(name)
    try:
        connection = sqlite3.connect(prepared)
        try:
            connection.execute("PRAGMA journal_mode=wal")
        finally:
            connection.close()
        try:
            os.link(prepared, path)
        except FileExistsError:
            pass
        except OSError:
            # A file system without hard links: create it empty, never over another file.
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    finally:
        for leftover in (prepared, *(prepared.with_name(prepared.name + s) for s in _SIDE)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
