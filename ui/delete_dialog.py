"""The confirmation asked before a token is revoked."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from app.records import TokenRecord

DELETE = "Delete"
CANCEL = "Cancel"
TITLE = "Delete deployment token"


def confirm_delete(
    parent: QWidget, record: TokenRecord, on_delete: Callable[[], None]
) -> QMessageBox:
    """Ask whether to revoke ``record``; call ``on_delete`` only if the user clicks Delete.

    Cancel is the default and the Escape button: a stray Enter must not revoke a token
    that a pipeline still uses.
    """
    box = QMessageBox(parent)
    box.setObjectName("confirmDeleteBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(TITLE)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"Delete the token {record.preview} (“{record.name}”)?")
    box.setInformativeText(
        "Automation that uses this token stops working at once: any CLI tool or CI/CD "
        "pipeline presenting it will be refused. This cannot be undone."
    )
    delete = box.addButton(DELETE, QMessageBox.ButtonRole.DestructiveRole)
    delete.setObjectName("deleteButton")
    cancel = box.addButton(CANCEL, QMessageBox.ButtonRole.RejectRole)
    cancel.setObjectName("cancelButton")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def decided(button: QAbstractButton) -> None:
        if button is delete:
            on_delete()

    box.buttonClicked.connect(decided)
    box.open()
    return box
