"""The reveal dialog's Send to: the token just shown, pushed to one of the project's
destinations without the clipboard. One destination is one button, "Send to bao"; more
are a "Send to…" button with a menu. The push runs off the GUI thread (a network call of
up to about 10 s); what it says, success or failure, goes under the token."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QMenu, QPushButton, QWidget

from app.errors import DeploymentTokensError
from app.records import DestinationRecord
from ui.background import Connections, WriteRunner
from ui.dialogs.messages import sentence
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg
from ui.widgets.error_text import error_colour

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.use_cases.pushing import Pushed

SEND_TO = QT_TRANSLATE_NOOP("SendToken", "Send to…")
SEND_TO_ONE = QT_TRANSLATE_NOOP("SendToken", "Send to %1")

# (plaintext, destination name) -> where it went; run on a pool thread.
Push = Callable[[str, str], "Pushed"]


class SendToken(QObject):
    """The Send to button and the line that says how the push went. ``plaintext`` is
    asked for on the GUI thread when a destination is chosen (the dialog holds it)."""

    # The token was handed over (a status-bar message, never the token).
    sent = Signal(str)
    # A push answered, sent or not: the dialog makes room for what it says.
    answered = Signal()

    def __init__(
        self,
        destinations: Sequence[DestinationRecord],
        plaintext: Callable[[], str],
        push: Push,
        connections: Connections,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._plaintext = plaintext
        self._push = push
        self._names = [record.name for record in destinations]
        # Imported here: the tokens pane imports this module while the window first paints.
        from ui.models.destinations import where_in_words

        self._where = {record.name: where_in_words(record) for record in destinations}
        self._kinds = {record.name: record.kind for record in destinations}
        self._button = QPushButton()
        self._button.setObjectName("sendTokenButton")
        self._button.setAutoDefault(False)
        self._button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if len(self._names) == 1:
            [name] = self._names
            self._button.setText(arg(self.tr(SEND_TO_ONE), name))
            self._button.clicked.connect(lambda: self.send(name))
        else:
            self._button.setText(self.tr(SEND_TO))
            menu = QMenu(self._button)
            menu.setObjectName("sendTokenMenu")
            for record in destinations:
                action = menu.addAction(arg(self.tr(SEND_TO_ONE), record.name))
                action.setToolTip(self._where[record.name])
                action.triggered.connect(lambda _=False, name=record.name: self.send(name))
            self._button.setMenu(menu)
        described = self.tr("Push the token to a destination of the project, not the clipboard")
        self._button.setToolTip(described)
        self._button.setAccessibleName(self._button.text().replace("&", ""))
        self._button.setAccessibleDescription(described)
        self._result = QLabel()
        self._result.setObjectName("sendResult")
        self._result.setWordWrap(True)
        self._result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._result.hide()
        self._writes = WriteRunner(connections, parent, controls=[self._button])
        self._sent_to: str | None = None

    def button(self) -> QPushButton:
        return self._button

    def result_label(self) -> QLabel:
        return self._result

    def sent_to(self) -> str | None:
        """Where the token went (a destination's name), or None."""
        return self._sent_to

    def is_busy(self) -> bool:
        return self._writes.is_busy()

    def actions(self) -> list[str]:
        """What the menu offers (or the one button says)."""
        menu = self._button.menu()
        if menu is None:
            return [self._button.text()]
        return [action.text() for action in menu.actions()]

    def send(self, name: str) -> None:
        """Push the token to destination ``name`` off the GUI thread."""
        if self._writes.is_busy() or name not in self._names:
            return
        plaintext = self._plaintext()
        if not plaintext:
            return  # the dialog closed: nothing left to send
        push = self._push
        self._show(arg(self.tr("Sending to %1…"), name), failed=False)
        # The closure holds the plaintext until the pool thread is done with it.
        self._writes.run(lambda: push(plaintext, name), self._pushed, self._failed)

    def _pushed(self, pushed: Pushed) -> None:
        from ui.models.destinations import confirmation_in_words  # loaded with where_in_words

        self._sent_to = pushed.destination
        said = arg(
            self.tr("Sent to %1: %2 — %3"),
            pushed.destination,
            self._where.get(pushed.destination, pushed.receipt.where),
            confirmation_in_words(pushed.receipt, self._kinds.get(pushed.destination, "")),
        )
        self._show(said, failed=False)
        # The service's own account too (which flags GitLab listed, when GitHub updated
        # it), for whoever wants the detail.
        self._result.setToolTip(pushed.receipt.confirmed)
        self._result.setAccessibleDescription(pushed.receipt.confirmed)
        self.sent.emit(
            arg(self.tr("Token %1 sent to %2."), pushed.token.preview, pushed.destination)
        )

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, DeploymentTokensError):
            raise error  # a bug: the app's handler of unexpected errors reports it
        self._show(
            arg(
                self.tr("Not sent: %1 The token still works; copy it instead."),
                sentence(str(error)),
            ),
            failed=True,
        )

    def _show(self, text: str, *, failed: bool) -> None:
        # Red only for a failure; otherwise the window's own text colour.
        self._result.setStyleSheet(
            f"color: {error_colour(self._result.palette())};" if failed else ""
        )
        self._result.setText(text)
        self._result.setAccessibleName(text)
        # Whatever a send before this one said in detail is not this one's.
        self._result.setToolTip("")
        self._result.setAccessibleDescription("")
        self._result.show()
        self.answered.emit()
