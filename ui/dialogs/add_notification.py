"""Notifications > Add…: an e-mail recipient or a webhook of the project. The dialog adds
it (off the GUI thread) and stays open, saying why beside the address, when the service
refuses it; nothing is written then."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeploymentTokensError
from app.notifications.records import NotificationRecord
from ui.background import Connections, WriteRunner
from ui.dialogs.messages import sentence
from ui.models.notifications import kind_name
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

TITLE = QT_TRANSLATE_NOOP("AddNotificationDialog", "Add notification")
ADD = QT_TRANSLATE_NOOP("AddNotificationDialog", "Add")
CANCEL = QT_TRANSLATE_NOOP("AddNotificationDialog", "Cancel")
EMAIL = "email"
WEBHOOK = "webhook"
# What each kind hears of, said under the choice.
MEANINGS = {
    EMAIL: QT_TRANSLATE_NOOP(
        "AddNotificationDialog",
        "Mailed one digest per run of notify: the project's tokens about to expire, and "
        "tokens revoked after a leak. Needs ML_DEPLOYMENT_SMTP_URL where notify runs.",
    ),
    WEBHOOK: QT_TRANSLATE_NOOP(
        "AddNotificationDialog",
        "Sent every audit event and every expiry warning of the project, one signed JSON "
        "POST each. https:// only (http:// to this machine alone). Its signing secret is "
        "shown once, next.",
    ),
}
PLACEHOLDERS = {
    EMAIL: QT_TRANSLATE_NOOP("AddNotificationDialog", "for example, ops@example.com"),
    WEBHOOK: QT_TRANSLATE_NOOP(
        "AddNotificationDialog", "for example, https://hooks.example.com/deployment-tokens"
    ),
}
# The longest address the service takes (a webhook's URL).
ADDRESS_MAX_LENGTH = 2000

Submit = Callable[[str, str], tuple[NotificationRecord, str | None]]


class AddNotificationDialog(QDialog):
    """Asks for a kind and an address, adds them through ``submit(kind, address)``, and
    says ``added(record, secret)`` (the secret a webhook's, once; None for e-mail)."""

    added = Signal(object, object)

    def __init__(
        self,
        project: str,
        submit: Submit,
        connections: Connections,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("addNotificationDialog")
        self.setWindowTitle(_tr(TITLE))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(True)
        self._submit = submit

        intro = QLabel(
            arg(self.tr("Who is told what happens to the tokens of %1, and how."), project)
        )
        intro.setWordWrap(True)
        self._kind = self._kind_choice()
        self._meaning = QLabel()
        self._meaning.setObjectName("kindMeaning")
        self._meaning.setWordWrap(True)
        self._address = QLineEdit()
        self._address.setObjectName("notificationAddressField")
        self._address.setAccessibleName(self.tr("Address"))
        self._address.setMaxLength(ADDRESS_MAX_LENGTH)
        self._address.textChanged.connect(self._typed)
        self._problem = QLabel()
        self._problem.setObjectName("notificationAddressProblem")
        self._problem.setWordWrap(True)
        self._problem.setStyleSheet(f"color: {_error_colour(self.palette())};")
        self._problem.hide()

        layout = QVBoxLayout(self)
        self._layout = layout
        layout.addWidget(intro)
        layout.addLayout(self._form())
        layout.addWidget(self._buttons())
        self._writes = WriteRunner(connections, self, controls=[self._add, self._cancel])
        self._writes.busy_changed.connect(self._edited)
        self._address.setMinimumWidth(380)
        self.setMinimumWidth(540)
        self._kind_chosen()
        self.resize(self.minimumWidth(), 0)
        self._fit()
        self._address.setFocus()

    def _kind_choice(self) -> QComboBox:
        choice = QComboBox()
        choice.setObjectName("notificationKindChoice")
        choice.setAccessibleName(self.tr("Kind"))
        for kind in (EMAIL, WEBHOOK):
            choice.addItem(kind_name(kind), kind)
        choice.currentIndexChanged.connect(self._kind_chosen)
        return choice

    def _form(self) -> QGridLayout:
        """Kind and address, each with its label, and what is meant or wrong under it
        (a grid: wrapped lines get the height they need at the dialog's width)."""
        kind_label = QLabel(self.tr("&Kind:"))
        kind_label.setBuddy(self._kind)
        address_label = QLabel(self.tr("A&ddress:"))
        address_label.setBuddy(self._address)
        form = QGridLayout()
        form.setColumnStretch(1, 1)
        form.addWidget(kind_label, 0, 0)
        form.addWidget(self._kind, 0, 1)
        form.addWidget(self._meaning, 1, 1)
        form.addWidget(address_label, 2, 0)
        form.addWidget(self._address, 2, 1)
        form.addWidget(self._problem, 3, 1)
        return form

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self._add = QPushButton(_tr(ADD))
        self._add.setObjectName("addButton")
        self._add.setDefault(True)
        self._add.setEnabled(False)
        buttons.addButton(self._add, QDialogButtonBox.ButtonRole.AcceptRole)
        self._cancel = buttons.addButton(_tr(CANCEL), QDialogButtonBox.ButtonRole.RejectRole)
        self._cancel.setObjectName("cancelButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        return buttons

    # What tests and the pane reach for

    def kind_choice(self) -> QComboBox:
        return self._kind

    def address_field(self) -> QLineEdit:
        return self._address

    def add_button(self) -> QPushButton:
        return self._add

    def problem(self) -> str:
        return self._problem.text() if self._problem.isVisibleTo(self) else ""

    def choose_kind(self, kind: str) -> None:
        self._kind.setCurrentIndex((EMAIL, WEBHOOK).index(kind))

    def is_busy(self) -> bool:
        return self._writes.is_busy()

    # Adding

    def accept(self) -> None:
        address = self._address.text().strip()
        if not address or self._writes.is_busy():
            return
        kind = str(self._kind.currentData())
        self._writes.run(lambda: self._submit(kind, address), self._added, self._refused)

    def reject(self) -> None:
        if not self._writes.is_busy():  # a write cannot be called back: wait for its answer
            super().reject()

    def _added(self, answer: tuple[NotificationRecord, str | None]) -> None:
        record, secret = answer
        super().accept()
        self.added.emit(record, secret)

    def _refused(self, error: Exception) -> None:
        if not isinstance(error, DeploymentTokensError):
            raise error  # a bug: the app's handler of unexpected errors reports it
        # An address the service refuses, one already there, or the database refusing.
        self._show_problem(sentence(str(error)))
        self._address.setFocus()

    def _kind_chosen(self, *_: object) -> None:
        kind = str(self._kind.currentData())
        self._meaning.setText(_tr(MEANINGS[kind]))
        self._address.setPlaceholderText(_tr(PLACEHOLDERS[kind]))
        self._kind.setAccessibleDescription(_tr(MEANINGS[kind]))
        self._show_problem("")
        self._fit()

    def _typed(self, *_: object) -> None:
        self._show_problem("")  # said of what was typed before
        self._edited()

    def _edited(self, *_: object) -> None:
        if not self._writes.is_busy():
            self._add.setEnabled(bool(self._address.text().strip()))

    def _show_problem(self, message: str) -> None:
        self._problem.setText(message)
        self._problem.setVisible(bool(message))
        self._address.setAccessibleDescription(message)
        self._fit()

    def _fit(self) -> None:
        """As tall as the wrapped lines need at the dialog's width: a problem that
        appears grows the dialog instead of squeezing the lines above it."""
        layout = self._layout
        layout.activate()
        width = max(self.width(), self.minimumSizeHint().width())
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        self.resize(width, needed)


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("AddNotificationDialog", source)


def _error_colour(palette: QPalette) -> str:
    """A red that reads on the window's background, light or dark."""
    return "#ff8a80" if palette.color(QPalette.ColorRole.Window).lightness() < 128 else "#c62828"
