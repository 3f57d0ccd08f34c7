"""The keyboard paths a demanding release manager takes (issue "The desktop app as a
demanding release manager sees it", items 5-8), with real key events."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.support.ui import button, click, message_box, open_tokens_pane, reveal_dialog, settle


def test_tab_from_the_token_table_stays_on_the_project(qtbot, window, service, web_project):
    service.generate("web")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    pane.table().setFocus()
    qtbot.waitUntil(pane.table().hasFocus)
    for _ in range(12):  # round the whole focus chain, and more
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert window.current_page() is window.project_page()
        assert window.project_page().current_pane() is pane


def test_enter_on_the_focused_generate_button_generates(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    generate = button(window, "Generate deployment token")
    generate.setFocus()
    qtbot.waitUntil(generate.hasFocus)
    qtbot.keyClick(generate, Qt.Key.Key_Return)
    dialog = reveal_dialog(qtbot)
    click(qtbot, button(dialog, "Copy token"))
    click(qtbot, button(dialog, "Close"))


def test_the_reveal_dialog_starts_on_the_copy_button_and_enter_copies(
    qtbot, window, web_project, no_clipboard_left
):
    open_tokens_pane(qtbot, window, "web")
    click(qtbot, button(window, "Generate deployment token"))
    dialog = reveal_dialog(qtbot)
    qtbot.waitUntil(dialog.copy_button().hasFocus)
    qtbot.keyClick(dialog.copy_button(), Qt.Key.Key_Return)
    assert dialog.has_copied
    assert QApplication.clipboard().text() == dialog.token_field().text()
    # The chain is field, copy, Close: from the copy button Tab goes on to Close, then
    # round to the field and back to the copy button.
    order = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [dialog.close_button(), dialog.token_field(), dialog.copy_button()]
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, dialog.close_button())


def test_go_back_then_escape_asks_again(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    click(qtbot, button(window, "Generate deployment token"))
    dialog = reveal_dialog(qtbot)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    click(qtbot, button(message_box(qtbot), "Go back"))
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    box = message_box(qtbot)  # asked again, not closed
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(box, "Close anyway"))


def test_closing_without_copying_offers_to_delete_the_token_nobody_has(
    qtbot, window, service, web_project
):
    open_tokens_pane(qtbot, window, "web")
    click(qtbot, button(window, "Generate deployment token"))
    dialog = reveal_dialog(qtbot)
    plaintext = dialog.token_field().text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(message_box(qtbot), "Delete token and close"))
    settle(qtbot, window)
    assert service.verify(plaintext) is None
    assert window.project_page().tokens_pane().model().rowCount() == 0
