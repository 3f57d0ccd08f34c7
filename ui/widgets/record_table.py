"""The table of a page that lists a few records, one selected at a time (members,
notifications, trusted deployers, destinations): read-only rows, keyboard-friendly, the
current row framed while the table has the focus."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from ui.widgets.focused_row import FocusedRowDelegate


def record_table(
    model: QAbstractItemModel,
    name: str,
    accessible_name: str,
    selection_changed: Callable[[], object],
    *,
    wrap: bool = False,
) -> QTableView:
    """A table of ``model`` named ``name`` (its object name) and ``accessible_name``,
    calling ``selection_changed`` when the selection or the current row moves. With
    ``wrap``, long cells wrap and rows grow to fit them. The caller sizes the columns."""
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    # Tab leaves the table (arrows move in it): the page's buttons come next.
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(wrap)
    table.verticalHeader().setVisible(False)
    if wrap:
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setItemDelegate(FocusedRowDelegate(table))
    table.horizontalHeader().setHighlightSections(False)
    table.selectionModel().selectionChanged.connect(selection_changed)
    table.selectionModel().currentRowChanged.connect(selection_changed)
    # The focus frame follows the current row.
    table.selectionModel().currentRowChanged.connect(table.viewport().update)
    return table
