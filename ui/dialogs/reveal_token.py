"""The one-time reveal dialog: the only place a plaintext token is ever shown. With the
project's destinations, Send to pushes it there instead of the clipboard."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QDateTime, QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
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

from app.records import DestinationRecord, TokenRecord
from ui import resources
from ui.background import Connections
from ui.clipboard import SecretClipboard
from ui.relative_time import ahead, in_days
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg, counted
from ui.widgets.one_time_secret import OneTimeSecret
from ui.widgets.send_token import SendToken

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.use_cases.pushing import Pushed

# In English, as the spec and tests name them; shown in the user's language.
COPY_TOKEN = QT_TRANSLATE_NOOP("RevealTokenDialog", "Copy token")
CLOSE = QT_TRANSLATE_NOOP("RevealTokenDialog", "Close")
INSTRUCTION = QT_TRANSLATE_NOOP(
    "RevealTokenDialog",
    "Copy this token and store it in your secret manager now. It cannot be shown again: "
    "after you close this dialog, only its masked preview is kept.",
)
NOT_COPIED_TITLE = QT_TRANSLATE_NOOP("RevealTokenDialog", "Close without copying?")
NOT_COPIED_TEXT = QT_TRANSLATE_NOOP(
    "RevealTokenDialog", "You have not copied the token. It cannot be shown again."
)
NOT_COPIED_DETAIL = QT_TRANSLATE_NOOP(
    "RevealTokenDialog",
    "Nobody else has it: delete it now, or close and keep it working (generate a new token "
    "when you need one).",
)
DELETE_AND_CLOSE = QT_TRANSLATE_NOOP("RevealTokenDialog", "Delete token and close")
CLOSE_ANYWAY = QT_TRANSLATE_NOOP("RevealTokenDialog", "Close anyway")
GO_BACK = QT_TRANSLATE_NOOP("RevealTokenDialog", "Go back")


def lifetime_summary(record: TokenRecord) -> str:
    """The expiry and environments just chosen, as the record says: "Expires 4 March
    2027 (in 90 days); any environment", "Never expires; only production, staging"."""
    places = (
        arg(
            QCoreApplication.translate("RevealTokenDialog", "only %1"),
            ", ".join(record.environments),
        )
        if record.environments
        else QCoreApplication.translate("RevealTokenDialog", "any environment")
    )
    if record.expires_at is None:
        return arg(QCoreApplication.translate("RevealTokenDialog", "Never expires; %1"), places)
    day = QDateTime.fromMSecsSinceEpoch(round(record.expires_at.timestamp() * 1000))
    # The day as the user's language writes it in full: "4 March 2027", "4. März 2027".
    date_format = QCoreApplication.translate(
        "RevealTokenDialog", "d MMMM yyyy", "the expiry date's format (QDate)"
    )
    date = QLocale().toString(day.toLocalTime().date(), date_format)
    life = record.expires_at - record.created_at
    days = round(life.total_seconds() / 86_400)
    left = in_days(days) if days else ahead(record.expires_at, record.created_at)
    return arg(
        QCoreApplication.translate("RevealTokenDialog", "Expires %1 (%2); %3"), date, left, places
    )


