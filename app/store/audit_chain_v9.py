"""Schema version 9: the audit trail as a hash chain. Frozen, as every migration is.

In a module of its own, beside its PostgreSQL script (``audit_chain_v9.sql``);
``app.store.migrations`` lists it in MIGRATIONS as ``_v9_audit_chain``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.store.orm import peewee


def v9_audit_chain(database: peewee.Database) -> None:
    """The audit trail as a hash chain (``app.audit_chain``): a sequence number, the hash
    chained to the previous event, and the project's name as it was, on every event;
    existing events chained once, in the order they were written. The project stops
    being a foreign key: a deleted project's events stay, or the chain would break.

    On PostgreSQL a trigger makes every link (``audit_chain_v9.sql``); on SQLite, one
    writer at a time, the appender does (``app.store.plain_sql.append_audit``).
    """
    if not isinstance(database, peewee.SqliteDatabase):
        from importlib import resources

        script = resources.files("app.store").joinpath("audit_chain_v9.sql").read_text("utf-8")
        database.cursor().execute(script)  # type: ignore[no-untyped-call]
        return
    _rebuild_the_sqlite_audit_table(database)


def _rebuild_the_sqlite_audit_table(database: peewee.Database) -> None:
    from app.audit_chain import GENESIS_HASH, ChainedEvent, event_hash

    # SQLite cannot drop a foreign key: the table is made again (foreign keys are off
    # during migrations), keeping every id.
    _execute(database, "ALTER TABLE audit_event RENAME TO audit_event_v8")
    _execute(
        database,
        "CREATE TABLE audit_event ("
        "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "
        "seq INTEGER NOT NULL, "
        "hash VARCHAR(64) NOT NULL, "
        "project_id INTEGER, "
        "project_name VARCHAR(100), "
        "action VARCHAR(24) NOT NULL, "
        "token_id INTEGER, "
        "token_preview VARCHAR(16), "
        "actor VARCHAR(255) NOT NULL, "
        "occurred_at DATETIME NOT NULL, "
        "detail VARCHAR(1000) NOT NULL DEFAULT '')",
    )
    old = _execute(
        database,
        "SELECT a.id, a.project_id, p.name, a.action, a.token_id, a.token_preview, a.actor, "
        "a.occurred_at, a.detail FROM audit_event_v8 a "
        "LEFT JOIN project p ON p.id = a.project_id ORDER BY a.id",
    )
    previous = GENESIS_HASH
    rows = []
    for seq, row in enumerate(old.fetchall(), start=1):
        id_, project_id, name, action, token_id, preview, actor, at, detail = row
        moment = at if isinstance(at, datetime) else datetime.fromisoformat(at)
        event = ChainedEvent(seq, moment, actor, action, name, token_id, preview, detail or "")
        previous = event_hash(previous, event)
        link = (id_, seq, previous, project_id, name, action, token_id, preview, actor, at)
        rows.append((*link, detail or ""))
    database.cursor().executemany(  # type: ignore[no-untyped-call]
        "INSERT INTO audit_event (id, seq, hash, project_id, project_name, action, token_id, "
        "token_preview, actor, occurred_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    _execute(database, "DROP TABLE audit_event_v8")
    _execute(database, "CREATE UNIQUE INDEX audit_event_seq ON audit_event (seq)")
    _execute(
        database,
        "CREATE INDEX audit_event_project_id_occurred_at ON audit_event (project_id, occurred_at)",
    )


def _execute(database: peewee.Database, sql: str) -> Any:
    return database.execute_sql(sql)  # type: ignore[no-untyped-call]
