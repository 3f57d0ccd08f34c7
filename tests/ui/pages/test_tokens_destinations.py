"""The tokens pane with destinations: the reveal dialog's Send to (a real OpenBao; the
variable named when the credential is missing, the token still copyable), Rotate pushing
the successor without revealing it (and leaving the old token as it was when the push
fails), and the tokens trusted deployers exchanged: marked "via", hidden on request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.destinations import vault_target
from app.lifecycle import Expiry
from app.oidc import bindings
from tests.support.ui import button, click, message_box, open_tokens_pane, reveal_dialog, settle
from ui.dialogs.reveal_token import RevealTokenDialog
from ui.dialogs.rotate_token import RotateTokenDialog
from ui.models.tokens import Column

pytestmark = pytest.mark.usefixtures("no_clipboard_left")
CREDENTIALS = ("VAULT_TOKEN", "BAO_TOKEN")


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch):
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def bao(service, web_project, openbao):
    """The project's destination "bao": a secret of the real OpenBao."""
    location = f"{openbao.path_prefix}/web"
    service.add_destination(web_project, "bao", vault_target(openbao.url, location))
    return location


def generate(qtbot, window) -> RevealTokenDialog:
    open_tokens_pane(qtbot, window, "web")
    click(qtbot, button(window, "Generate deployment token"))
    return reveal_dialog(qtbot)


def test_send_to_pushes_the_token_and_close_asks_nothing(
    qtbot, window, service, openbao, bao, monkeypatch
):
    monkeypatch.setenv("BAO_TOKEN", openbao.root_token)
    dialog = generate(qtbot, window)
    send = dialog.send_token()
    assert send is not None
    assert send.button().text() == "Send to bao"
    assert send.button().accessibleName() == "Send to bao"
    assert dialog.copy_button().accessibleName() == "Copy token"  # the spec's path is there
    plaintext = dialog.token_field().text()
    click(qtbot, send.button())
    qtbot.waitUntil(lambda: not send.is_busy(), timeout=15_000)
    said = send.result_label().text()
    assert said.startswith("Sent to bao: OpenBao/Vault")
    assert said.endswith(" — read back, version 1")
    assert send.result_label().toolTip() == "read back version 1"  # the service's words
    assert openbao.read(bao)["data"]["token"] == plaintext
    assert dialog.handed_over
    assert not dialog.has_copied
    # Sent again without the credential: what it says is this send's, nothing older.
    monkeypatch.delenv("BAO_TOKEN")
    click(qtbot, send.button())
    qtbot.waitUntil(lambda: not send.is_busy(), timeout=15_000)
    assert "Set VAULT_TOKEN (or BAO_TOKEN)" in send.result_label().text()
    assert send.result_label().toolTip() == ""
    assert send.result_label().accessibleDescription() == ""
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))  # no "Close without copying?"
    [token] = service.list_tokens("web")
    assert token.destination_id == service.list_destinations("web")[0].id
    assert service.list_destinations("web")[0].last_push_outcome == "pushed"


def test_a_failed_send_names_the_variable_and_the_token_is_still_copyable(
    qtbot, window, service, bao
):
    dialog = generate(qtbot, window)
    send = dialog.send_token()
    click(qtbot, send.button())
    qtbot.waitUntil(lambda: not send.is_busy(), timeout=15_000)
    assert "Set VAULT_TOKEN (or BAO_TOKEN)" in send.result_label().text()
    assert send.result_label().isVisible()
    assert not dialog.handed_over
    plaintext = dialog.token_field().text()
    click(qtbot, button(dialog, "Copy token"))
    assert QApplication.clipboard().text() == plaintext
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))
    assert service.verify(plaintext) == "web"  # the token stays valid


def test_with_several_destinations_send_to_is_a_menu(qtbot, window, service, bao):
    service.add_destination("web", "archive", vault_target("https://bao.example.com", "kv/a"))
    dialog = generate(qtbot, window)
    send = dialog.send_token()
    assert send.button().text() == "Send to…"
    assert send.actions() == ["Send to archive", "Send to bao"]
    # Tab: the field, Copy token, Send to…, Close.
    assert dialog.copy_button().nextInFocusChain() is send.button()
    click(qtbot, button(dialog, "Copy token"))
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))


def test_without_destinations_the_dialog_is_as_the_spec_says(qtbot, window, web_project):
    dialog = generate(qtbot, window)
    assert dialog.send_token() is None
    click(qtbot, button(dialog, "Copy token"))
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))


def rotate_dialog(qtbot, pane, token_id) -> RotateTokenDialog:
    pane.request_rotate(token_id)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RotateTokenDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, RotateTokenDialog)
    return dialog


