"""Notifications > Add…: an e-mail recipient or a webhook of the project. The dialog adds
it (off the GUI thread) and stays open, saying why beside the address, when the service
refuses it; nothing is written then."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.notifications.records import NotificationRecord
from ui.background import Connections
from ui.dialogs.add_record import AddRecordDialog
from ui.models.notifications import kind_name
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

TITLE = QT_TRANSLATE_NOOP("AddNotificationDialog", "Add notification")
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


class AddNotificationDialog(AddRecordDialog):
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
        super().__init__(
            "addNotificationDialog",
            _tr(TITLE),
            connections,
            parent,
            problem_name="notificationAddressProblem",
        )
        self._submit = submit

        intro = QLabel(
            arg(self.tr("Who is told what happens to the tokens of %1, and how."), project)
        )
        intro.setWordWrap(True)
        self._fill_kind_choice(
            "notificationKindChoice", [(kind, kind_name(kind)) for kind in (EMAIL, WEBHOOK)]
        )
        self._meaning = QLabel()
        self._meaning.setObjectName("kindMeaning")
        self._meaning.setWordWrap(True)
        self._address = QLineEdit()
        self._address.setObjectName("notificationAddressField")
        self._address.setAccessibleName(self.tr("Address"))
        self._address.setMaxLength(ADDRESS_MAX_LENGTH)
        self._address.textChanged.connect(self._typed)

        layout = QVBoxLayout(self)
        self._layout = layout
        layout.addWidget(intro)
        layout.addLayout(self._form())
        layout.addWidget(self._button_box)
        self._address.setMinimumWidth(380)
        self.setMinimumWidth(540)
        self._kind_chosen()
        self.resize(self.minimumWidth(), 0)
        self._fit()
        self._address.setFocus()

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

    # What tests and the pane reach for

    def address_field(self) -> QLineEdit:
        return self._address

    # Adding

    def _complete(self) -> bool:
        return bool(self._address.text().strip())

    def _write(self) -> Callable[[], tuple[NotificationRecord, str | None]]:
        kind, address, submit = self.kind(), self._address.text().strip(), self._submit
        return lambda: submit(kind, address)

    def _added(self, answer: object) -> None:
        record, secret = cast("tuple[NotificationRecord, str | None]", answer)
        self.added.emit(record, secret)

    def _refused(self, error: Exception) -> None:
        super()._refused(error)
        self._address.setFocus()  # where the mistake is, most likely

    def _kind_chosen(self, *_: object) -> None:
        kind = self.kind()
        self._meaning.setText(_tr(MEANINGS[kind]))
        self._address.setPlaceholderText(_tr(PLACEHOLDERS[kind]))
        self._kind.setAccessibleDescription(_tr(MEANINGS[kind]))
        self._show_problem("")
        self._fit()

    def _show_problem(self, message: str) -> None:
        super()._show_problem(message)
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
