"""Another program holding SQLite's write lock, as a backup tool, a long migration or a
``sqlite3`` shell left in a transaction would."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator

from tests.support.backends import SqliteStore
from ui.main_window import MainWindow

# Holds SQLite's write lock from another process until told to let go.
LOCK_HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
connection.rollback()
"""


def wait_for_locks(window: MainWindow, store: SqliteStore, seconds: float) -> None:
    """Give the window's connections (every thread's) a busy timeout of ``seconds``."""
    window.service.storage.database.init(
        str(store.path),
        pragmas={"busy_timeout": int(seconds * 1000), "foreign_keys": 1},
        timeout=seconds,
    )
    window.service.reconnect()


@contextlib.contextmanager
def lock_held_by_another_process(store: SqliteStore) -> Iterator[None]:
    """SQLite's write lock, held by another process until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(store.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()


@contextlib.contextmanager
def change_counter_locked_by_another_session(url: str) -> Iterator[None]:
    """PostgreSQL: another session holds the row of the change counter that every change
    moves (a transaction left open in someone's ``psql``), until the block ends."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as session:
        # Ended by the server after 60 s, should the test not get to end it.
        session.execute("SET idle_in_transaction_session_timeout = '60s'")
        session.execute("BEGIN")
        session.execute("SELECT revision FROM control_state FOR UPDATE")
        try:
            yield
        finally:
            session.execute("ROLLBACK")


def with_lock_timeout(url: str, seconds: float) -> str:
    """A PostgreSQL URL whose sessions wait ``seconds`` for another session's lock."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-c%20lock_timeout%3D{int(seconds * 1000)}"