def test_rotate_pushes_the_successor_and_reveals_nothing(
    qtbot, window, service, openbao, bao, monkeypatch
):
    monkeypatch.setenv("VAULT_TOKEN", openbao.root_token)
    old, plaintext = service.generate("web", "Nightly")
    service.push_token("web", old.id, plaintext, "bao")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    dialog = rotate_dialog(qtbot, pane, old.id)
    assert dialog.destination() == "bao"  # where the old token was pushed
    dialog.choose(2)  # In 24 hours
    click(qtbot, button(dialog, "Rotate"))
    box = message_box(qtbot)
    settle(qtbot, window)
    assert box.objectName() == "rotatedAndPushedBox"
    [new] = [t for t in service.list_tokens("web") if t.id != old.id]
    assert f"The new token “Nightly” ({new.preview}) was pushed to bao" in box.text()
    assert f"The old token {old.preview} stops working " in box.text()
    # Where, and how it was confirmed, in the window's words (the version after the push
    # of the old token above).
    assert box.informativeText().startswith("OpenBao/Vault ")
    assert box.informativeText().endswith("(field token): read back, version 2")
    assert not any(isinstance(w, RevealTokenDialog) for w in QApplication.topLevelWidgets()
                   if w.isVisible())  # fmt: skip
    assert service.verify(openbao.read(bao)["data"]["token"]) == "web"
    assert service.token_by_id(old.id).replaced_by == new.id  # retiring
    assert pane.table().current_token_id() == new.id
    box.done(0)


def test_a_failed_rotate_push_leaves_the_old_token_as_it_was(qtbot, window, service, bao):
    old, _ = service.generate("web", "Nightly")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    dialog = rotate_dialog(qtbot, pane, old.id)
    assert dialog.destination() is None  # never pushed: shown here, as before
    dialog.choose_destination("bao")
    click(qtbot, button(dialog, "Rotate"))
    box = message_box(qtbot)
    settle(qtbot, window)
    assert box.objectName() == "pushFailedBox"
    assert "Set VAULT_TOKEN (or BAO_TOKEN)" in box.text()
    assert [t.id for t in service.list_tokens("web")] == [old.id]
    assert service.token_by_id(old.id).replaced_by is None
    box.done(0)


def exchanged_token(service, project):
    """A token as a trusted deployer's exchange leaves it (set by hand: a real exchange
    needs a signed ID token)."""
    issuer, claims, name = bindings.github_preset("acme/web", "123", "9", None)
    binding, _ = service.add_deployer(
        project, issuer=issuer, audience="aud", claims=list(claims.items()), name=name
    )
    record, _ = service.generate(project, name, expiry=Expiry.after(timedelta(minutes=15)))
    database = service.storage.database
    database.execute_sql(
        f"UPDATE deployment_token SET deployer_id = {database.param} WHERE id = {database.param}",
        (binding.id, record.id),
    )
    return service.token_by_id(record.id)


def test_exchanged_tokens_say_via_and_can_be_hidden(qtbot, window, service, web_project, settings):
    exchanged = exchanged_token(service, web_project)
    mine, _ = service.generate(web_project, "Mine")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    model = pane.model()
    row = model.row_of(exchanged.id)
    name = model.index(row, Column.NAME)
    assert name.data() == "GitHub acme/web"
    assert name.data(Qt.ItemDataRole.AccessibleTextRole).endswith(
        "via GitHub acme/web (trusted deployer)"
    )
    assert "via GitHub acme/web" in name.data(Qt.ItemDataRole.ToolTipRole)
    assert name.data(Qt.ItemDataRole.DecorationRole) is not None
    assert (
        model.index(model.row_of(mine.id), Column.NAME).data(Qt.ItemDataRole.DecorationRole) is None
    )
    # The note people see without hovering: who let it in, where a person's name would be.
    made_by = model.index(row, Column.CREATED_BY)
    assert made_by.data() == "via GitHub acme/web"
    assert "trusted deployer GitHub acme/web" in made_by.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(model.row_of(mine.id), Column.CREATED_BY).data() == mine.created_by
    check = pane.hide_exchanged_check()
    assert check.text() == "&Hide exchanged tokens"
    assert check.accessibleName() == "Hide exchanged tokens"
    click(qtbot, check)
    assert check.isChecked()
    assert [model.record(r).id for r in range(model.rowCount())] == [mine.id]
    assert model.total() == 1
    assert str(settings.value("tokens/hideExchanged")).lower() == "true"


def test_hide_exchanged_is_remembered(qtbot, make_window, service, web_project, settings):
    settings.setValue("tokens/hideExchanged", True)
    exchanged_token(service, web_project)
    window = make_window()
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    assert pane.hide_exchanged_check().isChecked()
    assert pane.model().rowCount() == 0


def test_a_pushed_token_says_where(qtbot, window, service, bao, openbao, monkeypatch):
    monkeypatch.setenv("VAULT_TOKEN", openbao.root_token)
    record, plaintext = service.generate("web", "Nightly")
    service.push_token("web", record.id, plaintext, "bao")
    open_tokens_pane(qtbot, window, "web")
    model = window.project_page().tokens_pane().model()
    name = model.index(0, Column.NAME)
    assert "pushed to bao" in name.data(Qt.ItemDataRole.ToolTipRole)
