"""The test database on each backend, reached around the product for setting up and checking.

Tests that compare "before" and "after" use ``dump()``: every table's rows in a stable
order, read through the backend's own driver rather than through the code under test.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

BACKENDS = ("sqlite", "postgresql")
_names = itertools.count(1)


class TestStore(Protocol):
    backend: str
    url: str
    # Who the audit trail and created_by name when the tests' own service acts: the
    # operating-system user on SQLite, the login role on PostgreSQL (its session_user).
    actor: str

    def query(self, sql: str, *parameters: object) -> list[tuple[Any, ...]]: ...

    def execute(self, sql: str, *parameters: object) -> None: ...

    def dump(self) -> dict[str, list[tuple[Any, ...]]]: ...

    def table_counts(self) -> dict[str, int]: ...


class _Dumping:
    def query(self, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def tables(self) -> list[str]:
        raise NotImplementedError

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        return {
            table: sorted(self.query(f'SELECT * FROM "{table}"'), key=repr)
            for table in self.tables()
        }

    def table_counts(self) -> dict[str, int]:
        return {
            table: int(self.query(f'SELECT COUNT(*) FROM "{table}"')[0][0])
            for table in ("project", "deployment_token", "audit_event")
        }


class SqliteStore(_Dumping):
    backend = "sqlite"

    def __init__(self, path: Path) -> None:
        from app.config import current_user

        self.path = path
        self.url = f"sqlite:///{path}"
        self.actor = current_user()

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, isolation_level=None)
        try:
            yield connection
        finally:
            connection.close()

    def query(self, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
        with self._connection() as connection:
            return connection.execute(sql.replace("%s", "?"), parameters).fetchall()

    def execute(self, sql: str, *parameters: object) -> None:
        with self._connection() as connection:
            connection.execute(sql.replace("%s", "?"), parameters)

    def tables(self) -> list[str]:
        rows = self.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        return [row[0] for row in rows]


class PostgresqlStore(_Dumping):
    """A database of its own on the test cluster, dropped after the test."""

    backend = "postgresql"

    def __init__(self, admin_url: str) -> None:
        import psycopg

        self._admin_url = admin_url
        self.name = f"deployment_tokens_test_{next(_names)}"
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{self.name}"')
        self.url = admin_url.rsplit("/", 1)[0] + "/" + self.name
        self.actor = str(urlsplit(admin_url).username)

    def query(self, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql, parameters).fetchall()  # type: ignore[arg-type]

    def execute(self, sql: str, *parameters: object) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(sql, parameters)  # type: ignore[arg-type]

    def tables(self) -> list[str]:
        rows = self.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        return [row[0] for row in rows]

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self._admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
