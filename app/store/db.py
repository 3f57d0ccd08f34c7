"""The database connection: URL parsing, SQLite file hygiene and connection settings.

Models bind to ``database_proxy``; ``connect`` builds the real database from a
``playhouse.db_url`` style URL (read here, not by that module) and points the proxy at it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from app.errors import ConfigurationError, StorageError
from app.store import locations, orm, schema
from app.store.locations import (
    POSTGRESQL_SCHEMES,
    SQLITE_SCHEMES,
    check_existing_sqlite_file,
    describe_error,
    sqlite_file,
    sqlite_target,
)
from app.store.orm import peewee
from app.store.plain_sql import POSTGRESQL, SQLITE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.store.plain_sql import Dialect, Execute

__all__ = [
    "POSTGRESQL_SCHEMES",
    "SQLITE_SCHEMES",
    "connect",
    "database_proxy",
    "describe_error",
    "on_the_models_database",
    "sqlite_file",
    "sqlite_target",
    "write_transaction",
]


class _PerThreadDatabaseProxy(peewee.DatabaseProxy):
    """A database proxy that each thread points at a database of its own choosing.

    The models bind to one proxy, and each service points it at its own database before
    use. Per thread, two services used at once from different threads (a writer and a
    verifier, the app and a test) never send one's statement into the other's
    connection, where it would wait on its own transaction's lock.
    """

    __slots__ = ("_local",)

    def __init__(self) -> None:
        object.__setattr__(self, "_local", threading.local())
        super().__init__()

    @property
    def obj(self) -> peewee.Database | None:
        return getattr(self._local, "database", None)

    @obj.setter
    def obj(self, database: peewee.Database | None) -> None:
        self._local.database = database

    def __setattr__(self, name: str, value: object) -> None:
        if name not in ("obj", "_callbacks", "_Model"):
            raise AttributeError(f"cannot set {name} on the database proxy")
        object.__setattr__(self, name, value)


database_proxy = _PerThreadDatabaseProxy()

# What the drivers raise; the service turns these into StorageError.
DRIVER_ERRORS: tuple[type[BaseException], ...] = (peewee.PeeweeException, sqlite3.Error)

BUSY_TIMEOUT_SECONDS = schema.BUSY_TIMEOUT_SECONDS
CONNECT_TIMEOUT_SECONDS = 5.0
# How long a PostgreSQL statement waits for another session's lock (the row a revoke
# deletes, the change counter every write moves) before it fails, as SQLite's busy
# timeout does: a transaction left open in someone's psql must not hold writes up
# without limit. Storage.translated names the session.
LOCK_TIMEOUT_SECONDS = BUSY_TIMEOUT_SECONDS
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # WAL with synchronous=NORMAL keeps every commit atomic and durable against
    # application crashes; only a power loss may roll back the last commits.
    "synchronous": "normal",
    "busy_timeout": int(BUSY_TIMEOUT_SECONDS * 1000),
}
_SIDE = ("-wal", "-shm", "-journal")


def connect(url: str, *, create: bool = True) -> peewee.Database:
    """Open the database at ``url`` and bind the models to it.

    With ``create`` false, a missing SQLite file is an error instead of a new database.
    Raises ConfigurationError for a URL that cannot be used and StorageError for a
    database that cannot be opened.
    """
    scheme = locations.scheme(url)
    database = _sqlite(url, create) if scheme in SQLITE_SCHEMES else _postgresql(url)
    database_proxy.initialize(database)
    return database


def raw_connection(database: peewee.Database) -> Any:
    """The DB-API connection peewee holds for this thread, opened if need be."""
    return database.connection()  # type: ignore[no-untyped-call]


@contextlib.contextmanager
def streamed_rows(
    sql: str, parameters: tuple[Any, ...], batch: int = 2000
) -> Iterator[Iterator[Any]]:
    """The rows of one query on the models' database, fetched ``batch`` at a time so that
    a result of millions of rows takes constant memory, in one read transaction (one
    snapshot of the data): a server-side cursor on PostgreSQL, SQLite's own stepping."""
    database = database_proxy.obj
    if database is None:
        raise RuntimeError("no database is bound to the models in this thread")
    with database.atomic():
        if isinstance(database, peewee.SqliteDatabase):
            cursor = database.execute_sql(sql, parameters)  # type: ignore[no-untyped-call]
            yield iter(cursor)
            return
        with raw_connection(database).cursor(name="deployment_tokens_stream") as cursor:
            cursor.itersize = batch
            cursor.execute(sql, parameters)
            yield iter(cursor)


