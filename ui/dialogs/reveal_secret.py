"""A new webhook's signing secret, shown once: the only place the window shows it.

Like the token's reveal dialog: the same field and copy button (``OneTimeSecret``: the
copy marked as a secret for clipboard tools and cleared after a while), a question before
closing when it was never copied, and the field emptied on every way out.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.notifications.records import NotificationRecord
from ui import resources
from ui.clipboard import SecretClipboard
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg
from ui.widgets.one_time_secret import OneTimeSecret

COPY_SECRET = QT_TRANSLATE_NOOP("RevealSecretDialog", "Copy secret")
CLOSE = QT_TRANSLATE_NOOP("RevealSecretDialog", "Close")
INSTRUCTION = QT_TRANSLATE_NOOP(
    "RevealSecretDialog",
    "Copy this secret to the receiver now. It signs every POST: the receiver computes "
    "HMAC-SHA256 of the X-Deployment-Tokens-Timestamp header, a full stop and the body "
    "with it, and compares the result with the X-Deployment-Tokens-Signature header. It "
    "cannot be shown again: for a new one, remove the webhook and add it again.",
)


class RevealSecretDialog(QDialog):
    """Shows a webhook's secret once, offers to copy it, and forgets it when closed."""

    def __init__(
        self,
        record: NotificationRecord,
        secret: str,
        clipboard: SecretClipboard,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("revealSecretDialog")
        self.setWindowTitle(self.tr("Webhook added"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(True)
        self._close_confirmed = False
        self._closing = False

        said = arg(self.tr("The signing secret of the webhook %1"), record.address)
        heading = QLabel(f"<b>{html.escape(said)}</b>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setWordWrap(True)
        instruction = QLabel(self.tr(INSTRUCTION))
        instruction.setObjectName("instruction")
        instruction.setWordWrap(True)

        self._secret = OneTimeSecret(
            secret,
            clipboard,
            names=("secretField", "copySecretButton"),
            labels=(self.tr("Signing secret"), self.tr(INSTRUCTION), self.tr(COPY_SECRET)),
            parent=self,
        )
        self._field = self._secret.field()
        self._copy = self._secret.button()

        buttons = QDialogButtonBox()
        self._close = QPushButton(self.tr(CLOSE))
        self._close.setObjectName("closeButton")
        self._close.setAutoDefault(False)
        buttons.addButton(self._close, QDialogButtonBox.ButtonRole.RejectRole)
        self._close.clicked.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self._field, 1)
        row.addWidget(self._copy)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        for widget in (heading, instruction):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self._secret.copied_label())
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.setTabOrder(self._field, self._copy)
        self.setTabOrder(self._copy, self._close)

    @property
    def has_copied(self) -> bool:
        return self._secret.has_copied

    def secret_field(self) -> QLineEdit:
        return self._field

    def copy_button(self) -> QToolButton:
        return self._copy

    def close_button(self) -> QPushButton:
        return self._close

    def copied_label(self) -> QLabel:
        return self._secret.copied_label()

    def copy_secret(self) -> None:
        self._secret.copy()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Keyboard users land on the copy button: Space copies, Escape closes.
        QTimer.singleShot(0, self._copy, lambda: self._copy.setFocus(Qt.FocusReason.TabFocusReason))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if resources.is_palette_change(event):
            self._secret.update_icon()

    # Closing

    def reject(self) -> None:
        """Close, Escape and the window's close button: asks first when not copied."""
        if self._closing:
            return
        if not self.has_copied and not self._close_confirmed:
            self._confirm_close()
            return
        super().reject()

    def done(self, result: int) -> None:
        """Every way out forgets the secret first."""
        self._closing = True
        self._secret.forget()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            super().closeEvent(event)
            return
        event.ignore()
        self.reject()

    def _confirm_close(self) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Close without copying?"),
            self.tr("You have not copied the secret. It cannot be shown again."),
            parent=self,
        )
        box.setObjectName("confirmCloseBox")
        box.setInformativeText(
            self.tr(
                "Without it the receiver cannot check that a POST came from here: remove "
                "the webhook and add it again for a new secret."
            )
        )
        close = box.addButton(self.tr("Close anyway"), QMessageBox.ButtonRole.AcceptRole)
        close.setObjectName("closeAnywayButton")
        back = box.addButton(self.tr("Go back"), QMessageBox.ButtonRole.RejectRole)
        back.setObjectName("goBackButton")
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def decided(button: object) -> None:
            if button is close:
                self._close_confirmed = True
                self.reject()
            else:
                self._copy.setFocus(Qt.FocusReason.OtherFocusReason)

        box.buttonClicked.connect(decided)
        box.open()
        return box
