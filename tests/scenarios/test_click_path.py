"""The spec's click paths, step by step, with its labels word for word."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from app import tokens
from tests.support.ui import (
    button,
    click,
    click_list_item,
    click_row_with_text,
    generate_and_close,
    message_box,
    open_tokens_pane,
    project_sidebar,
    reveal_dialog,
    settle,
    sidebar,
)
from ui.models.tokens import Column

pytestmark = pytest.mark.usefixtures("no_clipboard_left")


def test_generating_a_token_follows_the_spec(qtbot, window, web_project, service):
    # Click Projects in the global sidebar.
    click_list_item(qtbot, sidebar(window), "Projects")
    assert window.current_page() is window.projects_page()
    # Click your target project.
    click_row_with_text(qtbot, window.projects_page().table(), "web")
    assert window.current_page() is window.project_page()
    assert window.project_page().current_pane() is window.project_page().settings_pane()
    # Click Settings > Deployment Tokens in the project sidebar.
    click_list_item(qtbot, project_sidebar(window), "Settings")
    click_list_item(qtbot, project_sidebar(window), "Deployment Tokens")
    pane = window.project_page().tokens_pane()
    assert window.project_page().current_pane() is pane
    assert pane.empty_state().isVisible()
    # Click Generate deployment token.
    click(qtbot, button(window, "Generate deployment token"))
    dialog = reveal_dialog(qtbot)
    shown = dialog.token_field().text()
    assert tokens.is_well_formed(shown)
    assert dialog.token_field().isReadOnly()
    assert "secret manager" in dialog.findChild(QLabel, "instruction").text()
    assert "cannot be shown again" in dialog.findChild(QLabel, "instruction").text()
    # Click the copy icon next to the token value.
    copy = button(dialog, "Copy token")
    assert copy.toolTip() == "Copy token"
    assert copy.text() in ("", "Copy token")
    assert not copy.icon().isNull()
    click(qtbot, copy)
    assert QApplication.clipboard().text() == shown
    assert "Copied" in dialog.copied_label().text()
    assert "copied" in window.statusBar().currentMessage()
    # (Save the token in your external secret manager.) Click Close.
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))
    # The control plane adds a masked token preview to the deployment tokens table.
    model = pane.model()
    assert model.rowCount() == 1
    assert model.index(0, Column.TOKEN).data() == tokens.preview(shown)
    assert service.verify(shown) == "web"


def test_deleting_a_token_follows_the_spec(qtbot, window, web_project, service):
    open_tokens_pane(qtbot, window, "web")
    kept = generate_and_close(qtbot, window)
    doomed = generate_and_close(qtbot, window)
    pane = window.project_page().tokens_pane()
    table = pane.table()
    # Locate the token preview in the table.
    row = next(
        row
        for row in range(pane.model().rowCount())
        if pane.model().index(row, Column.TOKEN).data() == tokens.preview(doomed)
    )
    # Click the trash icon in the actions column.
    trash = table.action_button(row)
    assert trash is not None
    assert trash.toolTip() == trash.accessibleName() == "Delete token"
    assert table.model().headerData(Column.ACTIONS, Qt.Orientation.Horizontal) == "Actions"
    click(qtbot, trash)
    box = message_box(qtbot)
    assert tokens.preview(doomed) in box.text()
    assert "stops working at once" in box.informativeText()
    assert box.defaultButton() is button(box, "Cancel")
    # Click Delete in the confirmation dialog.
    click(qtbot, button(box, "Delete"))
    settle(qtbot, window)
    # The control plane revokes the token and removes the row from the table.
    previews = [pane.model().record(r).preview for r in range(pane.model().rowCount())]
    assert previews == [tokens.preview(kept)]
    assert service.verify(doomed) is None
    assert service.verify(kept) == "web"
    assert "Deleted" in window.statusBar().currentMessage()
    assert "revoked" in window.statusBar().currentMessage()  # as the audit log says it


def test_cancel_in_the_confirmation_changes_nothing(qtbot, window, web_project, service, store):
    open_tokens_pane(qtbot, window, "web")
    plaintext = generate_and_close(qtbot, window)
    before = store.dump()
    click(qtbot, window.project_page().tokens_pane().table().action_button(0))
    box = message_box(qtbot)
    click(qtbot, button(box, "Cancel"))
    assert window.project_page().tokens_pane().model().rowCount() == 1
    assert store.dump() == before
    assert service.verify(plaintext) == "web"


def test_escape_and_enter_in_the_confirmation_do_not_delete(qtbot, window, web_project, service):
    open_tokens_pane(qtbot, window, "web")
    plaintext = generate_and_close(qtbot, window)
    table = window.project_page().tokens_pane().table()
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Return):
        click(qtbot, table.action_button(0))
        box = message_box(qtbot)
        with qtbot.waitSignal(box.finished):
            qtbot.keyClick(box, key)
    assert service.verify(plaintext) == "web"


def test_the_delete_key_on_a_selected_row_asks_the_same(qtbot, window, web_project, service):
    open_tokens_pane(qtbot, window, "web")
    plaintext = generate_and_close(qtbot, window)
    table = window.project_page().tokens_pane().table()
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    box = message_box(qtbot)
    assert tokens.preview(plaintext) in box.text()
    click(qtbot, button(box, "Delete"))
    settle(qtbot, window)
    assert window.project_page().tokens_pane().model().rowCount() == 0
    assert window.project_page().tokens_pane().empty_state().isVisible()
    assert service.verify(plaintext) is None


def test_a_token_revoked_elsewhere_is_reported_and_its_row_removed(
    qtbot, window, web_project, service
):
    open_tokens_pane(qtbot, window, "web")
    generate_and_close(qtbot, window)
    pane = window.project_page().tokens_pane()
    service.revoke("web", pane.model().record(0).id)  # the CLI, on another workstation
    click(qtbot, pane.table().action_button(0))
    click(qtbot, button(message_box(qtbot), "Delete"))
    settle(qtbot, window)
    box = message_box(qtbot)
    assert "already been revoked" in box.text()
    assert pane.model().rowCount() == 0


def test_closing_without_copying_asks_until_the_user_decides(qtbot, window, web_project, service):
    open_tokens_pane(qtbot, window, "web")
    click(qtbot, button(window, "Generate deployment token"))
    dialog = reveal_dialog(qtbot)
    click(qtbot, button(dialog, "Close"))
    question = message_box(qtbot)
    assert question is not dialog
    assert "not copied" in question.text()
    assert question.defaultButton() is button(question, "Go back")
    click(qtbot, button(question, "Go back"))
    assert dialog.isVisible()
    assert dialog.token_field().text()
    # Going back was not a decision to close: the next Close asks again.
    click(qtbot, button(dialog, "Close"))
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(message_box(qtbot), "Close anyway"))
    assert window.project_page().tokens_pane().model().rowCount() == 1


def test_close_anyway_closes_the_reveal_dialog(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    click(qtbot, button(window, "Generate deployment token"))
    dialog = reveal_dialog(qtbot)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    question = message_box(qtbot)
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(question, "Close anyway"))


def test_a_project_opens_with_the_keyboard(qtbot, window, web_project):
    click_list_item(qtbot, sidebar(window), "Projects")
    table = window.projects_page().table()
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.current_page() is window.project_page()
    project_entries = project_sidebar(window)
    project_entries.setFocus()
    qtbot.keyClick(project_entries, Qt.Key.Key_Down)
    pane = window.project_page().tokens_pane()
    assert window.project_page().current_pane() is pane
    pane.generate_button().setFocus()
    qtbot.keyClick(pane.generate_button(), Qt.Key.Key_Space)
    dialog = reveal_dialog(qtbot)
    qtbot.waitUntil(dialog.copy_button().hasFocus)
    qtbot.keyClick(dialog.copy_button(), Qt.Key.Key_Space)
    assert dialog.has_copied
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_projects_in_the_sidebar_leads_back_from_a_project(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    click_list_item(qtbot, sidebar(window), "Projects")
    assert window.current_page() is window.projects_page()
    # Selecting it by other means than a click works too.
    click_row_with_text(qtbot, window.projects_page().table(), "web")
    sidebar(window).setCurrentRow(0)
    assert window.current_page() is window.projects_page()


def test_a_token_generated_while_sorted_by_name_appears_on_top(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    generate_and_close(qtbot, window)
    pane = window.project_page().tokens_pane()
    pane.model().setData(pane.model().index(0, Column.NAME), "aaa first by name")
    header = pane.table().horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft() + QPoint(header.sectionPosition(Column.NAME) + 10, 5),
    )
    assert pane.model().sort_column() == Column.NAME
    plaintext = generate_and_close(qtbot, window)
    assert pane.model().record(0).preview == tokens.preview(plaintext)
    assert header.sortIndicatorSection() == Column.CREATED
    assert pane.model().rowCount() == 2
    assert pane.table().selectionModel().isRowSelected(0)


def test_a_click_on_the_actions_cell_itself_asks_to_delete(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    plaintext = generate_and_close(qtbot, window)
    table = window.project_page().tokens_pane().table()
    cell = table.model().index(0, Column.ACTIONS)
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "Delete token"
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(cell).center()
    )
    box = message_box(qtbot)
    assert tokens.preview(plaintext) in box.text()
    click(qtbot, button(box, "Cancel"))
    # Clicking any other cell only selects the row.
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(table.model().index(0, Column.NAME)).center(),
    )
    assert not isinstance(QApplication.activeModalWidget(), QMessageBox)
