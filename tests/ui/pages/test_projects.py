"""The Projects page: listing, filtering, and the New project dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from tests.support.ui import button, click, click_list_item, sidebar
from ui.dialogs.new_project import NewProjectDialog


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


def test_the_filter_narrows_the_list_ignoring_case(qtbot, window, service):
    for name in ("payments-api", "Payments-Web", "search"):
        service.add_project(name)
    click_list_item(qtbot, sidebar(window), "Projects")
    page = window.projects_page()
    qtbot.keyClicks(page.filter_box(), "PAYMENTS")
    shown = [page.table().model().index(row, 0).data() for row in range(2)]
    assert page.table().model().rowCount() == 2
    (clear,) = [b for b in page.filter_box().findChildren(QToolButton) if b.isVisible()]
    assert clear.accessibleName() == "Clear the filter"
    assert shown == ["payments-api", "Payments-Web"]
    page.filter_box().setText("nothing like it")
    assert page.empty_state().isVisible()
    assert "No project matches" in page.empty_state().text()
    page.filter_box().clear()
    assert page.table().model().rowCount() == 3


def test_enter_in_the_filter_opens_the_first_match(qtbot, window, service):
    service.add_project("search")
    click_list_item(qtbot, sidebar(window), "Projects")
    page = window.projects_page()
    qtbot.keyClicks(page.filter_box(), "sea")
    qtbot.keyClick(page.filter_box(), Qt.Key.Key_Return)
    assert window.current_page() is window.project_page()
    assert window.project_page().project.name == "search"


def test_an_empty_database_says_how_to_start(qtbot, window):
    page = window.projects_page()
    assert page.empty_state().isVisible()
    assert "New project" in page.empty_state().text()


def test_projects_added_elsewhere_appear_when_projects_is_clicked(qtbot, window, service):
    service.add_project("late")
    click_list_item(qtbot, sidebar(window), "Projects")
    assert [p.name for p in window.projects_page().projects()] == ["late"]
