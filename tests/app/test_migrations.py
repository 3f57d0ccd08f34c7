"""The schema is versioned and migrated forward on open, from nothing or from version 1."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import datetime

import pytest

from app import db, migrations, open_service
from app.errors import StorageError
from app.models import ALL_MODELS


def schema(path):
    """Tables, columns and indexes as SQLite describes them, ignoring formatting."""
    with sqlite3.connect(path) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        described = {}
        for table in tables:
            columns = connection.execute(f"PRAGMA table_info({table})").fetchall()
            indexes = sorted(
                (
                    row[2],  # unique
                    tuple(c[2] for c in connection.execute(f"PRAGMA index_info('{row[1]}')")),
                )
                for row in connection.execute(f"PRAGMA index_list({table})")
            )
            foreign = sorted(connection.execute(f"PRAGMA foreign_key_list({table})").fetchall())
            described[table] = (columns, indexes, foreign)
        autoincrement = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'"
            )
        }
        return described, autoincrement


def test_an_empty_file_is_migrated_to_the_latest_version(database_path, database_url):
    database_path.touch(mode=0o600)
    with open_service(database_url) as service:
        assert migrations.schema_version(service._database) == migrations.LATEST_VERSION


def test_migrated_schema_matches_the_models(tmp_path, database_url, database_path):
    with open_service(database_url):
        pass
    fresh = tmp_path / "fresh.db"
    database = db.connect(f"sqlite:///{fresh}")
    database.create_tables(ALL_MODELS)
    database.close()
    assert schema(database_path) == schema(fresh)


def test_ids_are_never_reused_after_a_revoke(service):
    service.add_project("web")
    first, _ = service.generate("web")
    service.revoke("web", first.id)
    second, _ = service.generate("web")
    assert second.id > first.id


def test_a_version_1_database_keeps_its_data_and_gains_version_2(database_url, database_path):
    database = db.connect(database_url)
    migrations.migrate_forward(database, target=1)
    created = datetime(2025, 1, 2, 3, 4, 5)
    with database.atomic():
        database.execute_sql(
            "INSERT INTO project (name, name_key, created_at) VALUES (?, ?, ?)",
            ("Web", "web", created),
        )
        database.execute_sql(
            "INSERT INTO deployment_token (project_id, name, digest, preview, created_at, "
            "created_by, last_used_at) VALUES (1, 'ci', ?, 'mldt_\u2026abcd', ?, 'alice', NULL)",
            ("0" * 64, created),
        )
    database.close()
    assert migrations.LATEST_VERSION == 2

    with open_service(database_url) as service:
        assert migrations.schema_version(service._database) == 2
        [token] = service.list_tokens("WEB")
    assert (token.name, token.preview, token.created_by) == ("ci", "mldt_\u2026abcd", "alice")
    with sqlite3.connect(database_path) as connection:
        indexed = {
            tuple(c[2] for c in connection.execute(f"PRAGMA index_info('{row[1]}')"))
            for row in connection.execute("PRAGMA index_list(deployment_token)")
        }
    assert ("project_id", "created_at") in indexed


def test_a_database_from_a_newer_release_is_refused(database_url, database_path):
    with open_service(database_url):
        pass
    with sqlite3.connect(database_path) as connection:
        connection.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StorageError, match="schema version 99, newer than this release"):
        open_service(database_url)


def _open_at_once(url, barrier, outcomes):
    barrier.wait()
    try:
        with open_service(url) as service:
            service.list_projects()
        outcomes.put("ok")
    except Exception as error:  # reported to the parent, which fails the test
        outcomes.put(f"{type(error).__name__}: {error}")


def test_processes_released_together_on_a_new_file_all_open_it(tmp_path):
    # Forked workers have the app loaded already, so a barrier lines their first opens up
    # to the same instant: the moment an empty file is turned into a WAL database.
    context = multiprocessing.get_context("fork")
    results = []
    for attempt in range(40):
        url = f"sqlite:///{tmp_path / f'race-{attempt}.db'}"
        barrier, outcomes = context.Barrier(6), context.Queue()
        workers = [
            context.Process(target=_open_at_once, args=(url, barrier, outcomes)) for _ in range(6)
        ]
        for worker in workers:
            worker.start()
        results += [outcomes.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(timeout=60)
    assert [r for r in results if r != "ok"] == []
    # Every database was migrated once: one version row, at the latest version.
    for attempt in range(40):
        with sqlite3.connect(tmp_path / f"race-{attempt}.db") as connection:
            rows = connection.execute("SELECT version FROM schema_version").fetchall()
        assert rows == [(migrations.LATEST_VERSION,)]
