"""One open database: its guard notices a vanished file and turns driver errors into
one line that names the database."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import peewee
import pytest

from app import open_service
from app.errors import ConflictError, StorageError
from app.store.storage import VERIFY_FILE_RECHECK_SECONDS, FileIdentity


def test_a_deleted_database_file_is_noticed_by_writes_at_once_and_by_verify_soon(
    sqlite_url, database_path
):
    with open_service(sqlite_url) as service:
        service.add_project("web")
        _, plaintext = service.generate("web")
        assert service.verify(plaintext) == "web"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database_path}{suffix}").unlink(missing_ok=True)
        with pytest.raises(StorageError, match="was deleted"):
            service.generate("web")  # a write looks every time: nothing goes to the void
        time.sleep(VERIFY_FILE_RECHECK_SECONDS * 1.5)
        with pytest.raises(StorageError, match="was deleted"):
            service.verify(plaintext)
    assert not database_path.exists()


@pytest.mark.only_backend("sqlite")
def test_a_replaced_file_is_told_apart_from_a_deleted_one(tmp_path):
    path = tmp_path / "tokens.db"
    path.write_bytes(b"one")
    identity = FileIdentity.of(path)
    assert identity.problem() is None
    replacement = tmp_path / "other.db"
    replacement.write_bytes(b"two")
    replacement.replace(path)
    assert "was replaced" in (identity.problem() or "")
    path.unlink()
    assert "was deleted" in (identity.problem() or "")


def test_driver_errors_become_one_line_that_names_the_database(service):
    storage = service.storage
    with pytest.raises(StorageError) as failed, storage.guard:
        raise sqlite3.OperationalError("database is locked")
    assert "locked by another program" in str(failed.value)
    assert storage.location in str(failed.value)
    with pytest.raises(ConflictError, match="conflicts with what is stored"), storage.guard:
        raise peewee.IntegrityError("UNIQUE constraint failed: project.name_key")


def test_anything_else_passes_through_the_guard_unchanged(service):
    with pytest.raises(KeyError), service.storage.guard:
        raise KeyError("a bug, not the database")
