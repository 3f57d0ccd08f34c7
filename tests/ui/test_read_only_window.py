"""A database file the user may read but not change: the window says so once, in the
status bar, naming the file, and its own writing actions are disabled with that reason.

The kernel enforces the file's mode: when the tests run as root, this thread's
capabilities that bypass file modes are dropped while the window opens (tests/support/
privileges.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

import app
from tests.support.privileges import file_permissions_enforced


@pytest.fixture
def read_only_file(tmp_path: Path) -> Path:
    path = tmp_path / "read-only.db"
    with app.open_service(f"sqlite:///{path}") as service:
        service.add_project("web")
    path.chmod(0o400)
    yield path
    path.chmod(0o600)


def test_a_read_only_file_is_named_and_the_windows_writing_actions_say_why(
    qtbot, make_window, read_only_file
):
    with file_permissions_enforced():
        window = make_window(database_url=f"sqlite:///{read_only_file}")
        reason = window.read_only_reason()
    assert reason == (
        f"the database file {read_only_file} is read-only: you can look at projects and "
        "tokens but not change them"
    )
    label = window.findChild(QLabel, "readOnlyStatus")
    assert label is not None
    assert label.isVisible()
    assert str(read_only_file) in label.text()
    menu = {a.text(): a.menu() for a in window.menuBar().actions()}["&File"]
    for text in ("&New project…", "Report a &leaked token…"):
        [action] = [a for a in menu.actions() if a.text() == text]
        assert not action.isEnabled(), text
        assert reason in action.toolTip(), text
    # The projects are still there to look at.
    assert [p.name for p in window.projects_page().projects()] == ["web"]


def test_a_writable_database_shows_no_read_only_notice(window):
    assert window.read_only_reason() is None
    assert window.findChild(QLabel, "readOnlyStatus") is None