def drop_connection(database: peewee.Database) -> None:
    """Close the connection even if it is broken or a transaction died with it."""
    try:
        database.close()
    except DRIVER_ERRORS:
        database.dispose()


def is_driver_error(error: BaseException) -> bool:
    """Whether a database driver raised ``error``, through peewee or directly.

    ``app.verification`` runs plain SQL on the driver's connection, so psycopg's own
    errors arrive unwrapped; psycopg is looked up only if something imported it.
    """
    if isinstance(error, DRIVER_ERRORS):
        return True
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(error, psycopg.Error)


def is_integrity_error(error: BaseException) -> bool:
    """Whether ``error`` is a constraint the data broke (a conflict, not an outage),
    raised through peewee or directly by the driver (see ``is_driver_error``)."""
    if isinstance(error, (peewee.IntegrityError, sqlite3.IntegrityError)):
        return True
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(error, psycopg.IntegrityError)


def lost_server(database: peewee.Database, error: BaseException) -> bool:
    """Whether ``error`` means the PostgreSQL server is gone, rather than a bad query."""
    if not isinstance(database, peewee.PostgresqlDatabase):
        return False
    psycopg = sys.modules.get("psycopg")
    interface: tuple[type[BaseException], ...] = (peewee.InterfaceError,)
    operational: tuple[type[BaseException], ...] = (peewee.OperationalError,)
    if psycopg is not None:
        interface += (psycopg.InterfaceError,)
        operational += (psycopg.OperationalError,)
    if isinstance(error, interface):
        return True
    if not isinstance(error, operational):
        return False
    return database.is_closed() or not database.is_connection_usable()


def ensure_private_directory(directory: Path) -> None:
    """Create ``directory`` (and parents) for the default database, owner-only.

    One that already exists is checked, never changed: it may be a link to a directory
    the user keeps elsewhere on purpose.
    """
    if directory.exists():
        locations.check_private_directory(directory)
        return
    try:
        directory.mkdir(mode=0o700, parents=True)
        # mkdir's mode passes through the umask; the directory is ours, so set it.
        directory.chmod(0o700)
    except FileExistsError:
        locations.check_private_directory(directory)  # made by another process meanwhile
    except OSError as error:
        raise StorageError(
            f"cannot create the data directory {directory}: {error.strerror}"
        ) from None


@contextlib.contextmanager
def write_transaction(database: peewee.Database) -> Iterator[None]:
    """A transaction that takes the write lock up front, and reports why it failed.

    SQLite's default deferred transaction upgrades its lock at the first write, and an
    upgrade that collides with another writer fails at once instead of waiting out the busy
    timeout. BEGIN IMMEDIATE waits its turn. PostgreSQL locks rows as it goes.
    """
    if isinstance(database, peewee.SqliteDatabase):
        transaction = database.atomic(lock_type="IMMEDIATE")
    else:
        transaction = database.atomic()
    try:
        with transaction:
            yield
    except DRIVER_ERRORS as error:
        # SQLite ends the transaction itself on a full disk or an I/O error; the rollback
        # that follows then fails, and would hide the reason behind "no transaction".
        cause: BaseException | None = error
        while cause is not None and "no transaction is active" in str(cause):
            cause = cause.__context__
        if cause is None or cause is error:
            raise
        raise cause from None


def on_the_models_database() -> tuple[Execute, Dialect]:
    """How a plain-SQL statement (``app.store.plain_sql``) runs on the database the models are
    bound to in this thread: through peewee's own ``execute_sql``, inside whatever
    transaction peewee has open there."""
    database = database_proxy.obj
    if database is None:  # Storage.guard binds them
        raise RuntimeError("no database is bound to the models in this thread")
    dialect = SQLITE if isinstance(database, peewee.SqliteDatabase) else POSTGRESQL
    return database.execute_sql, dialect