class RevealTokenDialog(QDialog):
    """Shows a new token once, offers to copy it (or, with ``destinations``, to send it
    through ``push(token_id, plaintext, destination)`` run on ``connections``' pool
    thread), and forgets it when closed.

    The plaintext lives in this dialog's line edit and nowhere else in the app; on
    close the field is emptied (which also empties its undo history), the dialog drops
    its reference and deletes itself.
    """

    copied = Signal(str)  # a status-bar message, never the token
    # The user closed without copying and chose to delete the token nobody has (its id).
    discard_requested = Signal(int)

    def __init__(
        self,
        record: TokenRecord,
        plaintext: str,
        clipboard: SecretClipboard,
        parent: QWidget | None = None,
        *,
        destinations: Sequence[DestinationRecord] = (),
        push: Callable[[int, str, str], Pushed] | None = None,
        connections: Connections | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("revealTokenDialog")
        self.setWindowTitle(self.tr("Deployment token generated"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(True)
        self._token_id = record.id
        # Set only by "Close anyway" or "Delete token and close": Go back asks again.
        self._close_confirmed = False
        self._closing = False

        said = self.tr("Your new deployment token for %1").replace("%1", record.project)
        heading = QLabel(f"<b>{html.escape(said)}</b>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setWordWrap(True)

        self._secret = OneTimeSecret(
            plaintext,
            clipboard,
            names=("tokenField", "copyTokenButton"),
            labels=(self.tr("Deployment token"), self.tr(INSTRUCTION), self.tr(COPY_TOKEN)),
            parent=self,
        )
        self._secret.copied.connect(self._was_copied)
        self._field = self._secret.field()
        self._copy_button = self._secret.button()
        self._send = self._send_to(record.id, destinations, push, connections)

        instruction = QLabel(self.tr(INSTRUCTION))
        instruction.setObjectName("instruction")
        instruction.setWordWrap(True)

        name = self.tr("Name: %1").replace("%1", record.name)
        appears = html.escape(self.tr("In the table it will appear as %1.")).replace(
            "%1", f"<tt>{html.escape(record.preview)}</tt>"
        )
        preview = QLabel(
            f"{html.escape(name)}<br>{appears}<br>{html.escape(lifetime_summary(record))}"
        )
        preview.setObjectName("lifetimeSummary")
        preview.setTextFormat(Qt.TextFormat.RichText)

        buttons = QDialogButtonBox()
        self._close_button = QPushButton(self.tr(CLOSE))
        self._close_button.setObjectName("closeButton")
        self._close_button.setAutoDefault(False)
        buttons.addButton(self._close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self._close_button.clicked.connect(self.reject)
        self._lay_out(heading, instruction, preview, buttons)

    def _send_to(
        self,
        token_id: int,
        destinations: Sequence[DestinationRecord],
        push: Callable[[int, str, str], Pushed] | None,
        connections: Connections | None,
    ) -> SendToken | None:
        """Send to, beside the copy icon, when the project has destinations."""
        if not destinations or push is None or connections is None:
            return None
        send = SendToken(
            destinations,
            self._field.text,
            lambda plaintext, name: push(token_id, plaintext, name),
            connections,
            self,
        )
        # A send hands the token over as a copy does: Close no longer asks.
        send.sent.connect(self.copied)
        return send

    def _lay_out(
        self, heading: QLabel, instruction: QLabel, preview: QLabel, buttons: QDialogButtonBox
    ) -> None:
        field_row = QHBoxLayout()
        field_row.addWidget(self._field, 1)
        field_row.addWidget(self._copy_button)
        if self._send is not None:
            field_row.addWidget(self._send.button())
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(instruction)
        layout.addLayout(field_row)
        layout.addWidget(self._secret.copied_label())
        if self._send is not None:
            layout.addWidget(self._send.result_label())
            self._send.answered.connect(self._grow_to_fit)
        layout.addWidget(preview)
        layout.addWidget(buttons)
        # Never smaller than its contents: a line that appears (Copied…) grows the dialog
        # instead of squeezing the last line under the buttons.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self._layout = layout
        # Keyboard users land on the copy button (Space copies, Escape closes); Tab
        # follows the reading order: the field, its copy button, then Close.
        self.setTabOrder(self._field, self._copy_button)
        last: QWidget = self._copy_button
        if self._send is not None:
            self.setTabOrder(self._copy_button, self._send.button())
            last = self._send.button()
        self.setTabOrder(last, self._close_button)

    @property
    def has_copied(self) -> bool:
        return self._secret.has_copied

    @property
    def handed_over(self) -> bool:
        """Whether the token was copied, or sent to a destination."""
        return self.has_copied or (self._send is not None and self._send.sent_to() is not None)

    def send_token(self) -> SendToken | None:
        """Send to (None: the project has no destinations)."""
        return self._send

    def token_field(self) -> QLineEdit:
        return self._field

    def copy_button(self) -> QToolButton:
        return self._copy_button

    def copied_label(self) -> QLabel:
        return self._secret.copied_label()

    def close_button(self) -> QPushButton:
        return self._close_button

    def copy_token(self) -> None:
        self._secret.copy()

    def _was_copied(self) -> None:
        self._grow_to_fit()
        seconds = self._secret.clear_after_seconds()
        status = self.tr(
            "Token copied to the clipboard; it is cleared in %n second(s).", "", seconds
        )
        self.copied.emit(counted(status, seconds))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if resources.is_palette_change(event):
            self._secret.update_icon()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._copy_button.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        # Again once shown: the dialog's own first focus would otherwise go to the field.
        QTimer.singleShot(0, lambda: self._copy_button.setFocus(Qt.FocusReason.TabFocusReason))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter presses the focused button (Copy first of all); on the field, it copies
        until the token has been copied, then closes."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if focused is self._copy_button or (focused is self._field and not self.has_copied):
                self.copy_token()
            elif focused is self._close_button or focused is self._field:
                self.reject()
            elif self._send is not None and focused is self._send.button():
                self._send.button().click()  # its menu, or the one destination
            event.accept()
            return
        super().keyPressEvent(event)

    # Closing

    def reject(self) -> None:
        """Close, Escape and the window's close button all come here."""
        if self._closing:
            return
        if self._send is not None and self._send.is_busy():
            return  # the push holds the token: wait for its answer
        if not self.handed_over and not self._close_confirmed:
            self._confirm_close()
            return
        super().reject()

    def done(self, result: int) -> None:
        """Every way out (reject, accept, done) forgets the token first."""
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
            self.tr(NOT_COPIED_TITLE),
            self.tr(NOT_COPIED_TEXT),
            parent=self,
        )
        box.setObjectName("confirmCloseBox")
        box.setInformativeText(self.tr(NOT_COPIED_DETAIL))
        discard = box.addButton(self.tr(DELETE_AND_CLOSE), QMessageBox.ButtonRole.DestructiveRole)
        discard.setObjectName("deleteAndCloseButton")
        close = box.addButton(self.tr(CLOSE_ANYWAY), QMessageBox.ButtonRole.AcceptRole)
        close.setObjectName("closeAnywayButton")
        back = box.addButton(self.tr(GO_BACK), QMessageBox.ButtonRole.RejectRole)
        back.setObjectName("goBackButton")
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def decided(button: object) -> None:
            if button is close or button is discard:
                self._close_confirmed = True
                if button is discard:
                    self.discard_requested.emit(self._token_id)
                self.reject()
            else:
                self._copy_button.setFocus(Qt.FocusReason.OtherFocusReason)

        box.buttonClicked.connect(decided)
        box.open()
        return box

    def _grow_to_fit(self) -> None:
        """Make room for what was just added: at least as tall as the contents need at
        the dialog's width (wrapped lines included), never narrower or shorter than the
        user made it."""
        layout = self._layout
        layout.activate()
        width = max(self.width(), self.minimumSizeHint().width())
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        self.resize(width, max(self.height(), needed, self.sizeHint().height()))
