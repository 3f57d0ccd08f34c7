"""Report a leaked token: from the File menu and the tokens pane, paste, find, revoke."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app import tokens
from tests.support.ui import button, click, message_box, open_tokens_pane
from ui.dialogs.report_leak import ReportLeakDialog


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
