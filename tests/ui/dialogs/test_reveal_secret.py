"""A new webhook's signing secret: shown once, copied as a secret, asked about before
closing uncopied, and gone from the dialog on every way out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget

from app.notifications.records import NotificationRecord
from tests.support.ui import click
from ui.dialogs.reveal_secret import RevealSecretDialog

SECRET = "mldw_" + "S3cr3t" * 7 + "x"
RECORD = NotificationRecord(
    7, "web", "webhook", "https://hooks.example.com/x", datetime(2026, 12, 1, tzinfo=UTC), "me"
)


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)  # the dialog deletes itself when closed: its parent is kept
    return widget


@pytest.fixture
def dialog(qtbot, parent, clipboard, no_clipboard_left) -> RevealSecretDialog:
    dialog = RevealSecretDialog(RECORD, SECRET, clipboard, parent)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def test_it_explains_the_signature_and_lands_on_the_copy_button(qtbot, dialog):
    assert dialog.secret_field().text() == SECRET
    assert dialog.secret_field().isReadOnly()
    instruction = dialog.findChild(QWidget, "instruction").text()
    assert "X-Deployment-Tokens-Signature" in instruction
    assert "cannot be shown again" in instruction
    assert dialog.copy_button().accessibleName() == "Copy secret"
    qtbot.waitUntil(lambda: dialog.copy_button().hasFocus())


def test_copy_then_close_forgets_the_secret(qtbot, dialog):
    click(qtbot, dialog.copy_button())
    assert QApplication.clipboard().text() == SECRET
    assert dialog.copied_label().text().startswith("Copied.")
    field = dialog.secret_field()
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, dialog.close_button())
    assert field.text() == ""
    assert not field.isUndoAvailable()


def test_closing_uncopied_asks_first_and_go_back_keeps_it(qtbot, dialog):
    dialog.reject()
    box = dialog.findChild(QMessageBox, "confirmCloseBox")
    assert box is not None
    assert box.defaultButton().objectName() == "goBackButton"
    click(qtbot, box.findChild(QAbstractButton, "goBackButton"))
    assert dialog.isVisible()
    assert dialog.secret_field().text() == SECRET
    dialog.reject()
    box = dialog.findChild(QMessageBox, "confirmCloseBox")
    field = dialog.secret_field()
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(
            box.findChild(QAbstractButton, "closeAnywayButton"), Qt.MouseButton.LeftButton
        )
    assert field.text() == ""