def _sqlite(url: str, create: bool) -> peewee.SqliteDatabase:
    target = locations.sqlite_target(url)
    if target != ":memory:":
        _prepare_sqlite_file(Path(target), create)
    return peewee.SqliteDatabase(
        target,
        pragmas=SQLITE_PRAGMAS,
        timeout=BUSY_TIMEOUT_SECONDS,
    )


def _postgresql(url: str) -> peewee.Database:
    """peewee's PostgreSQL database for ``url``, in ``playhouse.db_url``'s reading of it
    (that module is not imported: it loads every backend peewee has)."""
    from app.shown import without_password

    shown = without_password(url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ConfigurationError(f"cannot use the PostgreSQL URL {shown}: {error}") from None
    name = unquote(parts.path[1:])
    if not name:
        raise ConfigurationError(
            f'cannot use the PostgreSQL URL: "{shown}" has no database name. Local databases '
            'take three slashes ("postgresql:///dbname"), remote ones "postgresql://host/dbname".'
        )
    options: dict[str, Any] = {}
    if parts.username:
        options["user"] = unquote(parts.username)
    if parts.password:
        options["password"] = unquote(parts.password)
    if parts.hostname:
        options["host"] = parts.hostname
    if port:
        options["port"] = port
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        options[key] = _query_value(value)
    # An unreachable host would otherwise hang the caller for minutes.
    options.setdefault("connect_timeout", int(CONNECT_TIMEOUT_SECONDS))
    options["options"] = _with_lock_timeout(options.get("options"))
    try:
        return orm.PostgresqlDatabase(name, **options)
    except ImportError:
        raise ConfigurationError(
            "the PostgreSQL driver is not installed: pip install 'deployment-tokens[postgresql]'"
        ) from None


def _with_lock_timeout(given: object) -> str:
    """libpq's ``options`` (server settings for the session) with our lock timeout,
    unless the URL's own ``options`` set one."""
    ours = f"-c lock_timeout={int(LOCK_TIMEOUT_SECONDS * 1000)}"
    if given is None or given == "":
        return ours
    if "lock_timeout" in str(given):
        return str(given)
    return f"{given} {ours}"


def _query_value(value: str) -> object:
    """A URL query value as playhouse.db_url reads it: booleans, numbers, None, or text."""
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if value.isdigit():
        return int(value)
    if lowered in ("null", "none"):
        return None
    return value


def _prepare_sqlite_file(path: Path, create: bool) -> None:
    """Create the file owner-only before SQLite does, and fail clearly if it is unusable.

    Without ``create`` an empty file is refused before SQLite opens it: opening sets WAL
    mode, which writes a header into it, and a verifier or the service must change
    nothing in a database nobody set up."""
    if not create or path.exists():
        check_existing_sqlite_file(path)
        if not create and path.stat().st_size == 0:
            raise StorageError(
                f"the database {path} has not been set up: it is an empty file, with no "
                "projects or tokens; check --database or ML_DEPLOYMENT_DATABASE_URL"
            )
        return
    directory = path.parent
    if not directory.exists():
        raise StorageError(
            f"cannot create the database {path}: the directory {directory} does not exist"
        )
    locations.check_private_directory(directory)
    try:
        _create_in_wal_mode(path)
    except OSError as error:
        raise StorageError(f"cannot create the database {path}: {error.strerror}") from None
    except sqlite3.Error as error:  # a full disk, for one
        raise StorageError(f"cannot create the database {path}: {describe_error(error)}") from None


def _create_in_wal_mode(path: Path) -> None:
    """Make ``path`` appear at once as an owner-only SQLite file already in WAL mode.

    Processes that first open an empty file together all try to switch it to WAL, and
    SQLite answers one of them "database is locked" at once (a lock upgrade deadlock that
    the busy timeout does not cover). Preparing the file under a private name and linking
    it into place means nobody ever sees it empty; a process that loses the race to link
    simply uses the winner's file.
    """
    import tempfile  # only when a database is created: not on every command's path

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
