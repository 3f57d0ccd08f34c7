"""The token lifecycle in the desktop app: choices beside Generate, the Expires column,
Rotate…, the Token policy and Environments pages, and what needs attention."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from app.lifecycle import Expiry
from tests.support.ui import (
    button,
    click,
    click_list_item,
    copy_and_close,
    generate_and_close,
    message_box,
    open_tokens_pane,
    project_sidebar,
)
from ui.dialogs.rotate_token import RotateTokenDialog
from ui.models.projects import ProjectColumn
from ui.models.tokens import Column


def tokens_pane(window):
    return window.project_page().tokens_pane()


def row_of(window, name):
    model = tokens_pane(window).model()
    rows = [row for row in range(model.rowCount()) if model.record(row).name == name]
    assert len(rows) == 1, f"{len(rows)} rows named {name!r}"
    return rows[0]


def settle(qtbot, window):
    qtbot.waitUntil(lambda: not tokens_pane(window).is_busy())


def test_generate_with_defaults_follows_the_policy_and_names_the_token(
    qtbot, window, web_project, service
):
    """The spec's click path needs no extra step: every choice has its default."""
    open_tokens_pane(qtbot, window, "web")
    plaintext = generate_and_close(qtbot, window)
    [record] = service.list_tokens("web")
    assert service.verify(plaintext) == "web"
    assert record.name == "Deployment token 1"
    assert record.environments == ()
    assert abs(record.expires_at - (record.created_at + timedelta(days=90))) < timedelta(seconds=1)
    model = tokens_pane(window).model()
    assert model.index(0, Column.EXPIRES).data().startswith("in ")


