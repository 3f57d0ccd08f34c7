"""Where the data lives, and what went wrong there: peewee-free, for the verify fast path.

``app.db`` builds on these; ``deployment-tokens verify`` on an SQLite file uses them
without importing peewee or a driver.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from app.errors import ConfigurationError, StorageError

SQLITE_SCHEMES = ("sqlite",)
POSTGRESQL_SCHEMES = ("postgres", "postgresql")
_EXAMPLES = (
    "sqlite:///relative.db, sqlite:////absolute/path.db or postgresql://user:pass@host:5432/db"
)


def scheme(url: str) -> str:
    """The URL's scheme, lower-case; ConfigurationError for one we cannot use."""
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if scheme not in SQLITE_SCHEMES + POSTGRESQL_SCHEMES:
        raise ConfigurationError(
            f"unsupported database URL (expected {_EXAMPLES}); check --database "
            "or ML_DEPLOYMENT_DATABASE_URL"
        )
    return scheme


def sqlite_target(url: str) -> str:
    """The file an ``sqlite://`` URL names (relative to the working directory or absolute)."""
    # As playhouse.db_url reads it: everything after the third slash.
    target = urlsplit(url).path[1:]
    if url.rstrip("/").lower() in ("sqlite:", "sqlite:/") or not target:
        raise ConfigurationError(f"the SQLite URL names no file (expected {_EXAMPLES})")
    return str(target)


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names, or None for PostgreSQL and in-memory databases."""
    if scheme(url) not in SQLITE_SCHEMES:
        return None
    target = sqlite_target(url)
    return None if target == ":memory:" else Path(os.path.abspath(target))


def describe_location(url: str) -> str:
    """The database as a user would name it: a file path, or the URL without a password."""
    parts = urlsplit(url)
    if parts.scheme.lower() in SQLITE_SCHEMES:
        path = sqlite_target(url)
        return os.path.abspath(path) if path != ":memory:" else path
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def check_existing_sqlite_file(path: Path) -> None:
    """Fail clearly, before SQLite does, if ``path`` is missing or cannot be read."""
    if not path.exists():
        raise StorageError(
            f"there is no database at {path}; check --database or ML_DEPLOYMENT_DATABASE_URL"
        )
    if path.is_dir():
        raise StorageError(f"cannot open the database {path}: it is a directory, not a file")
    # A file that can be read but not written still opens: the projects and tokens can
    # be looked at, and every change is refused as "read-only".
    if not os.access(path, os.R_OK):
        raise StorageError(f"cannot open the database {path}: permission denied")


def describe_error(error: BaseException) -> str:
    """A one-line description of a database driver error, free of SQL and parameters."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    lowered = text.lower()
    if "database is locked" in lowered or "database table is locked" in lowered:
        return "the database is locked by another program; try again in a moment"
    if "file is not a database" in lowered or "malformed" in lowered:
        return "the file is not a usable database (it is corrupt or another kind of file)"
    if "readonly" in lowered or "read-only" in lowered:
        return (
            "the database is read-only; check the permissions of the file and of its "
            "-wal and -shm files beside it"
        )
    if "unable to open" in lowered:
        return "the database file cannot be opened; check that it exists and is readable"
    if "driver not found" in lowered:
        return "the database driver for this URL is not installed"
    if "disk" in lowered and "full" in lowered:
        return "the disk is full; free some space and try again"
    return text
