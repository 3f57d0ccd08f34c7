"""A project's Notifications pane: its recipients and webhooks (and those of all
projects) with each one's last delivery; Add… (a webhook's secret shown once), Remove…
and the warning days for its admins; read-only, saying why, for everyone else."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox

from tests.support.receivers import Receiver, receiving
from tests.support.ui import click, click_list_item, project_sidebar
from ui.dialogs.add_notification import AddNotificationDialog
from ui.dialogs.reveal_secret import RevealSecretDialog
from ui.models.notifications import NotificationColumn


def open_notifications(qtbot, window, project="web"):
    window.open_project(window.service.find_project(project))
    click_list_item(qtbot, project_sidebar(window), "Notifications")
    page = window.project_page()
    assert page.current_pane() is page.notifications_pane()
    return page.notifications_pane()


def rows(pane):
    model = pane.model()
    return [[model.index(r, c).data() for c in NotificationColumn] for r in range(model.rowCount())]


def test_with_none_the_pane_says_what_notifications_are_and_who_sends_them(
    qtbot, window, web_project
):
    pane = open_notifications(qtbot, window)
    empty = pane.empty_state()
    assert empty is not None
    assert empty.isVisible()
    assert "deployment-tokens notify" in empty.text()
    assert "timer" in empty.text()
    assert not pane.table().isVisible()
    assert pane.add_button().isEnabled()
    assert not pane.remove_button().isEnabled()
    assert pane.warning_days_field().text() == "30, 7, 1"
    # Settings leads there too.
    page = window.project_page()
    page.show_section("Settings")
    click(qtbot, page.settings_pane().section_button("Notifications"))
    assert page.current_pane() is pane


def test_the_list_shows_both_kinds_and_each_last_delivery(
    qtbot, window, service, web_project, receiver
):
    service.add_notification(web_project, "email", "ops@example.com")
    _, receiver.secret = service.add_notification(web_project, "webhook", receiver.url)
    service.add_notification(None, "email", "security@example.com")
    with receiving(Receiver(failures=[503, 503, 503])) as failing:
        _, failing.secret = service.add_notification(web_project, "webhook", failing.url)
        service.generate(web_project, "ci")
        service.notify(sleep=lambda _: None)
    assert receiver.accepted
    pane = open_notifications(qtbot, window)
    assert pane.empty_state() is None
    shown = rows(pane)
    assert [row[:2] for row in shown] == [
        ["E-mail", "ops@example.com"],
        ["Webhook", receiver.url],
        ["Webhook", failing.url],
        ["E-mail, all projects", "security@example.com"],
    ]
    delivered, failed = shown[1][4], shown[2][4]
    assert delivered == "Delivered just now"
    assert failed == "Failed just now: HTTP 503"
    # Nothing was owed to the recipient (no token expiring, none leaked): nothing sent.
    assert shown[0][4] == "Never"
    assert {row[3] for row in shown} == {service.actor}


def test_the_list_follows_changes_made_elsewhere(qtbot, window, service, web_project):
    pane = open_notifications(qtbot, window)
    window.check_for_changes()
    service.add_notification(web_project, "email", "late@example.com")
    window.check_for_changes()
    assert [row[1] for row in rows(pane)] == ["late@example.com"]


def test_add_an_e_mail_recipient(qtbot, window, service, web_project):
    pane = open_notifications(qtbot, window)
    dialog = pane.add()
    assert isinstance(dialog, AddNotificationDialog)
    dialog.address_field().setText("ops@example")  # no dot in the domain
    click(qtbot, dialog.add_button())
    qtbot.waitUntil(lambda: dialog.problem() != "")
    assert service.list_notifications(web_project) == []
    dialog.address_field().setText("ops@example.com")
    click(qtbot, dialog.add_button())
    qtbot.waitUntil(lambda: len(pane.notifications()) == 1)
    assert window.findChildren(RevealSecretDialog) == []  # e-mail has no secret
    assert pane.table().currentIndex().row() == 0
    assert window.statusBar().currentMessage() == "Added E-mail ops@example.com."
    assert pane.remove_button().isEnabled()


def test_a_webhook_shows_its_secret_once_and_the_dialog_forgets_it(
    qtbot, window, service, web_project, receiver, no_clipboard_left
):
    pane = open_notifications(qtbot, window)
    dialog = pane.add()
    dialog.choose_kind("webhook")
    dialog.address_field().setText(receiver.url)
    click(qtbot, dialog.add_button())
    qtbot.waitUntil(lambda: window.findChildren(RevealSecretDialog) != [])
    [reveal] = window.findChildren(RevealSecretDialog)
    secret = reveal.secret_field().text()
    assert secret.startswith("mldw_")
    assert secret not in window.statusBar().currentMessage()
    # It is the secret the POSTs are signed with.
    receiver.secret = secret
    service.generate(web_project, "ci")
    service.notify(sleep=lambda _: None)
    assert receiver.accepted
    click(qtbot, reveal.copy_button())
    field = reveal.secret_field()
    with qtbot.waitSignal(reveal.finished):
        click(qtbot, reveal.close_button())
    assert field.text() == ""
    assert window.findChildren(RevealSecretDialog) == [] or not reveal.isVisible()
    assert [row[0] for row in rows(pane)] == ["Webhook"]


def test_remove_asks_first_then_removes(qtbot, window, service, web_project):
    service.add_notification(web_project, "email", "ops@example.com")
    service.add_notification(web_project, "email", "dev@example.com")
    pane = open_notifications(qtbot, window)
    pane.table().selectRow(0)
    pane.request_remove()
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    assert box.objectName() == "confirmRemoveNotificationBox"
    assert box.defaultButton().objectName() == "cancelButton"
    assert "ops@example.com" in box.text()
    click(qtbot, box.findChild(QAbstractButton, "cancelButton"))
    assert len(service.list_notifications(web_project)) == 2
    pane.request_remove()
    box = QApplication.activeModalWidget()
    click(qtbot, box.findChild(QAbstractButton, "removeButton"))
    qtbot.waitUntil(lambda: len(pane.notifications()) == 1)
    assert [r.address for r in service.list_notifications(web_project)] == ["dev@example.com"]
    assert window.statusBar().currentMessage() == "Removed E-mail ops@example.com."


def test_the_warning_days_are_edited_and_a_mistake_is_said_beside_them(
    qtbot, window, service, web_project
):
    pane = open_notifications(qtbot, window)
    field = pane.warning_days_field()
    field.setText("14,3")
    field.setModified(True)
    click(qtbot, pane.save_button())
    # The screen, not the database: the answer reaches the window after the commit.
    qtbot.waitUntil(lambda: field.text() == "14, 3")
    assert service.warning_days(web_project) == (14, 3)
    assert "14, 3" in window.statusBar().currentMessage()
    field.setText("0")
    click(qtbot, pane.save_button())
    qtbot.waitUntil(lambda: pane.warning_days_problem() != "")
    assert pane.warning_days_problem().startswith("A warning threshold is from 1 to")
    assert field.accessibleDescription() == pane.warning_days_problem()
    assert service.warning_days(web_project) == (14, 3)
    field.setText("")  # empty: no expiry warnings
    click(qtbot, pane.save_button())
    qtbot.waitUntil(lambda: pane.warning_days_problem() == "")
    assert service.warning_days(web_project) == ()


@pytest.mark.only_backend("postgresql")
def test_a_viewer_sees_the_list_read_only_and_why(qtbot, service, web_project, login_roles):
    alice = login_roles.role("alice")
    bob = login_roles.role("bob")
    service.grant_access(alice, "web", "admin")
    service.grant_access(bob, "web", "viewer")
    service.add_notification(web_project, "email", "ops@example.com")
    window = login_roles.window(bob)
    pane = open_notifications(qtbot, window)
    assert [row[1] for row in rows(pane)] == ["ops@example.com"]
    assert pane.notice().isVisible()
    assert "You are viewer here" in pane.notice().text()
    assert alice in pane.notice().text()
    pane.table().selectRow(0)
    for button in (pane.add_button(), pane.remove_button(), pane.save_button()):
        assert not button.isEnabled()
        assert button.toolTip().startswith("Needs admin on web. Ask an admin: ")
        assert button.accessibleDescription() == button.toolTip()
    assert pane.warning_days_field().isReadOnly()
    assert pane.add() is None


@pytest.mark.only_backend("postgresql")
def test_an_admin_of_the_project_removes_its_own_but_not_those_of_all_projects(
    qtbot, service, web_project, login_roles
):
    alice = login_roles.role("alice")
    service.grant_access(alice, "web", "admin")
    # Those of all projects are read by roles with a level on all projects alone.
    service.grant_access(alice, None, "viewer")
    service.add_notification(None, "email", "security@example.com")
    service.add_notification(web_project, "email", "ops@example.com")
    window = login_roles.window(alice)
    pane = open_notifications(qtbot, window)
    assert [row[0] for row in rows(pane)] == ["E-mail", "E-mail, all projects"]
    pane.table().selectRow(0)
    assert pane.remove_button().isEnabled()
    pane.table().selectRow(1)
    assert not pane.remove_button().isEnabled()
    assert "--all-projects" in pane.remove_button().toolTip()
    assert "Needs admin on all projects." in pane.remove_button().toolTip()


@pytest.mark.usefixtures("german")
def test_the_pane_speaks_german(qtbot, window, service, web_project):
    service.add_notification(web_project, "email", "ops@example.com")
    pane = open_notifications_german(qtbot, window)
    assert rows(pane)[0][0] == "E-Mail"
    assert rows(pane)[0][4] == "Nie"
    assert pane.add_button().text() != "&Add…"


def open_notifications_german(qtbot, window, project="web"):
    window.open_project(window.service.find_project(project))
    page = window.project_page()
    page.show_section("Notifications")
    assert page.current_pane() is page.notifications_pane()
    return page.notifications_pane()


def test_the_keyboard_reaches_everything_in_reading_order(qtbot, window, service, web_project):
    service.add_notification(web_project, "email", "ops@example.com")
    pane = open_notifications(qtbot, window)
    pane.table().selectRow(0)
    [warn] = [label for label in pane.findChildren(QLabel) if label.text() == "&Warn"]
    assert warn.buddy() is pane.warning_days_field()
    assert pane.warning_days_field().accessibleName() == "Days before expiry to warn"
    assert [pane.add_button().text(), pane.remove_button().text()] == ["&Add…", "&Remove…"]
    order = [pane.warning_days_field()]
    widget = order[0]
    while len(order) < 5:  # what Tab stops at next: focusable, shown
        widget = widget.nextInFocusChain()
        focusable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        if focusable and widget.isVisible() and widget.isEnabled():
            order.append(widget)
    assert order[1:] == [
        pane.save_button(),
        pane.add_button(),
        pane.remove_button(),
        pane.table(),
    ]
    assert pane.table().accessibleName() == "Notifications"
