"""A project's Audit log: who generated, renamed and revoked which token, and when."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.records import AuditRecord, utc_now
from ui import messages
from ui.paged_model import AnyIndex, PagedTableModel
from ui.relative_time import exact, relative
from ui.widgets import heading

AUDIT_LOG = "Audit log"
PAGE_SIZE = 200
HEADERS = ("When", "Action", "Token", "By")
WHEN, ACTION, TOKEN, BY = range(len(HEADERS))
ACTIONS = {"generated": "Generated", "revoked": "Revoked", "renamed": "Renamed"}
DESCRIPTION = (
    "Every deployment token generated, renamed or revoked in this project, newest first, "
    "with who did it. Entries cannot be edited or deleted."
)
EMPTY_STATE = "Nothing has happened in this project yet."


class AuditSource(Protocol):
    def audit_log(
        self, project_name: str, *, offset: int = ..., limit: int | None = ...
    ) -> list[AuditRecord]: ...


class AuditTableModel(PagedTableModel[AuditRecord]):
    """One project's audit events, newest first, read a page at a time."""

    LOAD_FAILED = "Could not load the audit log"

    def __init__(
        self,
        source: AuditSource,
        project_name: str,
        *,
        page_size: int = PAGE_SIZE,
        clock: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(page_size, parent)
        self._source = source
        self._project = project_name
        self._clock = clock
        self._monospace = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        event = self._records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == WHEN:
                return relative(event.occurred_at, self._clock())
            if column == ACTION:
                return ACTIONS.get(event.action, event.action)
            if column == TOKEN:
                return event.token_preview
            if column == BY:
                return event.actor
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == WHEN:
                return exact(event.occurred_at)
            if column == TOKEN:
                return f"Token id {event.token_id}"
        if role == Qt.ItemDataRole.FontRole and column == TOKEN:
            return self._monospace
        return None

    def _read(self, offset: int, limit: int) -> list[AuditRecord]:
        return self._source.audit_log(self._project, offset=offset, limit=limit)

    def refresh_times(self) -> None:
        if self._records:
            self.dataChanged.emit(
                self.index(0, WHEN),
                self.index(len(self._records) - 1, WHEN),
                [Qt.ItemDataRole.DisplayRole],
            )


class AuditPane(QWidget):
    """The Audit log pane of one project at a time: read-only, newest first."""

    def __init__(self, service: AuditSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditLogPane")
        self._service = service
        self._model: AuditTableModel | None = None

        description = QLabel(DESCRIPTION)
        description.setWordWrap(True)

        self._table = QTableView()
        self._table.setObjectName("auditTable")
        self._table.setAccessibleName(AUDIT_LOG)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setAlternatingRowColors(True)
        self._table.setWordWrap(False)
        self._table.verticalHeader().setVisible(False)

        self._empty = QLabel(EMPTY_STATE)
        self._empty.setObjectName("emptyState")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setEnabled(False)

        self._stack = QStackedWidget()
        self._stack.addWidget(self._empty)
        self._stack.addWidget(self._table)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(AUDIT_LOG, "paneTitle"))
        layout.addWidget(description)
        layout.addWidget(self._stack, 1)

    def table(self) -> QTableView:
        return self._table

    def model(self) -> AuditTableModel | None:
        return self._model

    def empty_state(self) -> QLabel:
        return self._empty

    def show_project(self, project_name: str) -> None:
        model = AuditTableModel(self._service, project_name, parent=self)
        model.failed.connect(self._report)
        for signal in (model.rowsInserted, model.modelReset):
            signal.connect(self._update_empty_state)
        old = self._model
        self._model = model
        self._table.setModel(model)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((WHEN, 160), (ACTION, 110), (TOKEN, 150)):
            self._table.setColumnWidth(column, width)
        if old is not None:
            old.deleteLater()
        if model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        self._update_empty_state()

    def refresh(self) -> None:
        """Show events other clients added. Raises the service's errors."""
        if self._model is not None:
            self._model.refresh()
            self._model.refresh_times()

    def _report(self, action: str, error: object) -> None:
        if isinstance(error, Exception):
            messages.show_error(self, action, error)

    def _update_empty_state(self) -> None:
        empty = self._model is None or (
            self._model.rowCount() == 0 and not self._model.canFetchMore(QModelIndex())
        )
        self._stack.setCurrentWidget(self._empty if empty else self._table)
