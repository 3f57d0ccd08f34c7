"""peewee and its schema migrator, imported without the database drivers they load eagerly.

peewee imports psycopg (and with it asyncio) when it is itself imported, and
``playhouse.migrate`` pulls in peewee's PostgreSQL and CockroachDB extensions: about 200 ms
that every desktop user on an SQLite file paid before seeing a project. Importing through
this module hides those drivers for the import, so nothing of PostgreSQL loads until a
``postgresql://`` URL is opened: ``PostgresqlDatabase`` here then imports psycopg itself.

Every module of ours imports peewee from here (``from app.orm import peewee``), so whichever
comes first imports it the light way.
"""

from __future__ import annotations

import sys
from typing import Any

# What peewee and playhouse.migrate try to import when they load, all optional to them.
_LOADED_EAGERLY = (
    "psycopg",
    "psycopg2",
    "psycopg2cffi",
    "pymysql",
    "MySQLdb",
    "playhouse.cockroachdb",
)

_hidden = [name for name in _LOADED_EAGERLY if name not in sys.modules]
for _name in _hidden:
    sys.modules[_name] = None  # type: ignore[assignment]  # "import" then raises ImportError
try:
    import peewee
    from playhouse import migrate as playhouse_migrate
finally:
    for _name in _hidden:
        if sys.modules.get(_name, False) is None:
            del sys.modules[_name]

__all__ = ["PostgresqlDatabase", "peewee", "playhouse_migrate"]


class _Psycopg3Adapter(peewee.Psycopg3Adapter):
    """peewee's psycopg 3 adapter, with the driver imported when a database is opened
    rather than when peewee was."""

    def __init__(self) -> None:
        import psycopg
        from psycopg.pq import TransactionStatus
        from psycopg.types.json import Json, Jsonb

        self._psycopg = psycopg
        self.txn_idle = TransactionStatus.IDLE
        self.txn_inerror = TransactionStatus.INERROR
        self.txn_unknown = TransactionStatus.UNKNOWN
        super().__init__()
        self.json_type = Json
        self.jsonb_type = Jsonb

    def check_driver(self) -> None:
        pass  # imported in __init__, or that raised

    def get_binary_type(self) -> Any:
        return self._psycopg.Binary

    def connect(self, db: Any, **params: Any) -> Any:
        if db._encoding:
            params.setdefault("client_encoding", db._encoding)
        params.setdefault("dbname", db.database)
        return self._psycopg.connect(**params)

    def server_side_cursor(self, conn: Any) -> Any:
        raise NotImplementedError("server-side cursors are not used here")


class PostgresqlDatabase(peewee.PostgresqlDatabase):
    """peewee's PostgreSQL database on psycopg 3, importing psycopg when it is created."""

    psycopg3_adapter = _Psycopg3Adapter

    def init(
        self,
        database: str | None,
        register_unicode: bool = True,
        encoding: Any = None,
        isolation_level: Any = None,
        *,
        prefer_psycopg3: bool = True,
        **kwargs: Any,
    ) -> None:
        super().init(database, register_unicode, encoding, None, **kwargs)
        # peewee chose its adapter by what it found at import time, which was nothing.
        self._adapter = self.psycopg3_adapter()
        self._isolation_level = None
