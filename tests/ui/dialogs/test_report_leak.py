"""Report a leaked token: from the File menu and the tokens pane, paste, find, revoke."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app import tokens
from tests.support.ui import button, click, message_box, open_tokens_pane
from ui.dialogs.report_leak import ReportLeakDialog

pytestmark = pytest.mark.usefixtures("no_clipboard_left")


def leak_dialog(qtbot) -> ReportLeakDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ReportLeakDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ReportLeakDialog)
    return dialog


def rows(dialog: ReportLeakDialog) -> list[list[str]]:
    table = dialog.findings_table()
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def test_the_file_menu_finds_the_tokens_in_pasted_text_and_revokes_on_confirmation(
    qtbot, window, service, web_project
):
    record, live = service.generate("web", "ci")
    stranger = tokens.new_token()
    menu = window.menuBar().actions()[0].menu()
    [action] = [a for a in menu.actions() if a.objectName() == "reportLeakAction"]
    assert action.isEnabled()
    action.trigger()
    dialog = leak_dialog(qtbot)
    qtbot.waitUntil(dialog.text_field().hasFocus)  # paste at once
    qtbot.keyClicks(dialog.source_field(), "ticket OPS-7")
    dialog.text_field().setPlainText(f"pasted from chat: {live} and {stranger}")
    click(qtbot, button(dialog, "Find tokens"))
    assert rows(dialog) == [
        ["web", "ci", record.preview, "would be revoked"],
        ["-", "-", tokens.preview(stranger), "unknown"],
    ]
    # The pasted text is kept nowhere, and no cell shows a token.
    assert dialog.text_field().toPlainText() == ""
    assert live not in repr(rows(dialog))
    assert service.verify(live) == "web"  # nothing changed yet

    click(qtbot, dialog.revoke_button())
    box = message_box(qtbot)
    assert box.defaultButton().text() == "Cancel"
    click(qtbot, button(box, "Revoke"))
    qtbot.waitUntil(lambda: rows(dialog)[0][3] == "revoked")
    assert service.verify(live) is None
    assert service.audit_log("web")[0].detail == "leaked: found in ticket OPS-7"
    assert not dialog.revoke_button().isEnabled()
    assert "Revoked 1 leaked token" in window.statusBar().currentMessage()


def test_cancel_revokes_nothing(qtbot, window, service, web_project):
    _, live = service.generate("web")
    window.report_leak()
    dialog = leak_dialog(qtbot)
    dialog.text_field().setPlainText(live)
    click(qtbot, button(dialog, "Find tokens"))
    click(qtbot, dialog.revoke_button())
    box = message_box(qtbot)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert service.verify(live) == "web"


def test_the_tokens_pane_offers_it_and_reloads_after(qtbot, window, service, web_project):
    _, live = service.generate("web")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    assert pane.model().rowCount() == 1
    click(qtbot, button(pane, "Report a leaked token…"))
    dialog = leak_dialog(qtbot)
    dialog.text_field().setPlainText(live)
    click(qtbot, button(dialog, "Find tokens"))
    click(qtbot, dialog.revoke_button())
    click(qtbot, button(message_box(qtbot), "Revoke"))
    qtbot.waitUntil(lambda: pane.model().rowCount() == 0)


def test_text_without_a_token_says_so(qtbot, window, service, web_project):
    window.report_leak()
    dialog = leak_dialog(qtbot)
    assert not button(dialog, "Find tokens").isEnabled()
    dialog.text_field().setPlainText("nothing secret here, mldt_short")
    click(qtbot, button(dialog, "Find tokens"))
    assert dialog.summary() == "No deployment token was found in the text."
    assert not dialog.revoke_button().isEnabled()


def test_one_token_is_it_and_two_are_them(qtbot, window, service, web_project):
    _, one = service.generate("web")
    _, two = service.generate("web")
    for pasted, them, were in ((one, "it", "was"), (f"{one} {two}", "them", "were")):
        window.report_leak()
        dialog = leak_dialog(qtbot)
        dialog.text_field().setPlainText(pasted)
        click(qtbot, button(dialog, "Find tokens"))
        click(qtbot, dialog.revoke_button())
        box = message_box(qtbot)
        assert box.informativeText() == (
            f"Automation that uses {them} stops working at once. The audit log records "
            f"{them} as leaked, with where {them} {were} found. This cannot be undone."
        )
        with qtbot.waitSignal(box.finished):
            click(qtbot, button(box, "Cancel"))
        with qtbot.waitSignal(dialog.finished):
            click(qtbot, button(dialog, "Close"))


def test_one_token_revoked_says_where_it_was_found(qtbot, window, service, web_project):
    _, live = service.generate("web")
    window.report_leak()
    dialog = leak_dialog(qtbot)
    dialog.text_field().setPlainText(live)
    click(qtbot, button(dialog, "Find tokens"))
    click(qtbot, dialog.revoke_button())
    click(qtbot, button(message_box(qtbot), "Revoke"))
    qtbot.waitUntil(lambda: rows(dialog)[0][3] == "revoked")
    assert dialog.summary() == "Revoked 1 token. The audit log records where it was found."


def paste(qtbot, dialog, text: str) -> None:
    """Copy ``text`` elsewhere, then paste it into the dialog with Ctrl+V."""
    QApplication.clipboard().setText(text)
    dialog.text_field().setFocus()
    qtbot.keyClick(dialog.text_field(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_a_leak_pasted_from_the_clipboard_is_cleared_from_it(qtbot, window, service, web_project):
    _, live = service.generate("web")
    window.report_leak()
    dialog = leak_dialog(qtbot)
    paste(qtbot, dialog, f"seen in the build log: {live}")
    click(qtbot, button(dialog, "Find tokens"))
    assert QApplication.clipboard().text() == ""
    assert "The clipboard held the pasted text: it has been cleared." in dialog.summary()
    # What was copied since the paste is left alone.
    paste(qtbot, dialog, live)
    QApplication.clipboard().setText("ticket OPS-7")  # copied from the ticket meanwhile
    click(qtbot, button(dialog, "Find tokens"))
    assert QApplication.clipboard().text() == "ticket OPS-7"
    assert "clipboard" not in dialog.summary()
    # So is text without a token: it is no secret.
    paste(qtbot, dialog, "nothing secret here")
    click(qtbot, button(dialog, "Find tokens"))
    assert QApplication.clipboard().text() == "nothing secret here"


def test_a_leak_pasted_and_closed_unsearched_is_cleared_from_the_clipboard(
    qtbot, window, service, web_project
):
    _, live = service.generate("web")
    window.report_leak()
    dialog = leak_dialog(qtbot)
    paste(qtbot, dialog, live)
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))
    assert QApplication.clipboard().text() == ""
