"""peewee and its schema migrator, imported without the database drivers they load eagerly.

peewee imports psycopg (and with it asyncio) when it is itself imported, and
``playhouse.migrate`` pulls in peewee's PostgreSQL and CockroachDB extensions: about 200 ms
that every desktop user on an SQLite file paid before seeing a project. So this module is
the one door to peewee (``from app.store.orm import peewee``; tests/app/store/test_orm.py
checks that nothing else imports it), and it imports peewee inside ``drivers_hidden()``:
nothing of PostgreSQL loads until a ``postgresql://`` URL is opened, and
``PostgresqlDatabase`` below then imports psycopg itself.

This leans on peewee's internals (its psycopg 3 adapter), so pyproject.toml holds peewee
to the major version tested here, and tests/app/store/test_orm.py checks the adapter on it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# What peewee and playhouse.migrate try to import when they load, all optional to them.
DRIVERS_LOADED_EAGERLY = (
    "psycopg",
    "psycopg2",
    "psycopg2cffi",
    "pymysql",
    "MySQLdb",
    "playhouse.cockroachdb",
)


@contextmanager
def drivers_hidden() -> Iterator[None]:
    """Within the block, importing a driver of ``DRIVERS_LOADED_EAGERLY`` raises ImportError.

    ``sys.modules[name] = None`` is the import system's own way to make ``import name``
    fail; peewee and playhouse take that failure as "not installed". Every name is put
    back as it was when the block ends, so only what is imported inside it sees the
    drivers missing. A driver already imported stays visible.
    """
    hidden = [name for name in DRIVERS_LOADED_EAGERLY if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


# The one import of peewee: whichever store module comes first imports it the light way.
# (Imported earlier by someone else, peewee keeps its drivers; the classes below work on
# it all the same.)
with drivers_hidden():
    import peewee
    from playhouse import migrate as playhouse_migrate

__all__ = ["DRIVERS_LOADED_EAGERLY", "PostgresqlDatabase", "peewee", "playhouse_migrate"]


class _Psycopg3Adapter(peewee.Psycopg3Adapter):
    """peewee's psycopg 3 adapter, with the driver imported when a database is created
    rather than when peewee was: peewee's own reads the module it found at import time."""

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
        if db.database.startswith("postgresql://"):
            params.setdefault("conninfo", db.database)
        else:
            params.setdefault("dbname", db.database)
        return self._psycopg.connect(**params)

    def server_side_cursor(self, conn: Any) -> Any:
        raise NotImplementedError("server-side cursors are not used here")


class PostgresqlDatabase(peewee.PostgresqlDatabase):
    """peewee's PostgreSQL database on psycopg 3, importing psycopg when it is created.

    Raises ImportError when psycopg is not installed.
    """

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
        # isolation_level is not passed on: peewee would set it with psycopg 2's API.
        super().init(database, register_unicode, encoding, None, **kwargs)
        # peewee chose its adapter by what it found at import time, which was nothing.
        self._adapter = self.psycopg3_adapter()
        self._isolation_level = None