def test_the_choices_beside_generate_apply_to_the_new_token(qtbot, window, service):
    service.add_project("web")
    service.add_environment("web", "staging")
    service.add_environment("web", "production")
    open_tokens_pane(qtbot, window, "web")
    options = tokens_pane(window).options()
    qtbot.keyClicks(options.name_field(), "GitLab CI production")
    expires = options.expires_choice()
    expires.setCurrentIndex(expires.findText("7 days"))
    [everywhere, production, _staging] = options.environment_actions()
    assert everywhere.isChecked()
    production.trigger()
    assert not everywhere.isChecked()
    generate_and_close(qtbot, window)
    [record] = service.list_tokens("web")
    assert record.name == "GitLab CI production"
    assert record.environments == ("production",)
    assert record.status(datetime.now(UTC)) == "expiring"
    # The name field is cleared for the next token; the Expires cell says what was
    # chosen (not "6 days", rounded down), unflagged: the lifecycle calls a 7-day token
    # "expiring" from birth, but a flag at birth only repeats its maker's choice. The full
    # name and scope are in the tooltip, the date in the Expires cell's.
    assert options.name_field().text() == ""
    model = tokens_pane(window).model()
    expires_cell = model.index(0, Column.EXPIRES)
    assert expires_cell.data() == "in 7 days"
    assert expires_cell.data(Qt.ItemDataRole.DecorationRole) is None
    assert expires_cell.data(Qt.ItemDataRole.ToolTipRole).startswith("Expires ")
    tooltip = model.index(0, Column.NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "GitLab CI production\nEnvironments: production"


def test_rotate_reveals_the_successor_once_and_the_old_row_retires(
    qtbot, window, web_project, service
):
    open_tokens_pane(qtbot, window, "web")
    old_plaintext = generate_and_close(qtbot, window)
    [old] = service.list_tokens("web")
    table = tokens_pane(window).table()
    click(qtbot, table.rotate_button(0))
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RotateTokenDialog))
    dialog = QApplication.activeModalWidget()
    assert "expires" in dialog.findChild(QLabel, "currentExpiry").text()
    in_a_day = button(dialog, "In 24 hours")
    # On the radio button's circle: the rest of its row is empty space.
    qtbot.mouseClick(in_a_day, Qt.MouseButton.LeftButton, pos=QPoint(8, in_a_day.height() // 2))
    assert in_a_day.isChecked()
    click(qtbot, button(dialog, "Rotate"))
    new_plaintext = copy_and_close(qtbot)
    settle(qtbot, window)
    assert new_plaintext != old_plaintext
    verdict = service.check(new_plaintext)
    assert verdict.project == "web", verdict.reason
    assert service.verify(old_plaintext) == "web"  # in its grace period
    model = tokens_pane(window).model()
    assert model.rowCount() == 2
    old_row = next(r for r in range(2) if model.record(r).id == old.id)
    assert model.index(old_row, Column.EXPIRES).data().startswith("Retiring, ")
    actions = [e.action for e in service.audit_log("web")]
    assert actions[:2] == ["generated", "rotated"] or actions[:2] == ["rotated", "generated"]


def test_rotate_from_the_keyboard_and_cancel_changes_nothing(qtbot, window, web_project, service):
    open_tokens_pane(qtbot, window, "web")
    generate_and_close(qtbot, window)
    table = tokens_pane(window).table()
    table.setFocus()
    table.selectRow(0)
    before = service.list_tokens("web")
    qtbot.keyClick(table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RotateTokenDialog))
    dialog = QApplication.activeModalWidget()
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Cancel"))
    assert service.list_tokens("web") == before
    menu = table.context_menu(0)
    assert [a.text() for a in menu.actions()] == [
        "Rename",
        "Rotate…",
        "Delete token…",
        "",  # then the table's own entries
        "Select expired",
        "Columns",
    ]
    menu.close()


def test_the_token_policy_page_changes_what_generate_offers(qtbot, window, web_project, service):
    open_tokens_pane(qtbot, window, "web")
    click_list_item(qtbot, project_sidebar(window), "Token policy")
    pane = window.project_page().policy_pane()
    assert window.project_page().current_pane() is pane
    assert pane.default_choice().currentText() == "90 days"
    pane.maximum_choice().setCurrentIndex(pane.maximum_choice().findText("30 days"))
    assert not pane.allow_no_expiry().isEnabled()
    pane.default_choice().setCurrentIndex(pane.default_choice().findText("7 days"))
    click(qtbot, pane.findChild(QPushButton, "savePolicyButton"))
    policy = service.token_policy("web")
    assert (policy.default_lifetime, policy.max_lifetime, policy.allow_no_expiry) == (
        timedelta(days=7),
        timedelta(days=30),
        False,
    )
    expires = tokens_pane(window).options().expires_choice()
    offered = [expires.itemText(i) for i in range(expires.count())]
    assert offered == ["7 days (default)", "30 days", "A date…"]
    assert service.audit_log("web")[0].action == "policy changed"


def test_a_policy_that_contradicts_itself_is_one_message_and_is_not_saved(
    qtbot, window, web_project, service
):
    open_tokens_pane(qtbot, window, "web")
    click_list_item(qtbot, project_sidebar(window), "Token policy")
    pane = window.project_page().policy_pane()
    pane.maximum_choice().setCurrentIndex(pane.maximum_choice().findText("30 days"))
    # The default stays 90 days: longer than the maximum.
    click(qtbot, pane.findChild(QPushButton, "savePolicyButton"))
    box = message_box(qtbot)
    assert "cannot be longer than the maximum" in box.text() + box.informativeText()
    box.close()
    assert service.token_policy("web").max_lifetime is None


def test_environments_page_adds_and_refuses_to_remove_one_in_use(
    qtbot, window, web_project, service
):
    open_tokens_pane(qtbot, window, "web")
    click_list_item(qtbot, project_sidebar(window), "Environments")
    pane = window.project_page().environments_pane()
    qtbot.keyClicks(pane.name_field(), "production")
    qtbot.keyClick(pane.name_field(), Qt.Key.Key_Return)
    assert pane.names() == ["production"]
    assert [a.text() for a in tokens_pane(window).options().environment_actions()] == [
        "All environments",
        "production",
    ]
    service.generate("web", "prod only", environments=["production"])
    pane.list_widget().setCurrentRow(0)
    click(qtbot, pane.findChild(QPushButton, "removeEnvironmentButton"))
    box = message_box(qtbot)
    assert "limited to environment 'production'" in box.text() + box.informativeText()
    box.close()
    assert [e.name for e in service.list_environments("web")] == ["production"]


def test_the_project_list_counts_tokens_that_need_attention(qtbot, window, service):
    service.add_project("web")
    service.generate("web", "soon", expiry=Expiry.after(timedelta(days=2)))
    service.generate("web", "later", expiry=Expiry.after(timedelta(days=60)))
    page = window.projects_page()
    page.reload()
    model = page.table().model()
    cell = model.index(0, ProjectColumn.ATTENTION)
    assert cell.data() == "1"
    assert (
        cell.data(Qt.ItemDataRole.ToolTipRole)
        == "Tokens that have expired, or expire within 7 days"
    )


def test_a_rotated_token_cannot_be_rotated_again_and_no_id_is_shown(
    qtbot, window, web_project, service
):
    open_tokens_pane(qtbot, window, "web")
    qtbot.keyClicks(tokens_pane(window).options().name_field(), "Nightly")
    generate_and_close(qtbot, window)
    table = tokens_pane(window).table()
    click(qtbot, table.rotate_button(0))
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RotateTokenDialog))
    dialog = QApplication.activeModalWidget()
    # Enter takes the preselected day of grace: the old token keeps working meanwhile.
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    plaintext = copy_and_close(qtbot)
    settle(qtbot, window)
    assert service.verify(plaintext) == "web"
    model = tokens_pane(window).model()
    [old] = [model.record(r) for r in range(model.rowCount()) if model.record(r).replaced_by]
    assert model.index(model.row_of(old.id), Column.EXPIRES).data() == "Retiring, 1 day left"
    qtbot.waitUntil(lambda: table.rotate_button(model.row_of(old.id)) is not None)
    [new] = [model.record(r) for r in range(model.rowCount()) if r != model.row_of(old.id)]
    # Its rotate button and menu action stay visible, disabled, and say why.
    rotate_button = table.rotate_button(model.row_of(old.id))
    assert not rotate_button.isEnabled()
    reason = f"Already rotated: “Nightly” ({new.preview}) replaces it."
    assert rotate_button.toolTip() == reason
    [action] = [
        a for a in table.context_menu(model.row_of(old.id)).actions() if a.text() == "Rotate…"
    ]
    assert not action.isEnabled()
    assert action.toolTip() == reason
    assert table.rotate_button(model.row_of(new.id)).isEnabled()
    table.rotate_requested.emit(old.id)  # as Ctrl+R on its row does
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RotateTokenDialog))
    dialog = QApplication.activeModalWidget()
    said = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"“Nightly” ({old.preview}) cannot be rotated. {reason}" in said
    # Not "Token 1 was rotated already: token 2 replaces it": ids are shown nowhere.
    assert re.search(r"token \d", said, re.IGNORECASE) is None, said
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))
    settle(qtbot, window)
    assert len(service.list_tokens("web")) == 2  # nothing rotated the second time
