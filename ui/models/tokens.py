"""The deployment tokens table: a model that reads the service a page at a time. What
each cell says, and the status icons and colours, are ``ui.models.token_cells``'s."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon

from app import lifecycle
from app.records import TokenOrder, TokenRecord, utc_now
from ui import resources
from ui.models.paged import PAGE_SIZE, AnyIndex, PagedTableModel
from ui.models.token_cells import (
    environments_text,
    expiry_date_text,
    expiry_detail,
    expiry_text,
    quiet_text_colour,
    rotation_refusal,
    shown_status,
    status_icon,
)
from ui.relative_time import local_date_time, relative
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

log = logging.getLogger(__name__)

# English, as tests find them; shown in the user's language (_tr).
DELETE_TOKEN = QT_TRANSLATE_NOOP("TokenTableModel", "Delete token")
ROTATE_TOKEN = QT_TRANSLATE_NOOP("TokenTableModel", "Rotate token")
NO_EXPIRY = lifecycle.NO_EXPIRY


class Column(enum.IntEnum):
    NAME = 0
    TOKEN = 1
    CREATED = 2
    LAST_USED = 3
    EXPIRES = 4
    # Off unless the user turns them on (the header's context menu): the absolute date
    # for a change calendar, where a token may deploy.
    EXPIRES_ON = 5
    ENVIRONMENTS = 6
    CREATED_BY = 7
    ACTIONS = 8


HEADERS = {
    Column.NAME: QT_TRANSLATE_NOOP("TokenTableModel", "Name"),
    Column.TOKEN: QT_TRANSLATE_NOOP("TokenTableModel", "Token"),
    Column.CREATED: QT_TRANSLATE_NOOP("TokenTableModel", "Created"),
    Column.LAST_USED: QT_TRANSLATE_NOOP("TokenTableModel", "Last used"),
    Column.EXPIRES: QT_TRANSLATE_NOOP("TokenTableModel", "Expires"),
    Column.EXPIRES_ON: QT_TRANSLATE_NOOP("TokenTableModel", "Expires on"),
    Column.ENVIRONMENTS: QT_TRANSLATE_NOOP("TokenTableModel", "Environments"),
    Column.CREATED_BY: QT_TRANSLATE_NOOP("TokenTableModel", "Created by"),
    Column.ACTIONS: QT_TRANSLATE_NOOP("TokenTableModel", "Actions"),
}
_ORDERS = {
    Column.NAME: TokenOrder.NAME,
    Column.TOKEN: TokenOrder.PREVIEW,
    Column.CREATED: TokenOrder.CREATED,
    Column.LAST_USED: TokenOrder.LAST_USED,
    Column.EXPIRES: TokenOrder.EXPIRES,
    # The same moment as Expires, written as a date: sorted the same way.
    Column.EXPIRES_ON: TokenOrder.EXPIRES,
    Column.CREATED_BY: TokenOrder.CREATED_BY,
}
# Environments is not a sort key: the service has no order for it.
SORTABLE = frozenset(_ORDERS)
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_EDIT = Qt.ItemDataRole.EditRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_ACCESSIBLE_TEXT = Qt.ItemDataRole.AccessibleTextRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_ROLES_SERVED = frozenset(
    {_DISPLAY, _EDIT, _TOOLTIP, _ACCESSIBLE_TEXT, _FONT, _DECORATION, _FOREGROUND}
)
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NAME_FLAGS = _CELL_FLAGS | Qt.ItemFlag.ItemIsEditable
PREVIEW_TOOLTIP = QT_TRANSLATE_NOOP(
    "TokenTableModel",
    "Masked preview: the full token was shown once, when it was generated, and is not stored",
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
        hide_exchanged: bool = ...,
    ) -> list[TokenRecord]: ...

    def count_tokens(self, project_name: str, *, hide_exchanged: bool = ...) -> int: ...


class TokenTableModel(PagedTableModel[TokenSource, TokenRecord]):
    """One project's live tokens, loaded as the view scrolls (``fetchMore``).

    It holds records only, never a plaintext: a new token arrives through ``add`` as
    the record the service returned.
    """

    LOAD_FAILED = QT_TRANSLATE_NOOP("PagedTableModel", "Could not load the tokens")
    # (token id, the name typed): the pane stores it, then calls ``replace``.
    rename_requested = Signal(int, str)

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
        # The project's live tokens, read with each first page (None before any).
        self._total: int | None = None
        # Asked for on every repaint of every cell: drawn once per palette, on first use.
        self._icons: dict[str, QIcon] = {}
        self._expired_colour: QColor | None = None
        # Whether a name may be edited in place (renaming needs manager on the project).
        self._editable = True
        # Leave out the tokens trusted deployers' exchanges issued (a pipeline's, minutes).
        self._hide_exchanged = False
        # The project's destinations by id: where a token was pushed, said in its tooltip.
        self._destination_names: dict[int, str] = {}

    def set_editable(self, editable: bool) -> None:
        """Let the Name cells be edited in place, or not (the role may only view)."""
        self._editable = editable

    def is_editable(self) -> bool:
        return self._editable

    def set_hide_exchanged(self, hide: bool) -> None:
        """Show the tokens exchanged by trusted deployers, or not (reads again)."""
        if hide != self._hide_exchanged:
            self._hide_exchanged = hide
            self.reload()

    def hides_exchanged(self) -> bool:
        return self._hide_exchanged

    def set_destination_names(self, names: dict[int, str]) -> None:
        """The project's destinations by id, to say where a token was pushed."""
        self._destination_names = dict(names)

    # Reading

    def sort_column(self) -> int:
        return int(self._column)

    def sort_qt_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def total(self) -> int | None:
        """How many live tokens the project has (filter or not), as of the last load,
        kept up to date by ``add`` and ``remove``; None before the first page."""
        return self._total

    def row_of(self, token_id: int) -> int | None:
        for row, record in enumerate(self._records):
            if record.id == token_id:
                return row
        return None

    def expired_rows(self) -> list[int]:
        """The loaded rows whose token has expired (greyed; nothing deploys with them)."""
        now = self._clock()
        return [
            row
            for row, record in enumerate(self._records)
            if record.expires_at is not None and record.expires_at <= now
        ]

    def successor_of(self, record: TokenRecord) -> TokenRecord | None:
        """The token that replaced ``record`` in a rotation, when its row is loaded."""
        if record.replaced_by is None:
            return None
        row = self.row_of(record.replaced_by)
        return None if row is None else self._records[row]

    def rotation_refusal(self, row: int) -> str | None:
        """Why ``row``'s token cannot be rotated now (for a disabled Rotate's tooltip), or
        None when it can."""
        record = self._records[row]
        return rotation_refusal(record, self._clock(), self.successor_of(record))

    # Qt's model interface

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(HEADERS[Column(section)]) if 0 <= section < len(Column) else None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _NAME_FLAGS if index.column() == Column.NAME and self._editable else _CELL_FLAGS

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
            if column == Column.ACTIONS:
                return _tr(DELETE_TOKEN)
            if column == Column.EXPIRES:
                return expiry_detail(record, self._clock())
            if column == Column.NAME:
                return ", ".join([record.name, *self._origin(record)])
            return self._display(record, column)
        if role == _DECORATION:
            if column == Column.EXPIRES:
                return self._status_icon(shown_status(record, self._clock()))
            if column == Column.NAME and record.deployer_id is not None:
                return self._exchanged_icon()  # a pipeline's token, not a person's
            return None
        if role == _FOREGROUND:
            # An expired row is greyed (it deploys nothing), still readable: its name is
            # what the user finds it by to delete it.
            if record.expires_at is not None and record.expires_at <= self._clock():
                if self._expired_colour is None:
                    self._expired_colour = quiet_text_colour(QGuiApplication.palette())
                return self._expired_colour
            return None
        return self._monospace if column == Column.TOKEN else None  # _FONT

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A name typed in place: asks for the rename (``rename_requested``), which the
        pane writes off the GUI thread; the row shows the new name once it is stored
        (``replace``)."""
        if role != Qt.ItemDataRole.EditRole or index.column() != Column.NAME or not self._editable:
            return False
        if not isinstance(value, str):
            return False
        record = self._records[index.row()]
        if value.strip() != record.name:
            self.rename_requested.emit(record.id, value)
        return True

    def replace(self, record: TokenRecord) -> None:
        """Show ``record`` (as the service returned it) in place of its row, if loaded."""
        row = self.row_of(record.id)
        if row is None:
            return
        self._records[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

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
        if self._total is not None:
            self._total += 1
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._records.insert(0, record)
        self.endInsertRows()

    def remove(self, token_id: int) -> None:
        """Drop a revoked token's row, if it is loaded."""
        row = self.row_of(token_id)
        if row is None:
            return
        if self._total is not None:
            self._total = max(0, self._total - 1)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._records[row]
        self.endRemoveRows()

    def refresh_times(self) -> None:
        """Relative times age: repaint them ("just now" becomes "1 minute ago"), and the
        rows whose token expired meanwhile turn grey."""
        if self._records:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._records) - 1, len(Column) - 1),
                [
                    Qt.ItemDataRole.DisplayRole,
                    Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.DecorationRole,
                    Qt.ItemDataRole.ForegroundRole,
                ],
            )

    # Helpers

    def _read(self, offset: int, limit: int) -> list[TokenRecord]:
        page = self._source.token_page(
            self._project,
            order=_ORDERS[self._column],
            descending=self._descending,
            offset=offset,
            limit=limit,
            search=self._search or None,
            hide_exchanged=self._hide_exchanged,
        )
        if offset == 0:
            # A load, reload or refresh (never a scroll): the total with it. A short
            # unfiltered first page is all there is, and needs no count.
            whole = len(page) < limit and not self._search
            self._total = (
                len(page)
                if whole
                else self._source.count_tokens(self._project, hide_exchanged=self._hide_exchanged)
            )
        return page

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
        if column == Column.EXPIRES_ON:
            return expiry_date_text(record)
        if column == Column.ENVIRONMENTS:
            return environments_text(record)
        if column == Column.CREATED_BY:
            if record.via is not None:
                # A pipeline's token: which binding let it in says more than the
                # service's role that wrote it (in the tooltip).
                return arg(QCoreApplication.translate("TokenTableModel", "via %1"), record.via)
            return record.created_by
        return None

    def _tooltip(self, record: TokenRecord, column: int) -> str | None:
        if column == Column.CREATED_BY and record.via is not None:
            return arg(
                QCoreApplication.translate(
                    "TokenTableModel",
                    "Exchanged by %1 for a CI job's ID token: trusted deployer %2",
                ),
                record.created_by,
                record.via,
            )
        if column == Column.NAME:
            # Long names are cut in the cell; the whole name, and where it may deploy.
            places = (
                ", ".join(record.environments)
                if record.environments
                else QCoreApplication.translate("TokenTableModel", "all", "environments")
            )
            said = arg(
                QCoreApplication.translate("TokenTableModel", "%1\nEnvironments: %2"),
                record.name,
                places,
            )
            return "\n".join([said, *self._origin(record)])
        if column in (Column.EXPIRES, Column.EXPIRES_ON):
            return expiry_detail(record, self._clock())
        if column == Column.ENVIRONMENTS:
            return environments_text(record)
        if column == Column.CREATED:
            return local_date_time(record.created_at)
        if column == Column.LAST_USED:
            return (
                QCoreApplication.translate("TokenTableModel", "Never used")
                if record.last_used_at is None
                else local_date_time(record.last_used_at)
            )
        if column == Column.TOKEN:
            return _tr(PREVIEW_TOOLTIP)
        if column == Column.ACTIONS:
            return _tr(DELETE_TOKEN)
        return None

    def _origin(self, record: TokenRecord) -> list[str]:
        """Where a token came from and went: "via trusted deployer …", "pushed to …"."""
        said = []
        if record.via is not None:
            said.append(
                arg(
                    QCoreApplication.translate("TokenTableModel", "via %1 (trusted deployer)"),
                    record.via,
                )
            )
        pushed_to = self._destination_names.get(record.destination_id or 0)
        if pushed_to is not None:
            said.append(
                arg(QCoreApplication.translate("TokenTableModel", "pushed to %1"), pushed_to)
            )
        return said

    def update_icons(self) -> None:
        """Draw the status icons and the expired rows' grey in the palette's colours
        again (dark mode came on)."""
        self._icons = {}
        self._expired_colour = None
        if self._records:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._records) - 1, len(Column) - 1),
                [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ForegroundRole],
            )

    def _exchanged_icon(self) -> QIcon:
        icon = self._icons.get("exchanged")
        if icon is None:
            icon = self._icons["exchanged"] = resources.icon("shield")
        return icon

    def _status_icon(self, status: str) -> QIcon | None:
        icon = self._icons.get(status)
        if icon is None:
            icon = status_icon(status, QGuiApplication.palette())
            if icon is not None:
                self._icons[status] = icon
        return icon


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("TokenTableModel", source)
