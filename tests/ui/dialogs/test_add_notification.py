"""Notifications > Add…: the address refused beside the field in the service's own words
(nothing written, the dialog still open), or added, with a webhook's secret handed on
once."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from tests.support.ui import click
from ui.dialogs.add_notification import AddNotificationDialog


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)  # the dialog deletes itself when closed: its parent is kept
    return widget


@pytest.fixture
def dialog(qtbot, parent, service, web_project) -> AddNotificationDialog:
    dialog = AddNotificationDialog(
        web_project,
        lambda kind, address: service.add_notification(web_project, kind, address),
        service,
        parent,
    )
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def test_it_opens_on_e_mail_with_the_address_focused_and_add_waiting_for_one(qtbot, dialog):
    assert dialog.kind_choice().currentData() == "email"
    assert dialog.kind_choice().currentText() == "E-mail"
    assert dialog.address_field().hasFocus() or dialog.focusWidget() is dialog.address_field()
    assert not dialog.add_button().isEnabled()
    assert dialog.address_field().accessibleName() == "Address"
    assert "digest" in dialog.kind_choice().accessibleDescription()
    dialog.choose_kind("webhook")
    assert "signed JSON POST" in dialog.kind_choice().accessibleDescription()
    assert "https://" in dialog.address_field().placeholderText()


@pytest.mark.parametrize(
    ("kind", "address", "said"),
    [
        ("email", "not an address", "An e-mail address cannot contain spaces"),
        ("email", "ops@", "That is not an e-mail address"),
        ("webhook", "http://hooks.example.com/x", "A webhook URL must be https://"),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_written(
    qtbot, dialog, service, web_project, kind, address, said
):
    dialog.choose_kind(kind)
    dialog.address_field().setText(address)
    click(qtbot, dialog.add_button())
    qtbot.waitUntil(lambda: dialog.problem() != "")
    assert dialog.problem().startswith(said)
    assert "\n" not in dialog.problem()
    assert dialog.address_field().accessibleDescription() == dialog.problem()
    assert dialog.isVisible()
    assert service.list_notifications(web_project) == []
    dialog.address_field().setText("ops@example.com")  # typing again: said of the old text
    assert dialog.problem() == ""


def test_an_e_mail_recipient_is_added_and_the_dialog_closes(qtbot, dialog, service, web_project):
    added = []
    dialog.added.connect(lambda record, secret: added.append((record, secret)))
    dialog.address_field().setText("  ops@example.com ")
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, dialog.add_button())
    [(record, secret)] = added
    assert (record.kind, record.address, record.project) == ("email", "ops@example.com", "web")
    assert secret is None
    assert [r.id for r in service.list_notifications(web_project)] == [record.id]


def test_a_webhook_is_added_with_its_secret_handed_on_once(qtbot, dialog, service, web_project):
    added = []
    dialog.added.connect(lambda record, secret: added.append((record, secret)))
    dialog.choose_kind("webhook")
    dialog.address_field().setText("https://hooks.example.com/deployment-tokens")
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, dialog.add_button())
    [(record, secret)] = added
    assert record.kind == "webhook"
    assert secret.startswith("mldw_")


def test_the_same_address_twice_is_refused_beside_the_field(qtbot, dialog, service, web_project):
    service.add_notification(web_project, "email", "ops@example.com")
    dialog.address_field().setText("OPS@example.com")
    click(qtbot, dialog.add_button())
    qtbot.waitUntil(lambda: dialog.problem() != "")
    assert dialog.problem() == "Project 'web' already has that e-mail recipient."
    assert len(service.list_notifications(web_project)) == 1
