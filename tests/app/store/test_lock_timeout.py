"""PostgreSQL sessions wait for another session's lock only so long (app.store.db), and say
who held it (app.store.storage): a transaction left open in someone's psql cannot hold every
write up without limit."""

from __future__ import annotations

import time

import pytest

from app import open_service

pytestmark = pytest.mark.only_backend("postgresql")


def _setting(url, name):
    with open_service(url) as service:
        row = service.storage.raw_connection().execute(f"SHOW {name}").fetchone()
    return row[0]


def test_sessions_wait_for_a_lock_five_seconds_unless_the_url_says_otherwise(store):
    assert _setting(store.url, "lock_timeout") == "5s"
    # The URL's own libpq options stay, with the timeout added...
    with_options = f"{store.url}?options=-c%20statement_timeout%3D60000"
    assert _setting(with_options, "statement_timeout") == "1min"
    assert _setting(with_options, "lock_timeout") == "5s"
    # ...unless they set a lock timeout themselves.
    assert _setting(f"{store.url}?options=-c%20lock_timeout%3D1500", "lock_timeout") == "1500ms"


def test_a_change_blocked_by_another_session_fails_promptly_naming_it(service, store, cli_process):
    import psycopg

    service.add_project("web")
    before = store.dump()
    with psycopg.connect(store.url, autocommit=True) as session:
        # Ended by the server after 30 s: without a timeout of its own the command
        # would succeed then (and fail this test) rather than hang it.
        session.execute("SET idle_in_transaction_session_timeout = '30s'")
        session.execute("BEGIN")
        session.execute("SELECT revision FROM control_state FOR UPDATE")
        started = time.monotonic()
        result = cli_process("--database", store.url, "projects", "add", "api")
        took = time.monotonic() - started
        holder = session.info.backend_pid
        assert store.dump() == before
    assert result.returncode == 1, result.stderr
    assert took < 20.0  # the lock timeout is 5 s
    assert result.stderr.strip() == (
        "deployment-tokens: the change counter that every change moves is locked by another "
        f"session (pid {holder}); nothing was changed, try again"
    )
    assert [project.name for project in service.list_projects()] == ["web"]
