"""A project's Destinations: where its tokens are pushed (OpenBao/Vault, GitHub Actions
secrets, GitLab CI/CD variables), each with where it is in words and its last push or
Test. Add destination… and Remove… for the project's admins; Test (a harmless marker
written and read back, never a token) for its managers; below that the pane is
read-only, saying why. A banner names each credential variable missing from this app's
environment, since a push without it fails."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeploymentTokensError
from app.records import DestinationRecord
from ui import access
from ui.access import Permissions
from ui.background import WriteRunner
from ui.dialogs import messages
from ui.dialogs.add_destination import AddDestinationDialog
from ui.models.destinations import (
    DestinationColumn,
    DestinationsModel,
    last_push_text,
    where_in_words,
)
from ui.pages.list_page import (
    ListOrSentence,
    ProjectListPage,
    action_button,
    button_row,
    description_label,
    sentence_label,
)
from ui.pages.sections import DESTINATIONS
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg
from ui.widgets.banner import WarningBanner
from ui.widgets.error_text import error_colour
from ui.widgets.heading import heading
from ui.widgets.record_table import record_table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.destinations.targets import Receipt, Target
    from app.service import TokenService

ADD = QT_TRANSLATE_NOOP("DestinationsPane", "&Add destination…")
TEST = QT_TRANSLATE_NOOP("DestinationsPane", "&Test")
REMOVE = QT_TRANSLATE_NOOP("DestinationsPane", "&Remove…")
DESCRIPTION = QT_TRANSLATE_NOOP(
    "DestinationsPane",
    "Where this project's tokens are pushed, so they never pass through the clipboard: "
    "Send to in the reveal dialog, Rotate with a destination, and tokens generate --push. "
    "Credentials are never stored: each push reads them from this app's environment.",
)
EMPTY = QT_TRANSLATE_NOOP(
    "DestinationsPane",
    "This project has no destinations yet. Add an OpenBao/Vault secret, a GitHub Actions "
    "secret or a GitLab CI/CD variable: new and rotated tokens can then be pushed there "
    "directly (see “Destinations” in the user guide).",
)


class DestinationsPane(ProjectListPage[DestinationsModel]):
    """Lists, adds, tests and removes one project's destinations."""

    status_message = Signal(str)
    # The project's destinations changed (the tokens pane offers them).
    changed = Signal()

    def __init__(
        self,
        service: TokenService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(service, parent, name="destinationsPane", notice_name="destinationsNotice")
        # Adding and removing need admin (ProjectListPage's _refusal); testing, manager.
        self._test_refusal: str | None = None

        description = description_label(self.tr(DESCRIPTION))
        self._banner = WarningBanner()
        self._banner.setObjectName("missingCredentialsBanner")
        self._banner.setAccessibleName(self.tr("Missing credentials"))
        self._add = action_button(self.tr(ADD), "addDestinationButton", self.add)
        self._test = action_button(self.tr(TEST), "testDestinationButton", self.test)
        self._test.setToolTip(self.tr("Write a harmless marker there and read it back"))
        self._remove = action_button(
            self.tr(REMOVE), "removeDestinationButton", self.request_remove
        )
        self._writes = WriteRunner(service, self, controls=[self._add, self._test, self._remove])
        self._writes.busy_changed.connect(self._update_buttons)
        self._busy = self._busy_bar()
        self._result = QLabel()
        self._result.setObjectName("testResult")
        self._result.setWordWrap(True)
        self._result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._result.hide()

        self._model = DestinationsModel(self)
        self._table = self._destinations_table()
        empty = sentence_label(self.tr(EMPTY), "destinationsEmpty")
        self._stack = ListOrSentence(self._table, empty)
        self._lay_out(description)
        self._update_buttons()

    def _lay_out(self, description: QLabel) -> None:
        buttons = button_row(self._add, self._test, self._remove, self._busy)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr(DESTINATIONS), "paneTitle"))
        layout.addWidget(description)
        layout.addWidget(self._notice)
        layout.addWidget(self._banner)
        layout.addLayout(buttons)
        layout.addWidget(self._result)
        layout.addWidget(self._stack, 1)
        # Tab follows the reading order: Add…, Test, Remove…, the table.
        self.setTabOrder(self._add, self._test)
        self.setTabOrder(self._test, self._remove)
        self.setTabOrder(self._remove, self._table)

    def _busy_bar(self) -> QProgressBar:
        """Turns while a Test waits for the destination (up to about 10 s)."""
        bar = QProgressBar()
        bar.setObjectName("testBusy")
        bar.setRange(0, 0)
        bar.setMaximumWidth(120)
        bar.setTextVisible(False)
        bar.setAccessibleName(self.tr("Testing the destination"))
        bar.hide()
        return bar

    def _destinations_table(self) -> QTableView:
        table = record_table(
            self._model, "destinationsTable", self.tr(DESTINATIONS), self._update_buttons, wrap=True
        )
        header = table.horizontalHeader()
        # The name and the last push as wide as they need, where it is the width left.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DestinationColumn.WHERE, QHeaderView.ResizeMode.Stretch)
        return table

    # What tests and the page reach for (and, from ProjectListPage, table(), model(),
    # notice() and is_busy())

    def destinations(self) -> list[DestinationRecord]:
        return self._model.records()

    def add_button(self) -> QPushButton:
        return self._add

    def test_button(self) -> QPushButton:
        return self._test

    def remove_button(self) -> QPushButton:
        return self._remove

    def banner(self) -> WarningBanner:
        return self._banner

    def test_result(self) -> str:
        return self._result.text() if self._result.isVisibleTo(self) else ""

    def test_result_detail(self) -> str:
        """The service's own account of the last Test (the result's tooltip)."""
        return self._result.toolTip() if self._result.isVisibleTo(self) else ""

    def busy_indicator(self) -> QProgressBar:
        return self._busy

    def empty_state(self) -> QLabel | None:
        """The sentence shown instead of the table while there is nothing to list."""
        return self._stack.shown_sentence()

    def select(self, name: str) -> None:
        for row, record in enumerate(self._model.records()):
            if record.name == name:
                self._table.selectRow(row)

    # The project and this role's level on it

    def show_project(self, project_name: str, permissions: Permissions) -> None:
        """Show ``project_name``'s destinations. Raises the service's errors."""
        if project_name != self._project:
            self._result.hide()
        super().show_project(project_name, permissions)

    def set_permissions(self, permissions: Permissions) -> None:
        """Below admin no Add… nor Remove…, below manager no Test, each saying why."""
        self._refusal = permissions.refusal(access.ADMIN)
        self._test_refusal = permissions.refusal(access.MANAGER)
        self._say_why_read_only(
            permissions,
            self.tr("You are %1 here: only the project's admins add and remove "
                    "destinations, and its managers test them."),
            no_member=self.tr("no member"),
            ask_admin=self.tr("Ask an admin: %1."),
        )  # fmt: skip
        self._update_buttons()

    def refresh(self) -> None:
        """Read the destinations again. Raises the service's errors."""
        if self._project is None:
            return
        selected = self._selected()
        self._model.set_destinations(self._service.list_destinations(self._project))
        self._model.refresh_times()
        self._stack.show_listing(self._model.rowCount() > 0)
        missing = [
            arg(self.tr("%1: %2."), record.name, said)
            for record in self._model.records()
            if (said := self._model.missing(record)) is not None
        ]
        self._banner.show_warning("\n".join(missing) or None)
        if selected is not None:
            self._select_row(self._model.row_of(selected.id))
        self._update_buttons()

    # Add

    def add(self) -> AddDestinationDialog | None:
        """Ask for a destination; the dialog adds it."""
        project = self._project
        if project is None or self._refusal is not None or self.is_busy():
            return None

        def submit(name: str, target: Target) -> DestinationRecord:
            return self._service.add_destination(project, name, target)

        dialog = AddDestinationDialog(project, submit, self._service, self)
        dialog.added.connect(self._added)
        dialog.open()
        return dialog

    def _added(self, record: DestinationRecord) -> None:
        self._after_change(arg(self.tr("Added the destination %1."), record.name), record.id)

    # Test

    def test(self) -> None:
        """Write a harmless marker there and read it back, off the GUI thread."""
        record = self._selected()
        project = self._project
        if record is None or project is None or self._test_refusal is not None:
            return
        if self.is_busy():
            return
        self._busy.show()
        self._show_result(arg(self.tr("Testing %1…"), record.name), failed=False)
        self._writes.run(
            lambda: self._service.check_destination(project, record.name),
            lambda receipt: self._tested(record, receipt),
            lambda error: self._test_failed(record, error),
        )

    def _tested(self, record: DestinationRecord, receipt: Receipt) -> None:
        self._busy.hide()
        said = arg(self.tr("%1 works: a test value was written there and read back."), record.name)
        self._show_result(said, failed=False)
        # The service's own account of it (which marker, which test secret).
        self._result.setToolTip(receipt.confirmed)
        self._after_change(said, record.id)

    def _test_failed(self, record: DestinationRecord, error: Exception) -> None:
        self._busy.hide()
        if not isinstance(error, DeploymentTokensError):
            raise error  # a bug: the app's handler of unexpected errors reports it
        said = arg(self.tr("Test of %1 failed: %2"), record.name, messages.sentence(str(error)))
        self._show_result(said, failed=True)
        self.status_message.emit(said)
        with contextlib.suppress(DeploymentTokensError):
            self.refresh()  # the failure is kept as its last push

    def _show_result(self, text: str, *, failed: bool) -> None:
        # Red only for a failure; otherwise the window's own text colour.
        self._result.setStyleSheet(f"color: {error_colour(self.palette())};" if failed else "")
        self._result.setText(text)
        self._result.setAccessibleName(text)
        self._result.setToolTip("")
        self._result.show()

    # Remove

    def request_remove(self) -> None:
        """Ask (Cancel is the default), then remove the selected destination."""
        record = self._selected()
        project = self._project
        if record is None or project is None or self._refusal is not None or self.is_busy():
            return
        messages.confirm_destructive(
            self,
            "confirmRemoveDestinationBox",
            self.tr("Remove destination"),
            arg(self.tr("Remove the destination %1 (%2)?"), record.name, where_in_words(record)),
            arg(self.tr("Last push: %1."), last_push_text(record, self._service.now()))
            + "\n\n"
            + self.tr(
                "Nothing more is pushed there: Send to and Rotate no longer offer it. What "
                "was pushed stays there, and the tokens stay valid until you delete them."
            ),
            (QCoreApplication.translate("Messages", messages.DELETE), "deleteButton"),
            lambda: self._remove_destination(project, record),
        )

    def _remove_destination(self, project: str, record: DestinationRecord) -> None:
        self._writes.run(
            lambda: self._service.remove_destination(project, record.name),
            lambda removed: self._after_change(
                arg(self.tr("Removed the destination %1."), removed.name)
            ),
            lambda error: self._failed(self.tr("Could not remove the destination"), error),
        )

    # After a write

    def _after_change(self, message: str, select: int | None = None) -> None:
        self.status_message.emit(message)
        self.changed.emit()
        try:
            self.refresh()
        except DeploymentTokensError as error:
            messages.show_error(self, self.tr("Could not read the destinations"), error)
            return
        if select is not None:
            self._select_row(self._model.row_of(select))

    def _failed(self, action: str, error: Exception) -> None:
        messages.show_error(self, action, error)
        with contextlib.suppress(DeploymentTokensError):
            self.refresh()  # the window's change check reports database trouble

    # Helpers

    def _selected(self) -> DestinationRecord | None:
        row = self._selected_row()
        return None if row is None else self._model.record(row)

    def _update_buttons(self, *_: object) -> None:
        if self._writes.shows_busy():
            return  # the runner gives them back when the write is done
        chosen = self._selected() is not None
        access.show_refusal(self._add, self._refusal)
        access.show_refusal(self._remove, self._refusal)
        access.show_refusal(
            self._test,
            self._test_refusal,
            self.tr("Write a harmless marker there and read it back"),
        )
        self._remove.setEnabled(self._refusal is None and chosen)
        self._test.setEnabled(self._test_refusal is None and chosen)


def destinations_label() -> str:
    """The pane's name, in the user's language."""
    return QCoreApplication.translate("DestinationsPane", DESTINATIONS)
