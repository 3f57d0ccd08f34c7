"""A missing salt and a failing database: one clear message, nothing written, app alive."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app import config
from app.errors import StorageError
from tests.support.ui import (
    button,
    click,
    generate_and_close,
    message_box,
    open_tokens_pane,
    settle,
)


@pytest.mark.parametrize("salt", [None, "", "   ", "too-short-salt"])
def test_generate_without_a_usable_salt_shows_a_configuration_error_and_writes_nothing(
    qtbot, make_window, web_project, store, monkeypatch, salt
):
    if salt is None:
        monkeypatch.delenv(config.SALT_ENV)
    else:
        monkeypatch.setenv(config.SALT_ENV, salt)
    window = make_window()
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    assert pane.banner().isVisible()
    assert config.SALT_ENV in pane.banner().text()
    before = store.dump()

    click(qtbot, button(window, "Generate deployment token"))

    box = message_box(qtbot)
    assert box.windowTitle() == "Configuration error"
    assert config.SALT_ENV in box.text()
    assert f"set {config.SALT_ENV} to a random secret" in box.text()
    assert "nothing was written" in box.informativeText()
    assert box.icon() == QMessageBox.Icon.Critical
    assert store.dump() == before
    assert pane.model().rowCount() == 0
    click(qtbot, button(box, "OK"))
    assert window.isVisible()


def test_no_banner_when_the_salt_is_fine(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    assert not window.project_page().tokens_pane().banner().isVisible()


@pytest.mark.parametrize(
    ("method", "action", "label"),
    [
        ("generate", "generate", "Could not generate"),
        ("revoke", "delete", "Could not delete"),
    ],
)
def test_a_storage_failure_shows_a_dialog_and_changes_nothing(
    qtbot, window, web_project, monkeypatch, method, action, label
):
    open_tokens_pane(qtbot, window, "web")
    generate_and_close(qtbot, window)
    pane = window.project_page().tokens_pane()

    def fail(*args, **kwargs):
        raise StorageError("the database file is gone (/tmp/x.db)")

    monkeypatch.setattr(pane._service, method, fail)
    if action == "generate":
        click(qtbot, button(window, "Generate deployment token"))
    else:
        click(qtbot, pane.table().action_button(0))
        click(qtbot, button(message_box(qtbot), "Delete"))
        settle(qtbot, window)
    box = message_box(qtbot)
    assert label in box.text()
    assert "gone" in box.text()
    click(qtbot, button(box, "Cancel"))
    assert pane.model().rowCount() == 1
    assert window.isVisible()


def test_an_unexpected_error_is_one_sentence_without_a_traceback(
    qtbot, window, web_project, monkeypatch
):
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()

    def bug(*args, **kwargs):
        raise KeyError("internal detail")

    monkeypatch.setattr(pane._service, "generate", bug)
    click(qtbot, button(window, "Generate deployment token"))
    box = message_box(qtbot)
    assert box.windowTitle() == "Unexpected error"
    assert "KeyError" in box.text()
    assert "Traceback" not in box.text() + box.informativeText()
    click(qtbot, button(box, "OK"))


def test_a_bug_in_a_slot_is_logged_redacted_and_shown_as_one_sentence(
    qtbot, window, caplog, monkeypatch
):
    from app import tokens
    from ui.application import _report_unexpected

    leaked = tokens.new_token()
    try:
        raise ValueError(f"bug while handling {leaked}")
    except ValueError as error:
        # What launch() installs as sys.excepthook, called as Python would call it.
        monkeypatch.setattr(QApplication, "activeWindow", staticmethod(lambda: window))
        _report_unexpected(type(error), error, error.__traceback__)
    box = message_box(qtbot)
    assert box.windowTitle() == "Unexpected error"
    assert leaked not in box.text() + box.informativeText()
    assert "ValueError" in caplog.text
    assert leaked not in caplog.text
    assert leaked[5:13] not in caplog.text
    click(qtbot, button(box, "OK"))


def test_tokens_that_cannot_be_loaded_are_one_message(qtbot, window, web_project, monkeypatch):
    def fail(*args, **kwargs):
        raise StorageError("the database is not readable (/tmp/x.db)")

    monkeypatch.setattr(window.service, "token_page", fail)
    open_tokens_pane(qtbot, window, "web")
    box = message_box(qtbot)
    assert "Could not load the tokens" in box.text()
    assert "not readable" in box.text()
    click(qtbot, button(box, "OK"))
    assert window.isVisible()
