"""A project's Notifications: its e-mail recipients and webhooks (and those of all
projects), each with its last delivery; for its admins, Add…, Remove… and the days
before expiry that a token is warned about.

Nothing is sent from here: ``deployment-tokens notify``, run by a timer, sends what is
pending and records each delivery, which this pane shows. Below admin the pane is
read-only, saying why.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeploymentTokensError, ValidationError
from app.notifications import thresholds
from app.notifications.records import NotificationRecord
from ui import access
from ui.access import Permissions
from ui.background import WriteRunner
from ui.clipboard import SecretClipboard
from ui.dialogs import messages
from ui.dialogs.add_notification import AddNotificationDialog
from ui.dialogs.reveal_secret import RevealSecretDialog
from ui.models.notifications import NotificationColumn, NotificationsModel, kind_name
from ui.pages.list_page import (
    ListOrSentence,
    ProjectListPage,
    action_button,
    button_row,
    description_label,
    hidden_label,
    sentence_label,
)
from ui.pages.sections import NOTIFICATIONS
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg
from ui.widgets.heading import heading
from ui.widgets.record_table import record_table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

ADD = QT_TRANSLATE_NOOP("NotificationsPane", "&Add…")
REMOVE = QT_TRANSLATE_NOOP("NotificationsPane", "&Remove…")
SAVE = QT_TRANSLATE_NOOP("NotificationsPane", "&Save")
DESCRIPTION = QT_TRANSLATE_NOOP(
    "NotificationsPane",
    "Who is told before this project's tokens expire, and what happens to them. E-mail "
    "recipients get one digest per run: tokens about to expire and tokens revoked after a "
    "leak. Webhooks get every audit event and expiry warning, each a signed POST. "
    "deployment-tokens notify, run by a timer, sends them.",
)
EMPTY = QT_TRANSLATE_NOOP(
    "NotificationsPane",
    "No one is notified about this project yet. Add an e-mail recipient to hear of tokens "
    "about to expire and of leaked tokens revoked, or a webhook to receive every audit "
    "event. Nothing is sent from this window: deployment-tokens notify, run by a timer "
    "(see the user guide), sends them and records each delivery here.",
)


class NotificationsPane(ProjectListPage[NotificationsModel]):
    """Lists, adds and removes one project's notifications; sets its warning days."""

    status_message = Signal(str)

    def __init__(
        self,
        service: TokenService,
        clipboard: SecretClipboard,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            service, parent, name="notificationsPane", notice_name="notificationsNotice"
        )
        self._clipboard = clipboard
        self._permissions: Permissions = access.everything(None)
        # Removing one of all projects needs admin on all projects.
        self._everywhere_refusal: str | None = None

        description = description_label(self.tr(DESCRIPTION))
        self._add = action_button(self.tr(ADD), "addNotificationButton", self.add)
        self._remove = action_button(
            self.tr(REMOVE), "removeNotificationButton", self.request_remove
        )
        self._days = self._days_field()
        self._save = action_button(self.tr(SAVE), "saveWarningDaysButton", self.save_warning_days)
        self._save.setAccessibleName(self.tr("Save the warning days"))
        self._days_problem = hidden_label("warningDaysProblem")
        self._writes = WriteRunner(service, self, controls=[self._add, self._remove, self._save])
        self._writes.busy_changed.connect(self._update_buttons)

        self._model = NotificationsModel(self)
        self._table = self._notifications_table()
        empty = sentence_label(self.tr(EMPTY), "notificationsEmpty")
        self._stack = ListOrSentence(self._table, empty)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr(NOTIFICATIONS), "paneTitle"))
        layout.addWidget(description)
        layout.addWidget(self._notice)
        layout.addLayout(self._days_row())
        layout.addWidget(self._days_problem)
        layout.addLayout(button_row(self._add, self._remove))
        layout.addWidget(self._stack, 1)
        # Tab follows the reading order: the days and Save, then Add…, Remove…, the table.
        for first, second in (
            (self._days, self._save),
            (self._save, self._add),
            (self._add, self._remove),
            (self._remove, self._table),
        ):
            self.setTabOrder(first, second)
        self._update_buttons()

    def _days_field(self) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName("warningDaysField")
        field.setAccessibleName(self.tr("Days before expiry to warn"))
        field.setAccessibleDescription(
            self.tr("Whole days, separated by commas; empty for no expiry warnings.")
        )
        field.setPlaceholderText(self.tr("none"))
        field.setMaxLength(60)
        field.setMaximumWidth(field.fontMetrics().horizontalAdvance("30, 14, 7, 3, 1") + 40)
        field.textEdited.connect(lambda _: self._show_days_problem(""))
        field.returnPressed.connect(self.save_warning_days)
        return field

    def _days_row(self) -> QHBoxLayout:
        """ "Warn [30, 7, 1] days before a token expires [Save]" """
        warn = QLabel(self.tr("&Warn"))
        warn.setBuddy(self._days)
        after = QLabel(self.tr("days before a token expires"))
        row = QHBoxLayout()
        row.addWidget(warn)
        row.addWidget(self._days)
        row.addWidget(after)
        row.addWidget(self._save)
        row.addStretch(1)
        return row

    def _notifications_table(self) -> QTableView:
        table = record_table(
            self._model, "notificationsTable", self.tr(NOTIFICATIONS), self._update_buttons
        )
        header = table.horizontalHeader()
        # The short columns as wide as they need; the last delivery too, up to two fifths
        # of the table (_fit_columns); the address the width left. Their tooltips have
        # what is cut.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NotificationColumn.ADDRESS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NotificationColumn.LAST_DELIVERY, QHeaderView.ResizeMode.Fixed)
        table.installEventFilter(self)
        self._model.modelReset.connect(self._fit_columns)
        return table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._table and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        column = NotificationColumn.LAST_DELIVERY
        needed = max(
            self._table.sizeHintForColumn(column),
            self._table.horizontalHeader().sectionSizeFromContents(column).width(),
        )
        share = self._table.viewport().width() * 2 // 5
        self._table.horizontalHeader().resizeSection(column, min(needed, share))

    # What tests and the page reach for (and, from ProjectListPage, table(), model(),
    # notice() and is_busy())

    def notifications(self) -> list[NotificationRecord]:
        return self._model.records()

    def add_button(self) -> QPushButton:
        return self._add

    def remove_button(self) -> QPushButton:
        return self._remove

    def save_button(self) -> QPushButton:
        return self._save

    def warning_days_field(self) -> QLineEdit:
        return self._days

    def warning_days_problem(self) -> str:
        return self._days_problem.text() if self._days_problem.isVisibleTo(self) else ""

    def empty_state(self) -> QLabel | None:
        """The sentence shown instead of the table while there is nothing to list."""
        return self._stack.shown_sentence()

    # The project and this role's level on it

    def show_project(self, project_name: str, permissions: Permissions) -> None:
        """Show ``project_name``'s notifications. Raises the service's errors."""
        changed = project_name != self._project
        self._project = project_name
        self.set_permissions(permissions)
        self.refresh(days=True if changed else None)

    def set_permissions(self, permissions: Permissions) -> None:
        """Below admin: read-only, saying why; Add…, Remove… and Save disabled."""
        self._permissions = permissions
        self._refusal = permissions.refusal(access.ADMIN)
        self._say_why_read_only(
            permissions,
            self.tr("You are %1 here: only the project's admins add and remove "
                    "notifications and change the warning days."),
            no_member=self.tr("no member"),
            ask_admin=self.tr("Ask an admin: %1."),
        )  # fmt: skip
        self._days.setReadOnly(self._refusal is not None)
        self._days.setAccessibleDescription(self._refusal or self._days_hint())
        self._update_buttons()

    def refresh(self, *, days: bool | None = None) -> None:
        """Read the notifications (and, with ``days``, or when the field is not being
        edited, the warning days) again. Raises the service's errors."""
        if self._project is None:
            return
        selected = self._selected()
        self._read_everywhere()
        self._model.set_notifications(self._service.list_notifications(self._project))
        self._model.refresh_times()
        self._stack.show_listing(self._model.rowCount() > 0)
        if days or (days is None and not self._days.isModified()):
            self._show_days(self._service.warning_days(self._project))
        if selected is not None:
            self._select_row(self._model.row_of(selected.id))
        self._update_buttons()

    def _read_everywhere(self) -> None:
        """Whether this role may remove a notification of all projects (PostgreSQL)."""
        if not self._permissions.controlled:
            self._everywhere_refusal = None
            return
        everywhere = access.everywhere(self._service.whoami(), controlled=True)
        self._everywhere_refusal = everywhere.refusal(access.ADMIN)

    # Add

    def add(self) -> AddNotificationDialog | None:
        """Ask for a kind and an address; the dialog adds them."""
        project = self._project
        if project is None or self._refusal is not None or self.is_busy():
            return None
        dialog = AddNotificationDialog(
            project,
            lambda kind, address: self._service.add_notification(project, kind, address),
            self._service,
            self,
        )
        dialog.added.connect(self._added)
        dialog.open()
        return dialog

    def _added(self, record: NotificationRecord, secret: str | None) -> None:
        self._after_change(
            arg(self.tr("Added %1 %2."), kind_name(record.kind), record.address), record.id
        )
        if secret is not None:
            reveal = RevealSecretDialog(record, secret, self._clipboard, self)
            del secret  # the dialog holds it, and forgets it when closed
            reveal.open()

    # Remove

    def request_remove(self) -> None:
        """Ask (Cancel is the default), then remove the selected notification."""
        record = self._selected()
        project = self._project
        if record is None or project is None or self._removal_refusal(record) or self.is_busy():
            return
        messages.confirm_destructive(
            self,
            "confirmRemoveNotificationBox",
            self.tr("Remove notification"),
            arg(self.tr("Remove the %1 %2?"), kind_name(record.kind), record.address),
            self.tr(
                "Nothing more is sent there, and its delivery log goes with it. Add it "
                "again to hear of what happens from then on (a webhook gets a new secret)."
            ),
            (self.tr("Remove"), "removeButton"),
            lambda: self._remove_notification(record),
        )

    def _remove_notification(self, record: NotificationRecord) -> None:
        project = None if record.project is None else self._project
        self._writes.run(
            lambda: self._service.remove_notification(project, record.id),
            lambda removed: self._after_change(
                arg(self.tr("Removed %1 %2."), kind_name(removed.kind), removed.address)
            ),
            lambda error: self._failed(self.tr("Could not remove the notification"), error),
        )

    # Warning days

    def save_warning_days(self) -> None:
        """Store the days typed (empty: no expiry warnings); a mistake is said beside
        the field and nothing is written."""
        project = self._project
        if project is None or self._refusal is not None or self.is_busy():
            return
        text = self._days.text().strip() or thresholds.NONE

        def saved(days: tuple[int, ...]) -> None:
            if project == self._project:
                self._show_days(days)
            shown = ", ".join(map(str, days)) if days else self.tr("none")
            self.status_message.emit(arg(self.tr("Warning days of %1: %2."), project, shown))

        def refused(error: Exception) -> None:
            if isinstance(error, ValidationError):
                self._show_days_problem(messages.sentence(str(error)))
                self._days.setFocus()
            else:
                self._failed(self.tr("Could not save the warning days"), error)

        self._writes.run(
            lambda: self._service.set_warning_days(project, thresholds.parse_days(text)),
            saved,
            refused,
        )

    def _show_days(self, days: tuple[int, ...]) -> None:
        self._days.setText(", ".join(map(str, days)))
        self._days.setModified(False)
        self._show_days_problem("")

    def _show_days_problem(self, message: str) -> None:
        self._days_problem.setText(message)
        self._days_problem.setVisible(bool(message))
        self._days.setAccessibleDescription(message or self._refusal or self._days_hint())

    def _days_hint(self) -> str:
        return self.tr("Whole days, separated by commas; empty for no expiry warnings.")

    # After a write

    def _after_change(self, message: str, select: int | None = None) -> None:
        self.status_message.emit(message)
        try:
            self.refresh(days=False)
        except DeploymentTokensError as error:
            messages.show_error(self, self.tr("Could not read the notifications"), error)
            return
        if select is not None:
            self._select_row(self._model.row_of(select))

    def _failed(self, action: str, error: Exception) -> None:
        messages.show_error(self, action, error)
        with contextlib.suppress(DeploymentTokensError):
            self.refresh(days=False)  # the window's change check reports database trouble

    # Helpers

    def _selected(self) -> NotificationRecord | None:
        row = self._selected_row()
        return None if row is None else self._model.record(row)

    def _removal_refusal(self, record: NotificationRecord) -> str | None:
        if self._refusal is not None or record.project is not None:
            return self._refusal
        if self._everywhere_refusal is None:
            return None
        return arg(
            self.tr("This one is of all projects: %1 Or remove it on the command line "
                    "(notifications remove --all-projects %2)."),
            self._everywhere_refusal, record.id,
        )  # fmt: skip

    def _update_buttons(self, *_: object) -> None:
        if self._writes.shows_busy():
            return  # the runner gives them back when the write is done
        access.show_refusal(self._add, self._refusal)
        access.show_refusal(self._save, self._refusal)
        selected = self._selected()
        refusal = self._refusal if selected is None else self._removal_refusal(selected)
        access.show_refusal(self._remove, refusal)
        if refusal is None:
            self._remove.setEnabled(selected is not None)


def notifications_label() -> str:
    """The pane's name, in the user's language."""
    return QCoreApplication.translate("NotificationsPane", NOTIFICATIONS)
