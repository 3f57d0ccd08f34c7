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
from tests.support.ui import open_tokens_pane


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


def test_on_a_read_only_file_every_change_of_a_project_is_disabled_saying_why(
    qtbot, make_window, read_only_file
):
    """What the access levels gate on PostgreSQL, a read-only file gates on SQLite: the
    actions stay visible, disabled, their tooltip and accessible description naming the
    file; reading still works."""
    with file_permissions_enforced():
        window = make_window(database_url=f"sqlite:///{read_only_file}")
        open_tokens_pane(qtbot, window, "web")
    wanted = f"Read-only: the database file {read_only_file} is read-only"
    page = window.project_page()
    pane = page.tokens_pane()
    generate = pane.generate_button()
    assert generate.text() == "Generate deployment token"
    assert not generate.isEnabled()
    assert generate.toolTip().startswith(wanted)
    assert generate.accessibleDescription() == generate.toolTip()
    settings = page.settings_pane()
    for button in (settings.rename_button(), settings.delete_button()):
        assert not button.isEnabled()
        assert button.toolTip().startswith(wanted)
    page.show_section("Token policy")
    assert not page.policy_pane().save_button().isEnabled()
    assert page.policy_pane().save_button().toolTip().startswith(wanted)


def test_on_a_writable_file_the_project_can_be_changed(qtbot, window, service):
    service.add_project("web")
    open_tokens_pane(qtbot, window, "web")
    assert window.project_page().tokens_pane().generate_button().isEnabled()
