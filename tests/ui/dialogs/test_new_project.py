"""The New project and Rename project dialogs: the name checked as it is typed, the
error beside the field, Create only for a name that can be created."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.support.ui import button, click, click_list_item, sidebar
from ui.dialogs.new_project import NewProjectDialog, RenameProjectDialog


def open_new_project_dialog(qtbot, window) -> NewProjectDialog:
    click_list_item(qtbot, sidebar(window), "Projects")
    click(qtbot, button(window, "New project"))
    dialog = window.findChild(NewProjectDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_new_project_creates_it_and_lists_it(qtbot, window, service):
    dialog = open_new_project_dialog(qtbot, window)
    assert not dialog.create_button().isEnabled()
    qtbot.keyClicks(dialog.name_field(), "  payments-api ")
    assert dialog.create_button().isEnabled()
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Create"))
    assert [p.name for p in service.list_projects()] == ["payments-api"]
    assert [p.name for p in window.projects_page().projects()] == ["payments-api"]
    assert "payments-api" in window.statusBar().currentMessage()


def test_enter_in_the_name_field_creates_the_project(qtbot, window, service):
    dialog = open_new_project_dialog(qtbot, window)
    qtbot.keyClicks(dialog.name_field(), "api")
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog.name_field(), Qt.Key.Key_Return)
    assert [p.name for p in service.list_projects()] == ["api"]


def test_names_are_checked_inline_as_they_are_typed(qtbot, window, service):
    service.add_project("Web")
    dialog = open_new_project_dialog(qtbot, window)

    qtbot.keyClicks(dialog.name_field(), "   ")
    assert not dialog.create_button().isEnabled()
    assert dialog.error_text() == ""  # nothing typed yet: no scolding

    dialog.name_field().setText("x" * 101)
    assert not dialog.create_button().isEnabled()
    assert "at most 100 characters" in dialog.error_text()

    dialog.name_field().setText("x" * 100)
    assert dialog.create_button().isEnabled()
    assert dialog.error_text() == ""

    dialog.name_field().setText("WEB")
    assert not dialog.create_button().isEnabled()
    assert "already exists" in dialog.error_text()

    dialog.name_field().setText("a\tb")
    assert "control characters" in dialog.error_text()

    qtbot.keyClick(dialog.name_field(), Qt.Key.Key_Return)  # refused: stays open
    assert dialog.isVisible()
    assert [p.name for p in service.list_projects()] == ["Web"]


def test_a_name_taken_meanwhile_elsewhere_is_shown_inline(qtbot, window, service):
    dialog = open_new_project_dialog(qtbot, window)
    qtbot.keyClicks(dialog.name_field(), "api")
    service.add_project("API")  # another workstation, a moment ago
    click(qtbot, button(dialog, "Create"))
    assert dialog.isVisible()
    assert "already exists" in dialog.error_text()
    assert [p.name for p in service.list_projects()] == ["API"]


def test_cancel_creates_nothing(qtbot, window, service):
    dialog = open_new_project_dialog(qtbot, window)
    qtbot.keyClicks(dialog.name_field(), "api")
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Cancel"))
    assert service.list_projects() == []


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)  # the dialog deletes itself when closed: its parent is kept
    return widget


def test_rename_starts_from_the_current_name_and_allows_a_change_of_case(qtbot, service, parent):
    service.add_project("web")
    service.add_project("api")
    renamed: list[str] = []
    dialog = RenameProjectDialog(
        "web", ["web", "api"], lambda name: service.rename_project("web", name), service, parent
    )
    dialog.project_renamed.connect(lambda project: renamed.append(project.name))
    dialog.show()
    assert dialog.name_field().text() == "web"
    assert not dialog.submit_button().isEnabled()  # unchanged: nothing to rename
    assert dialog.error_text() == ""

    dialog.name_field().setText("API")
    assert not dialog.submit_button().isEnabled()
    assert "already exists" in dialog.error_text()

    dialog.name_field().setText("Web")  # its own name in another case is not taken
    assert dialog.submit_button().isEnabled()
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Rename"))
    assert renamed == ["Web"]
    assert sorted(p.name for p in service.list_projects()) == ["Web", "api"]
