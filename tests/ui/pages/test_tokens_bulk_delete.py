"""Deleting several tokens at once: the clean-up of expired ones. One confirmation that
lists them, then each revoked through the pane's write runner, off the GUI thread."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu, QMessageBox

from app.errors import StorageError
from app.lifecycle import Expiry
from app.service import TokenService
from tests.support.ui import button, click, message_box, open_tokens_pane, settle

pytestmark = pytest.mark.usefixtures("no_clipboard_left")


def names(pane) -> list[str]:
    model = pane.model()
    return [model.record(row).name for row in range(model.rowCount())]


@pytest.fixture
def four(service: TokenService, web_project: str) -> dict[str, str]:
    """token 00 … token 03 (03 is the top row); token 01 used a moment ago."""
    plaintexts = {}
    for index in range(4):
        _record, plaintext = service.generate("web", f"token {index:02}")
        plaintexts[f"token {index:02}"] = plaintext
    assert service.verify(plaintexts["token 01"]) == "web"
    return plaintexts


def test_several_selected_tokens_are_deleted_after_one_confirmation(
    qtbot, window, service: TokenService, four, monkeypatch
):
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    table = pane.table()
    threads = []
    revoke = window.service.revoke

    def recorded(project: str, token_id: int) -> object:
        threads.append(threading.current_thread())
        return revoke(project, token_id)

    monkeypatch.setattr(window.service, "revoke", recorded)
    table.setFocus()
    table.selectRow(0)
    # Shift+Down twice: token 03, 02 and 01 selected.
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert table.selected_rows() == [0, 1, 2]
    assert pane.delete_selected_button().isVisible()
    assert pane.delete_selected_button().text() == "Delete 3 tokens…"
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    box = message_box(qtbot)
    assert box.objectName() == "confirmDeleteManyBox"
    assert box.text().startswith("Delete 3 deployment tokens?")
    model = pane.model()
    for row in range(3):
        record = model.record(row)
        assert f"{record.name} ({record.preview})" in box.text()
    assert "token 00" not in box.text()
    assert "Used in the last 24 hours: 1 token." in box.informativeText()
    assert box.defaultButton() is button(box, "Cancel")  # a stray Enter revokes nothing
    said: list[str] = []
    pane.status_message.connect(said.append)
    click(qtbot, button(box, "Delete"))
    settle(qtbot, window)
    assert names(pane) == ["token 00"]
    assert [t.name for t in service.list_tokens("web")] == ["token 00"]
    for name in ("token 01", "token 02", "token 03"):
        assert service.verify(four[name]) is None
    assert len(threads) == 3
    assert threading.main_thread() not in threads  # never a write on the GUI thread
    assert table.selected_rows() == [0]  # so that Delete works again at once
    # Progress as each goes (when the answer is quick, the outcome comes first), then
    # the outcome, last.
    assert said[-1] == "Deleted 3 deployment tokens."


def test_cancel_deletes_none_of_them(qtbot, window, service: TokenService, four):
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    pane.table().select_rows([0, 3])  # token 03 and token 00, neither used
    click(qtbot, pane.delete_selected_button())
    box = message_box(qtbot)
    assert "None of them was used in the last 24 hours." in box.informativeText()
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Cancel"))
    assert len(service.list_tokens("web")) == 4
    assert len(names(pane)) == 4


def test_the_context_menu_of_one_of_several_selected_rows_deletes_them_all(
    qtbot, window, service: TokenService, four, monkeypatch
):
    shown: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, *where: shown.append(menu))
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    table = pane.table()
    table.select_rows([1, 3])
    # A right click on one of them keeps both selected.
    table._show_context_menu(table.model().index(3, 0), QPoint())
    [menu] = shown
    assert table.selected_rows() == [1, 3]
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "Delete 2 tokens…"
    assert "Rename" not in texts
    menu.actions()[0].trigger()
    click(qtbot, button(message_box(qtbot), "Delete"))
    settle(qtbot, window)
    assert names(pane) == ["token 03", "token 01"]


def test_select_expired_then_delete_cleans_them_up(
    qtbot, window, service: TokenService, web_project, store
):
    past = service.now() - timedelta(days=40)
    old = TokenService(service.storage, clock=lambda: past)
    for index in range(3):
        old.generate("web", f"expired {index}", expiry=Expiry.after(timedelta(days=30)))
    old.generate("web", "still good", expiry=Expiry.after(timedelta(days=90)))
    service.generate("web", "new")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    click(qtbot, pane.select_expired_button())
    table = pane.table()
    model = pane.model()
    chosen = sorted(model.record(row).name for row in table.selected_rows())
    assert chosen == ["expired 0", "expired 1", "expired 2"]
    assert table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    click(qtbot, button(message_box(qtbot), "Delete"))
    settle(qtbot, window)
    assert sorted(t.name for t in service.list_tokens("web")) == ["new", "still good"]
    # None left: the button says so rather than selecting nothing silently.
    with qtbot.waitSignal(pane.status_message) as said:
        click(qtbot, pane.select_expired_button())
    assert said.args == ["No token has expired."]


def test_a_failure_names_the_tokens_not_deleted_and_retries_them(
    qtbot, window, service: TokenService, four, monkeypatch
):
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    revoke = window.service.revoke
    calls = []

    def flaky(project: str, token_id: int) -> object:
        calls.append(token_id)
        if len(calls) == 2:
            raise StorageError("database is locked")
        return revoke(project, token_id)

    monkeypatch.setattr(window.service, "revoke", flaky)
    pane.table().select_rows([0, 1, 2])  # token 03, 02, 01
    pane.request_delete_many(pane.table().selected_token_ids())
    click(qtbot, button(message_box(qtbot), "Delete"))
    settle(qtbot, window)
    box = message_box(qtbot)
    assert box.objectName() == "messageBox"
    assert box.windowTitle() == "Some tokens were not deleted"
    assert "Deleted 1 of 3 tokens." in box.text()
    assert "token 02" in box.text()
    assert "token 01" in box.text()
    assert "token 03" not in box.text()
    assert "Database is locked." in box.informativeText()
    assert names(pane) == ["token 02", "token 01", "token 00"]
    # Retry: the two left are revoked.
    box.button(QMessageBox.StandardButton.Retry).click()
    settle(qtbot, window)
    assert names(pane) == ["token 00"]
    assert [t.name for t in service.list_tokens("web")] == ["token 00"]
