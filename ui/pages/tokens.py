"""Settings > Deployment Tokens: generate, list, rename, rotate and delete a project's
tokens. What the table asks of one token (rotate, delete, rename) is done by
``ui.widgets.token_row_actions``, deleting several at once by
``ui.widgets.token_bulk_delete``."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import tokens
from app.errors import ConfigurationError, DeploymentTokensError, NotFoundError
from app.records import TokenRecord
from ui import access
from ui.access import Permissions
from ui.background import WriteRunner
from ui.clipboard import SecretClipboard
from ui.dialogs import messages
from ui.models.tokens import Column, TokenTableModel
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import counted
from ui.widgets.banner import WarningBanner
from ui.widgets.buttons import ActionButton
from ui.widgets.heading import heading
from ui.widgets.hint import HintLabel
from ui.widgets.token_bulk_delete import BulkDelete
from ui.widgets.token_count import TokenCount
from ui.widgets.token_filter import HideExchangedCheck, filter_box, searched_text
from ui.widgets.token_options import TokenOptions
from ui.widgets.token_row_actions import TokenRowActions
from ui.widgets.token_table import TokenTableView

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService
    from ui.dialogs.report_leak import ReportLeakDialog

log = logging.getLogger(__name__)

GENERATE = QT_TRANSLATE_NOOP("TokensPane", "Generate deployment token")
REPORT_LEAK = QT_TRANSLATE_NOOP("TokensPane", "Report a leaked token…")
DESCRIPTION = QT_TRANSLATE_NOOP(
    "TokensPane",
    "A deployment token is a project-scoped credential that lets external workflows, such "
    "as CLI tools and CI/CD pipelines, trigger deployments without a browser session. "
    "Each token is shown once, when it is generated; afterwards only its masked preview "
    "is kept.",
)
EMPTY_STATE = QT_TRANSLATE_NOOP(
    "TokensPane",
    "This project has no deployment tokens yet.\n"
    "Click Generate deployment token to create one for a pipeline or CLI tool.",
)
NO_MATCH = QT_TRANSLATE_NOOP("TokensPane", "No token matches the filter.")
# Under a banner saying generating fails, "Click Generate" would be bad advice.
# A viewer cannot click Generate.
EMPTY_STATE_READ_ONLY = QT_TRANSLATE_NOOP(
    "TokensPane",
    "This project has no deployment tokens yet.\nA manager or admin of the project generates them.",
)
EMPTY_STATE_WITHOUT_SALT = QT_TRANSLATE_NOOP(
    "TokensPane",
    "This project has no deployment tokens yet.\n"
    "Once the token salt is set (see above), generate one here for a pipeline or CLI tool.",
)
# Relative times ("just now") are repainted this often.
TIME_REFRESH_MS = 60_000


class TokensPane(QWidget):
    """The Deployment Tokens settings pane of one project at a time."""

    status_message = Signal(str)

    def __init__(
        self, service: TokenService, clipboard: SecretClipboard, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("deploymentTokensPane")
        self._service = service
        self._clipboard = clipboard
        self._project: str | None = None
        self._model: TokenTableModel | None = None
        self._salt_problem: str | None = None
        # Generating, rotating, renaming and deleting tokens need manager on the project.
        self._write_refusal: str | None = None

        self._banner = WarningBanner()
        self._generate_button = ActionButton(self.tr(GENERATE))
        self._generate_button.setObjectName("generateButton")
        self._generate_button.setShortcut(QKeySequence("Ctrl+G"))
        self._generate_button.setToolTip(self.tr("Generate deployment token (Ctrl+G)"))
        self._generate_button.clicked.connect(self.generate)
        self._options = TokenOptions()
        # Every write (generate, rotate, rename, delete) runs here, one at a time.
        self._writes = WriteRunner(service, self, controls=[self._generate_button])
        # A level that changed during a slow write: the runner gives its controls back.
        self._writes.busy_changed.connect(self._write_busy)

        self._table = TokenTableView()
        self._table.delete_requested.connect(self.request_delete)
        self._table.delete_many_requested.connect(self.request_delete_many)
        self._table.rotate_requested.connect(self.request_rotate)
        self._empty = HintLabel(self.tr(EMPTY_STATE))
        self._empty.setObjectName("emptyState")
        self._stack = QStackedWidget()
        self._stack.addWidget(self._empty)
        self._stack.addWidget(self._table)
        self._filter, self._filter_delay = filter_box(self, self._apply_filter)
        self._count = TokenCount()
        self._hide_exchanged = HideExchangedCheck(self._show_exchanged)
        # What the table asks of one token, and of several; each writes through the runner.
        self._row_actions = TokenRowActions(service, self._table, self._writes, self, self)
        self._row_actions.status_message.connect(self.status_message)
        self._bulk = BulkDelete(service, self._table, self._writes, self._reconnect_and, self)
        self._bulk.delete_requested.connect(self.request_delete_many)
        self._bulk.status_message.connect(self.status_message)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Deployment Tokens"), "paneTitle"))
        description = QLabel(self.tr(DESCRIPTION))
        description.setObjectName("paneDescription")
        description.setWordWrap(True)
        layout.addWidget(description)
        layout.addWidget(self._banner)
        layout.addLayout(self._actions())
        layout.addWidget(self._stack, 1)

        self._time_refresh = QTimer(self)
        self._time_refresh.setInterval(TIME_REFRESH_MS)
        self._time_refresh.timeout.connect(self._refresh_times)
        self._time_refresh.start()

    def _actions(self) -> QVBoxLayout:
        """The choices above the button they apply to, as GitHub and GitLab lay them out
        (on one line with it they would not fit a narrow window), then the filter."""
        actions = QVBoxLayout()
        actions.addWidget(self._options)
        self._report_leak_button = ActionButton(self.tr(REPORT_LEAK))
        self._report_leak_button.setObjectName("reportLeakButton")
        self._report_leak_button.setToolTip(
            self.tr("Paste the text a token was seen in, and revoke the tokens found in it")
        )
        self._report_leak_button.clicked.connect(self.report_leak)
        button_row = QHBoxLayout()
        button_row.addWidget(self._generate_button)
        button_row.addStretch(1)
        button_row.addWidget(self._report_leak_button)
        actions.addLayout(button_row)
        actions.addWidget(self._filter)  # right above the table it filters
        count_row = QHBoxLayout()
        count_row.addWidget(self._count, 1)
        count_row.addWidget(self._hide_exchanged)
        count_row.addWidget(self._bulk.delete_selected_button())
        count_row.addWidget(self._bulk.select_expired_button())
        actions.addLayout(count_row)
        return actions

    def report_leak(self) -> ReportLeakDialog:
        """Find the tokens in pasted text and revoke them (any project's), then reload."""
        from ui.dialogs.report_leak import open_report_leak

        def revoked(count: int) -> None:
            said = self.tr("Revoked %n leaked token(s).", "", count)
            self.status_message.emit(counted(said, count))
            self.refresh()

        return open_report_leak(self, self._service, revoked)

    # What tests and the page reach for

    def table(self) -> TokenTableView:
        return self._table

    def model(self) -> TokenTableModel | None:
        return self._model

    def project_name(self) -> str | None:
        """The project whose tokens are shown (None before the first)."""
        return self._project

    def generate_button(self) -> QPushButton:
        return self._generate_button

    def options(self) -> TokenOptions:
        return self._options

    def select_expired_button(self) -> QPushButton:
        return self._bulk.select_expired_button()

    def delete_selected_button(self) -> QPushButton:
        return self._bulk.delete_selected_button()

    def report_leak_button(self) -> QPushButton:
        return self._report_leak_button

    def set_permissions(self, permissions: Permissions) -> None:
        """What this role may do with the project's tokens: below manager, Generate and
        its options, Rotate, the trash icons, renaming and the bulk delete stay visible,
        disabled, saying which level they need and whom to ask."""
        self._write_refusal = permissions.refusal(access.MANAGER)
        self._show_access()

    def write_refusal(self) -> str | None:
        """Why this role may not change the tokens (None: it may)."""
        return self._write_refusal

    def _show_access(self) -> None:
        refusal = self._write_refusal
        if not self._writes.shows_busy():
            access.show_refusal(
                self._generate_button, refusal, self.tr("Generate deployment token (Ctrl+G)")
            )
        self._options.setEnabled(refusal is None)
        self._options.setToolTip(refusal or "")
        self._options.setAccessibleDescription(refusal or "")
        access.show_refusal(self._bulk.delete_selected_button(), refusal)
        self._table.set_write_refusal(refusal)
        if self._model is not None:
            self._model.set_editable(refusal is None)
        self._update_empty_state()

    def _write_busy(self, busy: bool) -> None:
        if not busy:
            self._show_access()

    def refused(self) -> bool:
        """Say why in the status bar when this role may not change the tokens (a key
        pressed, a cell clicked: the buttons themselves are disabled)."""
        if self._write_refusal is not None:
            self.status_message.emit(self._write_refusal)
            return True
        return False

    def remember_columns_in(self, settings: QSettings | None) -> None:
        """Keep the table's column choices, and Hide exchanged tokens, in ``settings``
        (the window's)."""
        self._table.set_settings(settings)
        self._hide_exchanged.remember_in(settings)

    def hide_exchanged_check(self) -> QCheckBox:
        return self._hide_exchanged

    def _show_exchanged(self, hide: bool) -> None:
        if self._model is not None:
            self._model.set_hide_exchanged(hide)

    def banner(self) -> WarningBanner:
        return self._banner

    def empty_state(self) -> QLabel:
        return self._empty

    def show_project(self, project_name: str) -> None:
        """Show ``project_name``'s tokens, loading the first page only."""
        self._project = project_name
        model = TokenTableModel(self._service, project_name, parent=self)
        model.set_editable(self._write_refusal is None)
        model.set_hide_exchanged(self._hide_exchanged.isChecked())
        model.failed.connect(self.report)
        model.rename_requested.connect(self.rename)
        # page_read too: a filter that matches nothing reads an empty page, and inserts
        # no row to say so ("No token matches" would wait for the next refresh).
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.page_read):
            signal.connect(self._update_empty_state)
        old = self._model
        self._model = model
        self._table.setModel(model)
        self._table.setSortingEnabled(False)
        self._table.horizontalHeader().setSortIndicator(model.sort_column(), model.sort_qt_order())
        # After the indicator matches the model's order, so enabling does not re-sort.
        self._table.setSortingEnabled(True)
        if old is not None:
            old.deleteLater()
        self._bulk.show_project(project_name, model)
        self._count.watch(model)
        model.fetchMore(QModelIndex())  # the first page
        self._update_empty_state()
        self.update_banner()
        self.reload_choices()

    def reload_choices(self) -> None:
        """Offer the project's current policy and environments beside Generate."""
        if self._project is None:
            return
        try:
            policy = self._service.token_policy(self._project)
            environments = [e.name for e in self._service.list_environments(self._project)]
            self._row_actions.load_destinations(self._project)  # Send to's and Rotate's
        except DeploymentTokensError as error:
            self.report(self.tr("Could not read the project's token settings"), error)
            return
        self._options.set_choices(policy, environments)
        if self._model is not None:
            names = {d.id: d.name for d in self._row_actions.destinations()}
            self._model.set_destination_names(names)

    def refresh(self) -> None:
        """Show what other clients changed, keeping the selection and scroll position.

        Raises the service's errors; a rename being typed is never interrupted.
        """
        if self._model is None or self._table.state() == QAbstractItemView.State.EditingState:
            return
        selected = self._table.current_token_id()
        selected_row = self._table.currentIndex().row()
        scrolled = self._table.verticalScrollBar().value()
        if self._model.refresh():
            row = None if selected is None else self._model.row_of(selected)
            if row is None and selected is not None and self._model.rowCount() > 0:
                # It was revoked (here, its answer still on the way, or elsewhere): the
                # row that took its place, so that Delete and the Menu key still work.
                row = min(selected_row, self._model.rowCount() - 1)
            if row is not None:
                self._table.selectRow(row)
            self._table.verticalScrollBar().setValue(scrolled)
        self.update_banner()

    def update_banner(self) -> None:
        problem = self._service.salt_problem()
        self._salt_problem = problem
        self._banner.show_warning(
            None
            if problem is None
            else self.tr(
                "%1 Generating tokens fails until it is fixed and the app is restarted."
            ).replace("%1", messages.sentence(problem))
        )
        self._update_empty_state()

    # Generate

    def generate(self) -> None:
        """Store a new token off the GUI thread, then reveal it (or say why not)."""
        if self._project is None or self._model is None or self.refused():
            return
        project = self._project
        name = self._options.name()
        expiry = self._options.expiry()
        environments = self._options.environments()
        self._writes.run(
            lambda: self._service.generate(project, name, expiry=expiry, environments=environments),
            self._generated,
            self._generate_failed,
        )

    def _generate_failed(self, error: Exception) -> None:
        if isinstance(error, ConfigurationError):
            self.update_banner()
            messages.show_configuration_error(self, str(error))
        else:
            self.report(
                self.tr("Could not generate a deployment token"), error, retry=self.generate
            )

    def _generated(self, result: tuple[TokenRecord, str]) -> None:
        record, plaintext = result
        del result
        self._options.clear_name()
        # The expiry and environments go back to the project's defaults too: a release
        # manager who chose "production only, 7 days" for one token does not expect the
        # next Generate (Ctrl+G, or the spec's one click) to silently do the same. The
        # reveal dialog repeats what this token got.
        self._options.reset_choices()
        # Only now, after the commit, does anyone see the plaintext. If the user moved to
        # another project meanwhile, the token is still revealed (it is shown only once);
        # its row appears when that project is opened again.
        if self._model is not None and record.project == self._project:
            if self._model.search or self._filter.text().strip():
                # The new token must be in view, filter (or one being typed) or not.
                self._filter.clear()
                self._filter_delay.stop()
                self._model.set_search("")
            if self._model.is_newest_first():
                self._model.add(record)
            else:
                # Back to newest first (re-read), so the new token is the top row, in view.
                self._table.sortByColumn(Column.CREATED, Qt.SortOrder.DescendingOrder)
            self._table.selectRow(0)
            self._table.scrollToTop()
        self.reveal(record, plaintext)
        del plaintext
        self.status_message.emit(
            self.tr("Generated deployment token %1.").replace("%1", record.preview)
        )

    def reveal(self, record: TokenRecord, plaintext: str) -> None:
        """Show a token just generated or rotated: the one place its plaintext is shown."""
        # With Send to for the project's destinations, which the row actions hold.
        dialog = self._row_actions.reveal_dialog(record, plaintext, self._clipboard)
        del plaintext
        dialog.copied.connect(self.status_message)
        dialog.discard_requested.connect(self._row_actions.discard)
        dialog.finished.connect(lambda _result: self._table.setFocus())
        dialog.open()

    # Rotate, delete and rename one token (ui.widgets.token_row_actions)

    def request_rotate(self, token_id: int) -> None:
        self._row_actions.request_rotate(token_id)

    def request_delete(self, token_id: int) -> None:
        self._row_actions.request_delete(token_id)

    def rename(self, token_id: int, name: str) -> None:
        """Store the name typed in place; the row shows it once stored."""
        self._row_actions.rename(token_id, name)

    # Delete several (the clean-up of expired tokens: ui.widgets.token_bulk_delete)

    def select_expired(self) -> int:
        """Select the expired tokens (sorted to the top); say how many."""
        return self._bulk.select_expired()

    def request_delete_many(self, token_ids: list[int]) -> None:
        """Ask once, listing them, then revoke the tokens one by one (Cancel: nothing)."""
        if self.refused() or self.is_busy() or self._model is None:
            return
        rows = [row for token_id in token_ids if (row := self._model.row_of(token_id)) is not None]
        if len(rows) == 1:
            self.request_delete(self._model.record(rows[0]).id)  # the spec's confirmation
            return
        if not rows:
            return
        self._bulk.confirm([self._model.record(row) for row in rows])

    # Helpers

    def is_busy(self) -> bool:
        """Whether a write (generate, rotate, rename, delete) is still running."""
        return self._writes.is_busy()

    def writes(self) -> WriteRunner:
        return self._writes

    def report(self, action: str, error: object, retry: Callable[[], None] | None = None) -> None:
        """Say that ``action`` failed and why; ``retry`` (for a database error) is offered
        as Retry, after a fresh connection."""
        if not isinstance(error, Exception):
            return
        if not isinstance(error, ConfigurationError | NotFoundError):
            log.warning("%s: %s", action, tokens.redact(str(error)))
        again = None if retry is None else lambda: self._reconnect_and(action, retry)
        messages.show_error(self, action, error, retry=again)

    def _reconnect_and(self, action: str, operation: Callable[[], None]) -> None:
        """Retry: a fresh connection first (the old one may have died with the server)."""
        try:
            self._service.reconnect()
        except DeploymentTokensError as error:
            self.report(action, error, retry=operation)
            return
        operation()

    def _update_empty_state(self) -> None:
        empty = self._model is None or (
            self._model.rowCount() == 0 and not self._model.canFetchMore(QModelIndex())
        )
        self._stack.setCurrentWidget(self._empty if empty else self._table)
        self._bulk.select_expired_button().setVisible(not empty)
        if self._model is not None and self._model.search:
            self._empty.setText(self.tr(NO_MATCH))
        elif self._write_refusal is not None:
            self._empty.setText(self.tr(EMPTY_STATE_READ_ONLY))
        else:
            self._empty.setText(
                self.tr(EMPTY_STATE if self._salt_problem is None else EMPTY_STATE_WITHOUT_SALT)
            )

    def _apply_filter(self) -> None:
        self._filter_delay.stop()
        if self._model is None:
            return
        self._model.set_search(searched_text(self._filter))

    def filter_box(self) -> QLineEdit:
        return self._filter

    def _refresh_times(self) -> None:
        if self._model is not None and self.isVisible():
            self._model.refresh_times()
