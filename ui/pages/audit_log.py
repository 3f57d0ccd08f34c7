"""A project's Audit log: who generated, renamed and revoked which token, and when.

Verify checks the whole chain (every project's events: ``ui.widgets.audit_verdict``
says the answer, and the broken event's row is marked); Export… writes the project's
events to a file (``ui.dialogs.export_audit``); two filters show one action's events or
one person's; the selected event is shown whole below the table
(``ui.widgets.audit_details``). Verify, Export… and an event's hash read off the GUI
thread (``ui.background``): on a large log each takes seconds.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.audit_verify import Verdict
from app.errors import DeploymentTokensError
from app.records import AuditRecord, utc_now
from ui import access
from ui.audit_search import Located, hash_of, locate
from ui.background import WriteRunner
from ui.dialogs import messages
from ui.dialogs.export_audit import AuditExport
from ui.models.audit import DETAILS, NAME, AuditTableModel, action_name
from ui.pages.sections import AUDIT_LOG
from ui.resources import QT_TRANSLATE_NOOP
from ui.widgets.audit_details import AuditDetails
from ui.widgets.audit_verdict import VerdictBanner, broken_text
from ui.widgets.buttons import ActionButton
from ui.widgets.heading import heading
from ui.widgets.hint import HintLabel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

DESCRIPTION = QT_TRANSLATE_NOOP(
    "AuditPane",
    "Every deployment token generated, renamed, rotated or revoked in this project, "
    "including tokens revoked because they leaked, and every change to their expiry, "
    "environments and the token policy; newest first, with who did it. Entries cannot be "
    "edited or deleted.",
)
VERIFY = QT_TRANSLATE_NOOP("AuditPane", "&Verify")
VERIFY_TOOLTIP = QT_TRANSLATE_NOOP(
    "AuditPane",
    "Check the whole audit log, every project's events: that none was changed, removed, "
    "inserted or reordered since it was written",
)
EXPORT = QT_TRANSLATE_NOOP("AuditPane", "&Export…")
EXPORT_TOOLTIP = QT_TRANSLATE_NOOP(
    "AuditPane", "Save this project's events to a file: JSON Lines, or CSV for a spreadsheet"
)
ALL_ACTIONS = QT_TRANSLATE_NOOP("AuditPane", "All actions")
ALL_PEOPLE = QT_TRANSLATE_NOOP("AuditPane", "All people")
# Name is the one column of free text besides Details; past this it is elided (the whole
# name is in the Tokens pane), so Details keeps the rest of the width.
NAME_WIDTH = 150
EMPTY_STATE = QT_TRANSLATE_NOOP("AuditPane", "Nothing has happened in this project yet.")
NO_MATCH = QT_TRANSLATE_NOOP("AuditPane", "No event matches the filter.")
# Pages read beyond what the search for a broken event read, should it have moved down.
LOOK_FURTHER_PAGES = 3


class AuditPane(QWidget):
    """The Audit log pane of one project at a time: read-only, newest first."""

    status_message = Signal(str)

    def __init__(self, service: TokenService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditLogPane")
        self._service = service
        self._project: str | None = None
        self._model: AuditTableModel | None = None
        # Verify reads every project's events: on PostgreSQL it needs viewer on all.
        self._verify_refusal: str | None = None
        self._verifying = False
        # The event whose hash the details wait for (read one at a time).
        self._hash_wanted: AuditRecord | None = None

        description = QLabel(self.tr(DESCRIPTION))
        description.setObjectName("paneDescription")
        description.setWordWrap(True)
        self._verdict = VerdictBanner()
        self._table = self._audit_table()
        self._empty = HintLabel(self.tr(EMPTY_STATE))
        self._empty.setObjectName("emptyState")
        self._stack = QStackedWidget()
        self._stack.addWidget(self._empty)
        self._stack.addWidget(self._table)
        self._details = AuditDetails()
        toolbar = self._toolbar()
        # Verify and Export… read the whole log: one at a time, the filters waiting too.
        self._chain = WriteRunner(
            service,
            self,
            controls=[self._verify, self._export, self._action_filter, self._actor_filter],
        )
        self._chain.busy_changed.connect(self._chain_busy)
        self._exports = AuditExport(service, self._chain, self)
        self._exports.status_message.connect(self.status_message)
        self._hashes = WriteRunner(service, self._details)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("auditSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._stack)
        splitter.addWidget(self._details)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr(AUDIT_LOG), "paneTitle"))
        layout.addWidget(description)
        layout.addLayout(toolbar)
        layout.addWidget(self._verdict)
        layout.addWidget(splitter, 1)
        self._order_tabs()
        self._show_access()

    def _audit_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("auditTable")
        table.setAccessibleName(self.tr(AUDIT_LOG))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        return table

    def _toolbar(self) -> QHBoxLayout:
        """Verify and Export…, then the filters, right above the table they filter."""
        self._verify = ActionButton(self.tr(VERIFY))
        self._verify.setObjectName("verifyAuditButton")
        self._verify.clicked.connect(self.verify)
        self._export = ActionButton(self.tr(EXPORT))
        self._export.setObjectName("exportAuditButton")
        self._export.setToolTip(self.tr(EXPORT_TOOLTIP))
        self._export.clicked.connect(self.export)
        self._action_filter = self._filter_box("actionFilter", self.tr("Filter by action"))
        self._actor_filter = self._filter_box("actorFilter", self.tr("Filter by person"))
        row = QHBoxLayout()
        row.addWidget(self._verify)
        row.addWidget(self._export)
        row.addStretch(1)
        for text, box in (
            (self.tr("&Action:"), self._action_filter),
            (self.tr("&Person:"), self._actor_filter),
        ):
            label = QLabel(text)
            label.setBuddy(box)
            row.addWidget(label)
            row.addWidget(box)
        return row

    def _filter_box(self, name: str, accessible_name: str) -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        box.setAccessibleName(accessible_name)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        box.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        box.currentIndexChanged.connect(self._apply_filters)
        return box

    def _order_tabs(self) -> None:
        chain = [
            self._verify,
            self._export,
            self._action_filter,
            self._actor_filter,
            self._verdict.head_field(),
            self._verdict.copy_button(),
            self._table,
        ]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    # What tests and the page reach for

    def table(self) -> QTableView:
        return self._table

    def model(self) -> AuditTableModel | None:
        return self._model

    def empty_state(self) -> QLabel:
        return self._empty

    def verify_button(self) -> QPushButton:
        return self._verify

    def export_button(self) -> QPushButton:
        return self._export

    def action_filter(self) -> QComboBox:
        return self._action_filter

    def actor_filter(self) -> QComboBox:
        return self._actor_filter

    def verdict(self) -> VerdictBanner:
        return self._verdict

    def details(self) -> AuditDetails:
        return self._details

    def exports(self) -> AuditExport:
        return self._exports

    def is_busy(self) -> bool:
        """Whether a Verify or an export is still running."""
        return self._chain.is_busy()

    def verify_refusal(self) -> str | None:
        """Why this role may not verify the log (None: it may)."""
        return self._verify_refusal

    def selected_record(self) -> AuditRecord | None:
        index = self._table.currentIndex()
        if self._model is None or not index.isValid():
            return None
        return self._model.record(index.row())

    # The project

    def show_project(self, project_name: str) -> None:
        self._project = project_name
        model = AuditTableModel(self._service, project_name, parent=self)
        model.failed.connect(self._report)
        # page_read too: a filter that matches nothing reads an empty page, and inserts
        # no row to say so.
        for signal in (model.rowsInserted, model.modelReset, model.page_read):
            signal.connect(self._update_empty_state)
        model.modelReset.connect(self._show_selected)
        old = self._model
        self._model = model
        self._table.setModel(model)
        self._table.selectionModel().currentRowChanged.connect(self._show_selected)
        header = self._table.horizontalHeader()
        # Short columns fit their contents; Details, the longest text, takes the rest
        # (cut text is whole in its tooltip, and below the table when selected).
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DETAILS, QHeaderView.ResizeMode.Stretch)
        self._table.setColumnWidth(NAME, NAME_WIDTH)
        if old is not None:
            old.deleteLater()
        # The last answer was about where the project's events were: read Verify again.
        self._verdict.hide()
        self._choose_filters(None, None)
        try:
            self._read_access()
            self._fill_filters()
        except DeploymentTokensError:
            pass  # the table's own read says what is wrong with the database
        if model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        self._update_empty_state()
        self._show_selected()

    def refresh(self) -> None:
        """Show events other clients added, and what this role may now verify. Raises
        the service's errors."""
        if self._model is None:
            return
        self._read_access()
        self._fill_filters()
        selected = self.selected_record()
        if self._model.refresh() and selected is not None:
            row = self._model.row_of(selected.seq)
            if row is not None:
                self._table.selectRow(row)
        self._model.refresh_times()

    def _read_access(self) -> None:
        """Verify needs viewer on every project (PostgreSQL; SQLite has one user)."""
        service = self._service
        if service.storage.is_sqlite:
            everywhere = access.everything(None)
        else:
            everywhere = access.everywhere(service.whoami(), controlled=True)
        self._verify_refusal = everywhere.refusal(access.VIEWER)
        self._show_access()

    def _show_access(self) -> None:
        if not self._chain.shows_busy():
            access.show_refusal(self._verify, self._verify_refusal, self.tr(VERIFY_TOOLTIP))

    def _chain_busy(self, busy: bool) -> None:
        if busy and self._verifying:
            self._verdict.show_busy()
        if not busy:
            self._show_access()  # a level read meanwhile: the runner gave the button back

    # Filters

    def _fill_filters(self) -> None:
        """Offer the actions and the people of the project's log, keeping the choice."""
        if self._project is None:
            return
        actions, actors = self._service.audit_filters(self._project)
        named = sorted((action_name(action), action) for action in actions)
        _fill(self._action_filter, self.tr(ALL_ACTIONS), named)
        _fill(self._actor_filter, self.tr(ALL_PEOPLE), [(actor, actor) for actor in actors])

    def _apply_filters(self) -> None:
        if self._model is not None:
            self._model.set_filters(
                self._action_filter.currentData(), self._actor_filter.currentData()
            )

    def _choose_filters(self, action: str | None, actor: str | None) -> None:
        """Show ``action`` and ``actor`` chosen, without reading again."""
        for box, value in ((self._action_filter, action), (self._actor_filter, actor)):
            box.blockSignals(True)
            box.setCurrentIndex(max(box.findData(value), 0))
            box.blockSignals(False)

    def _update_empty_state(self) -> None:
        model = self._model
        empty = model is None or (model.rowCount() == 0 and not model.canFetchMore(QModelIndex()))
        self._stack.setCurrentWidget(self._empty if empty else self._table)
        self._details.setVisible(not empty)
        filtered = model is not None and model.is_filtered()
        self._empty.setText(self.tr(NO_MATCH if filtered else EMPTY_STATE))

    # Verify

    def verify(self) -> bool:
        """Check the whole chain off the GUI thread; then say so, or mark where it
        breaks. False, and nothing done, when refused or busy."""
        if (
            self._project is None
            or self._model is None
            or self._verify_refusal is not None
            or self._chain.is_busy()
        ):
            return False
        project, service = self._project, self._service
        action, actor = self._model.filters()

        def work() -> tuple[Verdict, Located | None]:
            verdict = service.verify_audit()
            if verdict.broken_at is None:
                return verdict, None
            try:
                return verdict, locate(service, project, verdict.broken_at, action, actor)
            except DeploymentTokensError:
                return verdict, None  # the verdict stands; where it breaks stays unsaid

        self._verifying = True
        return self._chain.run(
            work, lambda answer: self._verified(project, *answer), self._verify_failed
        )

    def _verified(self, project: str, verdict: Verdict, located: Located | None) -> None:
        self._verifying = False
        model = self._model
        if verdict.broken_at is None or model is None:
            if model is not None:
                model.set_broken(None)
            self._verdict.show_intact(verdict)
            return
        cleared = False
        if located is not None and project == self._project:
            cleared = (located.action, located.actor) != model.filters()
            self._choose_filters(located.action, located.actor)
            model.adopt(
                located.records,
                exhausted=located.exhausted,
                action=located.action,
                actor=located.actor,
            )
        model.set_broken(verdict.broken_at)
        row = self._broken_row(model, verdict.broken_at) if located is not None else None
        if row is not None:
            self._table.selectRow(row)
            self._table.scrollTo(model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        self._verdict.show_broken(
            broken_text(verdict, here=row is not None, filters_cleared=cleared and row is not None)
        )

    def _broken_row(self, model: AuditTableModel, seq: int) -> int | None:
        """The broken event's row, reading a few pages more if events pushed it down."""
        row = model.row_of(seq)
        for _ in range(LOOK_FURTHER_PAGES):
            if row is not None or not model.canFetchMore(QModelIndex()):
                break
            model.fetchMore(QModelIndex())
            row = model.row_of(seq)
        return row

    def _verify_failed(self, error: Exception) -> None:
        self._verifying = False
        self._verdict.hide()
        messages.show_error(self, self.tr("Could not verify the audit log"), error)

    # Export…

    def export(self) -> QFileDialog | None:
        """Ask where to, then write the project's events there off the GUI thread."""
        if self._project is None or self._chain.is_busy():
            return None
        return self._exports.ask(self._project)

    # The selected event, whole

    def _show_selected(self, *_: object) -> None:
        record = self.selected_record()
        self._details.show_event(record, utc_now())
        if record is not None:
            self._read_hash(record)

    def _read_hash(self, record: AuditRecord) -> None:
        """Read its hash off the GUI thread (an old event of a long log takes a while);
        one at a time, the latest wanted next."""
        self._hash_wanted = record
        project, service = self._project, self._service
        if project is None or self._hashes.is_busy():
            return
        self._hashes.run(
            lambda: hash_of(service, project, record),
            lambda digest: self._hash_read(record, digest),
            lambda _error: self._hash_read(record, None, failed=True),
        )

    def _hash_read(self, record: AuditRecord, digest: str | None, *, failed: bool = False) -> None:
        self._details.show_hash(record.seq, digest, failed=failed)
        wanted = self._hash_wanted
        if wanted is not None and wanted.seq != record.seq:
            self._read_hash(wanted)
        else:
            self._hash_wanted = None

    def _report(self, action: str, error: object) -> None:
        if isinstance(error, Exception):
            messages.show_error(self, action, error)


def _fill(box: QComboBox, everything: str, choices: list[tuple[str, str]]) -> None:
    """``everything`` (no filter), then each choice (shown, value); the value chosen
    stays chosen, even if it is no longer offered."""
    chosen = box.currentData()
    box.blockSignals(True)
    box.clear()
    box.addItem(everything, None)
    for shown, value in choices:
        box.addItem(shown, value)
    if chosen is not None and box.findData(chosen) < 0:
        box.addItem(chosen, chosen)
    box.setCurrentIndex(max(box.findData(chosen), 0))
    box.blockSignals(False)
