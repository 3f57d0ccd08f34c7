"""What the tokens table asks of one token: rotating reveals the successor, deleting
asks first and copes with a token revoked elsewhere, renaming in place is stored or
refused with the reason."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.service import TokenService
from tests.support.ui import button, click, copy_and_close, message_box, open_tokens_pane, settle
from ui.dialogs.rotate_token import RotateTokenDialog
from ui.models.tokens import Column

pytestmark = pytest.mark.usefixtures("no_clipboard_left")


def test_rotating_reveals_the_successor_and_selects_its_row(
    qtbot, window, service: TokenService, web_project
):
    old, _ = service.generate("web", "Nightly")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    statuses: list[str] = []
    pane.status_message.connect(statuses.append)
    pane.request_rotate(old.id)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RotateTokenDialog))
    click(qtbot, button(QApplication.activeModalWidget(), "Rotate"))
    plaintext = copy_and_close(qtbot)
    settle(qtbot, window)
    assert service.verify(plaintext) == "web"
    [new] = [t for t in service.list_tokens("web") if t.id != old.id]
    assert pane.table().current_token_id() == new.id
    assert f"Rotated deployment token {old.preview}: the new one is {new.preview}." in statuses


def test_deleting_asks_first_then_the_row_goes(qtbot, window, service: TokenService, web_project):
    record, plaintext = service.generate("web", "Nightly")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    statuses: list[str] = []
    pane.status_message.connect(statuses.append)
    pane.request_delete(record.id)
    click(qtbot, button(message_box(qtbot), "Delete"))
    settle(qtbot, window)
    assert pane.model().rowCount() == 0
    assert service.verify(plaintext) is None
    assert statuses[-1] == (
        f"Deleted deployment token {record.preview}: it is revoked and no longer verifies."
    )


def test_a_token_revoked_elsewhere_meanwhile_loses_its_row_and_says_so(
    qtbot, window, service: TokenService, web_project
):
    record, _ = service.generate("web", "Nightly")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    pane.request_delete(record.id)
    confirmation = message_box(qtbot)
    service.revoke("web", record.id)  # another workstation, before Delete is clicked
    click(qtbot, button(confirmation, "Delete"))
    settle(qtbot, window)
    box = message_box(qtbot)
    assert box.windowTitle() == "Token already deleted"
    assert record.preview in box.text()
    box.close()
    assert pane.model().row_of(record.id) is None


def test_a_refused_rename_keeps_the_old_name_and_reports_it(
    qtbot, window, service: TokenService, web_project
):
    service.generate("web", "token 00")
    open_tokens_pane(qtbot, window, "web")
    model = window.project_page().tokens_pane().model()
    assert model.setData(model.index(0, Column.NAME), "x" * 101)
    box = message_box(qtbot)
    assert box.windowTitle() == "Could not rename the token"
    assert "at most 100" in box.text()
    box.close()
    assert model.index(0, Column.NAME).data() == "token 00"
    assert service.list_tokens("web")[0].name == "token 00"
