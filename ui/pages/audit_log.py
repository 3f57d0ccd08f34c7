"""A project's Audit log: who generated, renamed and revoked which token, and when."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs import messages
from ui.models.audit import DETAILS, NAME, AuditSource, AuditTableModel
from ui.resources import QT_TRANSLATE_NOOP
from ui.widgets.heading import heading
from ui.widgets.hint import HintLabel

AUDIT_LOG = QT_TRANSLATE_NOOP("AuditPane", "Audit log")
DESCRIPTION = QT_TRANSLATE_NOOP(
    "AuditPane",
    "Every deployment token generated, renamed, rotated or revoked in this project, "
    "including tokens revoked because they leaked, and every change to their expiry, "
    "environments and the token policy; newest first, with who did it. Entries cannot be "
    "edited or deleted.",
)
# Name is the one column of free text besides Details; past this it is elided (the whole
# name is in the Tokens pane), so Details keeps the rest of the width.
NAME_WIDTH = 150
EMPTY_STATE = QT_TRANSLATE_NOOP("AuditPane", "Nothing has happened in this project yet.")


class AuditPane(QWidget):
    """The Audit log pane of one project at a time: read-only, newest first."""

    def __init__(self, service: AuditSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditLogPane")
        self._service = service
        self._model: AuditTableModel | None = None

        description = QLabel(self.tr(DESCRIPTION))
        description.setWordWrap(True)

        self._table = QTableView()
        self._table.setObjectName("auditTable")
        self._table.setAccessibleName(self.tr(AUDIT_LOG))
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setAlternatingRowColors(True)
        self._table.setWordWrap(False)
        self._table.verticalHeader().setVisible(False)

        self._empty = HintLabel(self.tr(EMPTY_STATE))
        self._empty.setObjectName("emptyState")

        self._stack = QStackedWidget()
        self._stack.addWidget(self._empty)
        self._stack.addWidget(self._table)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr(AUDIT_LOG), "paneTitle"))
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
        # Short columns fit their contents; Details, the longest text, takes the rest
        # (cut text is whole in its tooltip).
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DETAILS, QHeaderView.ResizeMode.Stretch)
        self._table.setColumnWidth(NAME, NAME_WIDTH)
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
