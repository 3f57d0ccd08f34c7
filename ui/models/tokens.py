"""The deployment tokens table: a model that reads the service a page at a time."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QModelIndex, QObject, Qt

from app import lifecycle
from app.records import TokenOrder, TokenRecord, utc_now
from ui import resources
from ui.models.paged import PAGE_SIZE, AnyIndex, PagedTableModel
from ui.relative_time import ahead, exact, relative

log = logging.getLogger(__name__)

DELETE_TOKEN = "Delete token"
ROTATE_TOKEN = "Rotate token"
NO_EXPIRY = "No expiry"
EXPIRED_TEXT = "Expired"


class Column(enum.IntEnum):
    NAME = 0
    TOKEN = 1
    CREATED = 2
    LAST_USED = 3
    EXPIRES = 4
    CREATED_BY = 5
    ACTIONS = 6


HEADERS = {
    Column.NAME: "Name",
    Column.TOKEN: "Token",
    Column.CREATED: "Created",
    Column.LAST_USED: "Last used",
    Column.EXPIRES: "Expires",
    Column.CREATED_BY: "Created by",
    Column.ACTIONS: "Actions",
}
_ORDERS = {
    Column.NAME: TokenOrder.NAME,
    Column.TOKEN: TokenOrder.PREVIEW,
    Column.CREATED: TokenOrder.CREATED,
    Column.LAST_USED: TokenOrder.LAST_USED,
    Column.EXPIRES: TokenOrder.EXPIRES,
    Column.CREATED_BY: TokenOrder.CREATED_BY,
}
# Statuses that want the user's attention: marked with an icon as well as words.
_NEEDS_ATTENTION = frozenset({lifecycle.EXPIRING, lifecycle.RETIRING, lifecycle.EXPIRED})
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_EDIT = Qt.ItemDataRole.EditRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_ACCESSIBLE_TEXT = Qt.ItemDataRole.AccessibleTextRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_ROLES_SERVED = frozenset({_DISPLAY, _EDIT, _TOOLTIP, _ACCESSIBLE_TEXT, _FONT, _DECORATION})
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NAME_FLAGS = _CELL_FLAGS | Qt.ItemFlag.ItemIsEditable
PREVIEW_TOOLTIP = (
    "Masked preview: the full token was shown once, when it was generated, and is not stored"
)


class TokenSource(Protocol):
    """What the model needs from the service (TokenService satisfies it)."""

    def token_page(
        self,
        project_name: str,
        *,
        order: TokenOrder = ...,
        descending: bool = ...,
        offset: int = ...,
        limit: int = ...,
        search: str | None = ...,
    ) -> list[TokenRecord]: ...

    def rename_token(self, project_name: str, token_id: int, name: str) -> TokenRecord: ...


class TokenTableModel(PagedTableModel[TokenSource, TokenRecord]):
    """One project's live tokens, loaded as the view scrolls (``fetchMore``).

    It holds records only, never a plaintext: a new token arrives through ``add`` as
    the record the service returned.
    """

    LOAD_FAILED = "Could not load the tokens"

    def __init__(
        self,
        source: TokenSource,
        project_name: str,
        *,
        page_size: int = PAGE_SIZE,
        clock: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(source, project_name, page_size=page_size, clock=clock, parent=parent)
        self._column = Column.CREATED
        self._descending = True
        self._search = ""
        # Asked for on every repaint of every Expires cell: drawn once, on first use.
        self._warning: object = None

    # Reading

    def sort_column(self) -> int:
        return int(self._column)

    def sort_qt_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def row_of(self, token_id: int) -> int | None:
        for row, record in enumerate(self._records):
            if record.id == token_id:
                return row
        return None

    # Qt's model interface

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS.get(Column(section)) if 0 <= section < len(Column) else None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _NAME_FLAGS if index.column() == Column.NAME else _CELL_FLAGS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # Called for every role of every visible cell on each repaint (a thousand calls
        # after a Generate): plain ints first, enum arithmetic never.
        if role not in _ROLES_SERVED:
            return None
        row = index.row()
        if not 0 <= row < len(self._records) or not index.isValid():
            return None
        record = self._records[row]
        column = index.column()
        if role in (_DISPLAY, _EDIT):
            return self._display(record, column)
        if role == _TOOLTIP:
            return self._tooltip(record, column)
        if role == _ACCESSIBLE_TEXT:
            # The cell itself deletes when clicked (the buttons cover it otherwise).
            return DELETE_TOKEN if column == Column.ACTIONS else self._display(record, column)
        if role == _DECORATION:
            if column == Column.EXPIRES and record.status(self._clock()) in _NEEDS_ATTENTION:
                if self._warning is None:
                    self._warning = resources.icon("warning")
                return self._warning
            return None
        return self._monospace if column == Column.TOKEN else None  # _FONT

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != Column.NAME:
            return False
        record = self._records[index.row()]
        if not isinstance(value, str) or value.strip() == record.name:
            return isinstance(value, str)
        try:
            renamed = self._source.rename_token(self._project, record.id, value)
        except Exception as error:
            self.failed.emit("Could not rename the token", error)
            return False
        self._records[index.row()] = renamed
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in _ORDERS:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if column == self._column and descending == self._descending:
            # Already in that order. QTableView asks again whenever sorting is enabled;
            # re-reading would load the first page twice on every pane open.
            return
        self._column = Column(column)
        self._descending = descending
        self.reload()

    # Changing

    def is_newest_first(self) -> bool:
        return self._column == Column.CREATED and self._descending and not self._search

    @property
    def search(self) -> str:
        return self._search

    def set_search(self, text: str) -> None:
        """Show only the tokens whose name or preview contains ``text`` (all when empty)."""
        if text.strip() != self._search:
            self._search = text.strip()
            self.reload()

    def add(self, record: TokenRecord) -> None:
        """Show a token that was just generated at the top (the model must be newest first)."""
        if not self.is_newest_first():
            raise ValueError("add() needs the newest-first order; sort by Created first")
        if self.row_of(record.id) is not None:
            return  # A refresh (another client's change, or our own) got there first.
        # It belongs at the top, and the loaded pages stay aligned with the database's.
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._records.insert(0, record)
        self.endInsertRows()

    def remove(self, token_id: int) -> None:
        """Drop a revoked token's row, if it is loaded."""
        row = self.row_of(token_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._records[row]
        self.endRemoveRows()

    def refresh_times(self) -> None:
        """Relative times age: repaint them ("just now" becomes "1 minute ago")."""
        if self._records:
            self.dataChanged.emit(
                self.index(0, Column.CREATED),
                self.index(len(self._records) - 1, Column.EXPIRES),
                [
                    Qt.ItemDataRole.DisplayRole,
                    Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.DecorationRole,
                ],
            )

    # Helpers

    def _read(self, offset: int, limit: int) -> list[TokenRecord]:
        return self._source.token_page(
            self._project,
            order=_ORDERS[self._column],
            descending=self._descending,
            offset=offset,
            limit=limit,
            search=self._search or None,
        )

    def _display(self, record: TokenRecord, column: int) -> str | None:
        if column == Column.NAME:
            return record.name
        if column == Column.TOKEN:
            return record.preview
        if column == Column.CREATED:
            return relative(record.created_at, self._clock())
        if column == Column.LAST_USED:
            return relative(record.last_used_at, self._clock())
        if column == Column.EXPIRES:
            return expiry_text(record, self._clock())
        if column == Column.CREATED_BY:
            return record.created_by
        return None

    def _tooltip(self, record: TokenRecord, column: int) -> str | None:
        if column == Column.NAME:
            # Long names are cut in the cell; the whole name, and where it may deploy.
            places = ", ".join(record.environments) if record.environments else "all"
            return f"{record.name}\nEnvironments: {places}"
        if column == Column.EXPIRES:
            if record.expires_at is None:
                return "This token never expires"
            return f"{expiry_text(record, self._clock())}: {exact(record.expires_at)}"
        if column == Column.CREATED:
            return exact(record.created_at)
        if column == Column.LAST_USED:
            return exact(record.last_used_at)
        if column == Column.TOKEN:
            return PREVIEW_TOOLTIP
        if column == Column.ACTIONS:
            return DELETE_TOKEN
        return None

    def update_icons(self) -> None:
        """Draw the warning icon in the palette's colours again (dark mode came on)."""
        self._warning = None
        if self._records:
            self.dataChanged.emit(
                self.index(0, Column.EXPIRES),
                self.index(len(self._records) - 1, Column.EXPIRES),
                [Qt.ItemDataRole.DecorationRole],
            )


def expiry_text(record: TokenRecord, now: datetime) -> str:
    """The Expires cell: "No expiry", "in 3 months", "Expires in 2 days", "Retiring,
    5 hours left", "Expired". Words, not colour alone, say which need attention."""
    status = record.status(now)
    if record.expires_at is None:
        return NO_EXPIRY
    if status == lifecycle.EXPIRED:
        return EXPIRED_TEXT
    left = ahead(record.expires_at, now)
    if status == lifecycle.RETIRING:
        return f"Retiring, {left.removeprefix('in ')} left"
    if status == lifecycle.EXPIRING:
        return f"Expires {left}"
    return left
