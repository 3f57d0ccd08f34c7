"""The message boxes: the confirmation before a token is deleted says when the token was
last used (the spec's "confirm that no active automation still depends on the token"),
Cancel its default; an error says what failed, as a sentence, with Retry where it helps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import ConfigurationError, StorageError, UnavailableError, ValidationError
from tests.support.data import used_ago
from tests.support.ui import button, click, message_box, open_tokens_pane
from ui.dialogs import messages


def ask_to_delete(qtbot, window):
    open_tokens_pane(qtbot, window, "web")
    click(qtbot, window.project_page().tokens_pane().table().action_button(0))
    return message_box(qtbot)


@pytest.mark.parametrize(
    ("ago", "said"),
    [
        (timedelta(minutes=3), "Something used this token 3 minutes ago: a pipeline may still "),
        (timedelta(hours=23), "Something used this token 23 hours ago: a pipeline may still "),
        (timedelta(days=3), "Last used 3 days ago."),
    ],
)
def test_the_confirmation_says_when_the_token_was_last_used(
    qtbot, window, service, web_project, store, ago, said
):
    _, plaintext = service.generate("web", "Nightly")
    used_ago(store, plaintext, ago)
    box = ask_to_delete(qtbot, window)
    assert box.informativeText().startswith(said)
    assert "stops working at once" in box.informativeText()
    # Cancel stays the default, and the buttons stay the spec's.
    assert box.defaultButton() is button(box, "Cancel")
    assert sorted(b.text() for b in box.buttons()) == ["Cancel", "Delete"]
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Cancel"))
    assert service.verify(plaintext) == "web"


def test_the_confirmation_says_when_the_token_was_never_used(qtbot, window, service, web_project):
    service.generate("web", "Nightly")
    box = ask_to_delete(qtbot, window)
    assert box.informativeText().startswith("Never used.")
    assert "Something used" not in box.informativeText()
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Cancel"))


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_a_service_message_becomes_a_sentence():
    assert messages.sentence(" there is no project 'web'") == "There is no project 'web'."
    assert messages.sentence("Is it there?") == "Is it there?"
    assert messages.sentence("   ") == ""


def test_a_database_error_offers_retry_as_the_default_and_cancel_as_escape(qtbot, parent):
    retried: list[bool] = []
    box = messages.show_error(
        parent,
        "Could not generate a token",
        StorageError("database is locked"),
        lambda: retried.append(True),
    )
    assert box.windowTitle() == "Database error"
    assert box.text() == "Could not generate a token: Database is locked."
    assert box.icon() == QMessageBox.Icon.Critical
    assert box.standardButtons() == (
        QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel
    )
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Retry)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.Cancel)
    with qtbot.waitSignal(box.finished):
        click(qtbot, box.button(QMessageBox.StandardButton.Retry))
    assert retried == [True]


def test_cancel_does_not_retry(qtbot, parent):
    retried: list[bool] = []
    box = messages.show_error(
        parent, "Could not delete", StorageError("locked"), lambda: retried.append(True)
    )
    with qtbot.waitSignal(box.finished):
        click(qtbot, box.button(QMessageBox.StandardButton.Cancel))
    assert retried == []


def test_an_unreachable_server_says_to_start_it(qtbot, parent):
    box = messages.show_error(parent, "Could not rotate", UnavailableError("no server"))
    assert "Start the database server" in box.informativeText()
    assert box.standardButtons() == QMessageBox.StandardButton.Ok  # no retry asked for
    box.close()


def test_a_refusal_is_a_warning_titled_with_the_action_and_only_ok(parent):
    box = messages.show_error(parent, "Could not add the project", ValidationError("name is empty"))
    assert box.windowTitle() == "Could not add the project"
    assert box.text() == "Name is empty."
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.standardButtons() == QMessageBox.StandardButton.Ok
    box.close()


def test_a_missing_salt_says_how_to_set_it(parent):
    box = messages.show_error(parent, "Could not generate", ConfigurationError("no salt set"))
    assert box.windowTitle() == "Configuration error"
    assert box.text() == "No salt set."
    assert box.informativeText() != ""
    box.close()


def test_a_bug_is_named_by_its_kind_never_a_traceback(parent):
    box = messages.show_error(parent, "Could not rename", KeyError("secret detail"))
    assert box.windowTitle() == "Unexpected error"
    assert box.text() == "Could not rename: an unexpected error occurred (KeyError)."
    assert "secret detail" not in box.text() + box.informativeText()
    box.close()


def test_a_destructive_confirmation_defaults_to_cancel_and_acts_only_on_its_button(qtbot, parent):
    confirmed: list[bool] = []
    box = messages.confirm_destructive(
        parent,
        "confirmBox",
        "Delete",
        "Delete it?",
        "For good.",
        ("Delete", "deleteButton"),
        lambda: confirmed.append(True),
    )
    cancel = button(box, "Cancel")
    assert box.defaultButton() is cancel
    assert box.escapeButton() is cancel
    with qtbot.waitSignal(box.finished):
        click(qtbot, cancel)
    assert confirmed == []
    box = messages.confirm_destructive(
        parent,
        "confirmBox",
        "Delete",
        "Delete it?",
        "For good.",
        ("Delete", "deleteButton"),
        lambda: confirmed.append(True),
    )
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Delete"))
    assert confirmed == [True]
