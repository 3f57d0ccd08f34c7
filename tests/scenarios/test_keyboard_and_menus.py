"""The keyboard paths the README promises, the token context menu, and Help > About."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from app import tokens
from tests.support.ui import (
    button,
    click,
    generate_and_close,
    message_box,
    open_tokens_pane,
    reveal_dialog,
    settle,
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
