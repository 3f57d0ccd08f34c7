"""A database the user may read but not change: the command line says which file or
folder is read-only, instead of "cannot be opened; check that it exists and is readable",
and refuses writes with exit 2.

The permission checks are real: the kernel refuses the writes. Root ignores file modes,
so when the tests run as root the command runs with the capabilities that bypass them
dropped (setpriv), as an ordinary user would run it; as a normal user it runs as is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import app
from app import read_only

SALT = "a-salt-for-the-read-only-tests-0123456789"


def unprivileged() -> list[str]:
    """The prefix that runs a command without root's power over file modes."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file modes cannot be enforced")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


def run(database: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *unprivileged(),
            sys.executable,
            "-m",
            "app",
            "--database",
            f"sqlite:///{database}",
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "ML_DEPLOYMENT_TOKEN_SALT": SALT},
        check=False,
    )


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    path = folder / "tokens.db"
    monkeypatch.setenv("ML_DEPLOYMENT_TOKEN_SALT", SALT)
    with app.open_service(f"sqlite:///{path}") as service:
        service.add_project("web")
        service.generate("web", "Nightly")
    yield path
    folder.chmod(0o700)
    path.chmod(0o600)


def test_a_read_only_file_is_named_reads_work_and_writes_exit_2(database):
    database.chmod(0o400)
    listed = run(database, "tokens", "list", "--project", "web")
    assert listed.returncode == 0, listed.stderr
    assert "Nightly" in listed.stdout
    said = (
        f"deployment-tokens: the database file {database} is read-only: you can look at "
        "projects and tokens but not change them\n"
    )
    for write in (
        ("tokens", "generate", "--project", "web"),
        ("projects", "add", "api"),
        ("tokens", "revoke", "--project", "web", "1"),
    ):
        refused = run(database, *write)
        assert refused.returncode == 2, write
        assert refused.stderr == said, write
        assert refused.stdout == ""
    database.chmod(0o600)
    with app.open_service(f"sqlite:///{database}") as service:
        assert [token.name for token in service.list_tokens("web")] == ["Nightly"]


def test_a_read_only_folder_is_named_not_called_unreadable(database):
    database.parent.chmod(0o500)
    refused = run(database, "tokens", "list", "--project", "web")
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        f"deployment-tokens: the folder {database.parent} is read-only, and SQLite must "
        "create the database's -wal and -shm files there"
    )
    assert "check that it exists and is readable" not in refused.stderr


def test_a_writable_database_has_no_reason(database, tmp_path):
    assert read_only.read_only_reason(database) is None
    assert read_only.read_only_reason(tmp_path / "missing.db") is None


def test_other_storage_messages_pass_unchanged(database):
    for message in (
        "the database is locked by another program; try again in a moment (/x/y.db)",
        "there is no database at /x/y.db; check --database or ML_DEPLOYMENT_DATABASE_URL",
        # Read-only said, but the file is writable after all (another cause): unchanged.
        f"the database is read-only; check the permissions (of {database}) ({database})",
    ):
        assert read_only.explained(message) == message
