"""The SQLite file: where it lives, who may read it, how it is opened, and bad files."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing

import pytest

from app import config, open_service
from app.errors import ConfigurationError, StorageError
from app.store import db


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_default_database_is_owner_only_in_an_owner_only_directory(tmp_path):
    with open_service() as service:
        service.add_project("web")
        path = config.default_database_path()
        assert path.exists()
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700
        for companion in ("-wal", "-shm"):
            side_file = path.with_name(path.name + companion)
            assert side_file.exists(), companion
            assert mode(side_file) == 0o600, companion


def test_explicit_file_is_created_owner_only_even_with_a_loose_umask(sqlite_url, database_path):
    previous = os.umask(0)
    try:
        with open_service(sqlite_url) as service:
            service.add_project("web")
    finally:
        os.umask(previous)
    assert mode(database_path) == 0o600


def test_environment_url_is_used_when_no_url_is_given(monkeypatch, database_path):
    monkeypatch.setenv(config.DATABASE_URL_ENV, f"sqlite:///{database_path}")
    with open_service() as service:
        service.add_project("web")
    assert database_path.exists()
    assert not config.default_database_path().exists()


def test_relative_url_is_relative_to_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with open_service("sqlite:///relative.db") as service:
        service.add_project("web")
        assert service.location == str(tmp_path / "relative.db")
    assert (tmp_path / "relative.db").exists()


def test_connection_settings(sqlite_url):
    with open_service(sqlite_url) as service:
        connection = service.storage.database.connection()
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


@pytest.mark.parametrize(
    "url", ["foo://bar", "not a url", "mysql://user@host/db", "sqlite://", "sqlite:///"]
)
def test_malformed_urls_are_configuration_errors(url):
    with pytest.raises(ConfigurationError, match="URL"):
        open_service(url)


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(database_path, sqlite_url):
    content = b"these are someone's notes, not a database\n" * 200
    database_path.write_bytes(content)
    with pytest.raises(StorageError, match="not a usable database") as raised:
        open_service(sqlite_url)
    assert str(database_path) in str(raised.value)
    assert database_path.read_bytes() == content


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(StorageError, match="is a directory"):
        open_service(f"sqlite:///{tmp_path}")


def test_an_unreadable_file_is_refused(database_path, sqlite_url):
    with open_service(sqlite_url):
        pass
    database_path.chmod(0)
    if os.geteuid() != 0:
        with pytest.raises(StorageError, match="permission denied"):
            open_service(sqlite_url)
        return
    # Root reads any file; without the capabilities that override file permissions it
    # meets them as any user would.
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and setpriv (util-linux) is not there to drop privileges")
    without_override = [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
    command = [sys.executable, "-m", "app", "--database", sqlite_url, "projects", "list"]
    result = subprocess.run(
        [*without_override, *command],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"deployment-tokens: cannot open the database {database_path}: permission denied\n"
    )


def test_a_missing_directory_is_not_created_for_an_explicit_url(tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        open_service(f"sqlite:///{tmp_path}/typo/tokens.db")
    assert not (tmp_path / "typo").exists()


def test_another_applications_database_is_refused_and_left_alone(database_path, sqlite_url):
    with closing(sqlite3.connect(database_path)) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(StorageError, match="another application"):
        open_service(sqlite_url)
    with closing(sqlite3.connect(database_path)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert tables == {"notes"}


def test_a_new_file_appears_already_in_wal_mode_with_nothing_left_over(tmp_path):
    from app.store import db

    path = tmp_path / "new.db"
    database = db.connect(f"sqlite:///{path}")  # prepares the file; runs no query yet
    header = path.read_bytes()[:20]
    database.close()
    assert header[:16] == b"SQLite format 3\x00"
    assert (header[18], header[19]) == (2, 2)  # WAL read and write versions
    assert mode(path) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db"]


def test_postgresql_connections_time_out_instead_of_hanging():
    database = db.connect("postgresql://deploy@db.invalid:5432/tokens")
    assert database.connect_params["connect_timeout"] == 5
    chosen = db.connect("postgresql://deploy@db.invalid:5432/tokens?connect_timeout=30")
    assert chosen.connect_params["connect_timeout"] == 30
