"""The keyboard paths the README promises, the token context menu, and Help > About."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from app import tokens
from tests.support.ui import (
    button,
    click,
    click_list_item,
    generate_and_close,
    message_box,
    open_tokens_pane,
    reveal_dialog,
    settle,
    sidebar,
)
from ui.dialogs.new_project import NewProjectDialog
from ui.models.tokens import Column

pytestmark = pytest.mark.usefixtures("no_clipboard_left")


def test_ctrl_n_opens_new_project_and_ctrl_f_focuses_the_filter(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.projects_page().filter_box().hasFocus)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(NewProjectDialog) is not None)
    dialog = window.findChild(NewProjectDialog)
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_ctrl_n_opens_new_project_on_a_project_page_too(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(NewProjectDialog) is not None)
    dialog = window.findChild(NewProjectDialog)
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_the_file_menu_shows_ctrl_n_beside_new_project(window):
    file_menu = window.menuBar().actions()[0].menu()
    [new_project] = [a for a in file_menu.actions() if a.text() == "&New project…"]
    assert new_project.shortcut().toString() == "Ctrl+N"


def test_ctrl_g_generates_a_token(qtbot, window, web_project, service):
    open_tokens_pane(qtbot, window, "web")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    dialog = reveal_dialog(qtbot)
    plaintext = dialog.token_field().text()
    click(qtbot, button(dialog, "Copy token"))
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))
    assert service.verify(plaintext) == "web"


def open_context_menu(qtbot, table, row: int) -> QMenu:
    # The menu as a right click builds it; popping it up offscreen would only make the
    # platform warn that it cannot grab the keyboard.
    return table.context_menu(row)


def test_the_context_menu_deletes_after_the_same_confirmation(qtbot, window, web_project, service):
    open_tokens_pane(qtbot, window, "web")
    plaintext = generate_and_close(qtbot, window)
    table = window.project_page().tokens_pane().table()
    menu = open_context_menu(qtbot, table, 0)
    (delete,) = [action for action in menu.actions() if action.text().startswith("Delete token")]
    delete.trigger()
    box = message_box(qtbot)
    assert tokens.preview(plaintext) in box.text()
    click(qtbot, button(box, "Delete"))
    settle(qtbot, window)
    assert service.verify(plaintext) is None


def test_the_context_menu_renames_in_place(qtbot, window, web_project, service):
    open_tokens_pane(qtbot, window, "web")
    generate_and_close(qtbot, window)
    table = window.project_page().tokens_pane().table()
    menu = open_context_menu(qtbot, table, 0)
    (rename,) = [action for action in menu.actions() if action.text() == "Rename"]
    rename.trigger()
    editor = table.indexWidget(table.model().index(0, Column.NAME))
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "renamed")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: service.list_tokens("web")[0].name == "renamed")


def test_about_names_the_database(qtbot, window):
    (help_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    (about,) = [a for a in help_menu.actions() if a.text().startswith("&About")]
    about.trigger()
    box = message_box(qtbot)
    assert window.service.location in box.informativeText()
    with qtbot.waitSignal(box.finished):
        box.accept()


def test_ctrl_q_closes_the_window(qtbot, window):
    (file_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    (quit_action,) = [a for a in file_menu.actions() if a.text() == "&Quit"]
    assert quit_action.shortcut().toString() == "Ctrl+Q"
    quit_action.trigger()
    assert not window.isVisible()


# The keyboard's context menu (the Menu key, Shift+F10) acts on the current row.

MENU_KEYS = {
    # What a platform sends for the Menu key: Qt turns it into this event for the widget
    # with focus, placed at that widget's input-method cursor rectangle.
    "context menu event": None,
    "Menu key": (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
    "Shift+F10": (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier),
}


@pytest.fixture
def popped_up(monkeypatch) -> Iterator[list[tuple[QMenu, QPoint]]]:
    """The menus popped up and where. Popping one up offscreen would only make the
    platform warn that it cannot grab the keyboard."""
    shown: list[tuple[QMenu, QPoint]] = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, where, *_: shown.append((menu, where)))
    yield shown
    for menu, _where in shown:
        menu.deleteLater()


def press_menu_key(qtbot, window, view, how: str) -> None:
    view.setFocus()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    keys = MENU_KEYS[how]
    if keys is None:
        # Through the window, as the platform delivers it: Qt itself works out where.
        QApplication.sendEvent(
            window.windowHandle(),
            QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(), QPoint()),
        )
    else:
        qtbot.keyClick(view, *keys)


def assert_beside_current_row(view, where: QPoint) -> None:
    rect = view.visualRect(view.currentIndex())
    top = view.viewport().mapToGlobal(rect.topLeft())
    bottom = view.viewport().mapToGlobal(rect.bottomRight())
    assert top.y() <= where.y() <= bottom.y() + 1, "the menu opens away from its row"
    assert top.x() <= where.x() <= bottom.x()


@pytest.fixture
def three_tokens(service, web_project) -> list[str]:
    for name in ("Old deploy", "Nightly", "Release"):
        service.generate("web", name)
    return [record.name for record in service.list_tokens("web")]


@pytest.mark.parametrize("how", list(MENU_KEYS))
@pytest.mark.parametrize("row", [0, 1, 2], ids=["first", "middle", "last"])
def test_the_menu_key_acts_on_the_selected_token(qtbot, window, three_tokens, popped_up, row, how):
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    table = pane.table()
    names = [pane.model().record(r).name for r in range(pane.model().rowCount())]
    assert len(names) == 3
    table.selectRow(row)
    press_menu_key(qtbot, window, table, how)
    [(menu, where)] = popped_up
    assert pane.model().record(table.currentIndex().row()).name == names[row]
    assert_beside_current_row(table, where)
    (delete,) = [a for a in menu.actions() if a.text().startswith("Delete token")]
    delete.trigger()
    box = message_box(qtbot)
    assert f"“{names[row]}”" in box.text()
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Cancel"))


@pytest.mark.parametrize("how", list(MENU_KEYS))
@pytest.mark.parametrize("row", [0, 1, 2], ids=["first", "middle", "last"])
def test_the_menu_key_acts_on_the_selected_project(qtbot, window, service, popped_up, row, how):
    for name in ("api", "web", "zeta"):
        service.add_project(name)
    click_list_item(qtbot, sidebar(window), "Projects")
    page = window.projects_page()
    table = page.table()
    names = [page.projects()[r].name for r in range(3)]
    table.selectRow(row)
    press_menu_key(qtbot, window, table, how)
    [(menu, where)] = popped_up
    assert page.current_project().name == names[row]
    assert_beside_current_row(table, where)
    (delete,) = [a for a in menu.actions() if a.text() == "Delete project…"]
    delete.trigger()
    box = message_box(qtbot)
    assert box.text() == f"Delete the project “{names[row]}”?"
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Cancel"))
    assert window.current_page() is page


# After a delete from the keyboard, the keyboard can go on.


@pytest.mark.parametrize("row", [1, 2], ids=["middle", "last"])
def test_after_deleting_a_token_the_next_one_is_selected_and_delete_works_again(
    qtbot, window, three_tokens, monkeypatch, row
):
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    table = pane.table()
    names = [pane.model().record(r).name for r in range(3)]
    # The revoke commits, then the window shows what changed before it hears back: it
    # is activated again as the confirmation closes, and reads the table afresh.
    committed, answer = threading.Event(), threading.Event()
    revoke = window.service.revoke

    def revoke_and_wait(*args: object) -> object:
        revoked = revoke(*args)
        committed.set()
        answer.wait(5)
        return revoked

    monkeypatch.setattr(window.service, "revoke", revoke_and_wait)
    table.setFocus()
    table.selectRow(row)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    click(qtbot, button(message_box(qtbot), "Delete"))
    qtbot.waitUntil(committed.is_set)
    window.check_for_changes(always=True)  # what activating the window does
    answer.set()
    settle(qtbot, window)
    left = [n for n in names if n != names[row]]
    # The row that took its place (or the new last row) is selected, with the focus.
    expected = left[min(row, len(left) - 1)]
    assert [pane.model().record(r).name for r in range(2)] == left
    assert window.focusWidget() is table
    assert table.selectionModel().isRowSelected(table.currentIndex().row())
    assert pane.model().record(table.currentIndex().row()).name == expected
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    box = message_box(qtbot)
    assert f"“{expected}”" in box.text()
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Cancel"))


@pytest.mark.parametrize("row", [1, 2], ids=["middle", "last"])
def test_after_deleting_a_project_the_next_one_is_selected_and_delete_works_again(
    qtbot, window, service, row
):
    for name in ("api", "web", "zeta"):
        service.add_project(name)
    click_list_item(qtbot, sidebar(window), "Projects")
    page = window.projects_page()
    table = page.table()
    table.setFocus()
    table.selectRow(row)
    names = ["api", "web", "zeta"]
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    click(qtbot, button(message_box(qtbot), "Delete project"))
    qtbot.waitUntil(lambda: len(page.projects()) == 2)
    left = [n for n in names if n != names[row]]
    expected = left[min(row, len(left) - 1)]
    assert window.focusWidget() is table
    assert page.current_project() is not None
    assert page.current_project().name == expected
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    box = message_box(qtbot)
    assert box.text() == f"Delete the project “{expected}”?"
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Cancel"))
