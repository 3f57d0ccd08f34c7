"""The model behind a page's short list of records (notifications, trusted deployers,
destinations): read-only rows of frozen records, replaced whole when the service's list
changes, with their times said again as they grow old."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from app.records import utc_now
from ui.models.paged import AnyIndex


class _Identified(Protocol):
    @property
    def id(self) -> int: ...


RecordT = TypeVar("RecordT", bound=_Identified)


class RecordListModel(QAbstractTableModel, Generic[RecordT]):
    """``headers`` (in the user's language) name the columns; the columns from
    ``times[0]`` to ``times[1]`` hold times said relative to ``clock``."""

    def __init__(
        self,
        headers: Callable[[], Sequence[str]],
        times: tuple[int, int],
        parent: QObject | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self._records: list[RecordT] = []
        self._clock = clock
        self._headers = headers
        self._times = times

    def set_records(self, records: Sequence[RecordT]) -> None:
        """Show ``records`` (in the order given) unless they are what is shown already."""
        if list(records) == self._records:
            return  # the change counter moved for something else: keep the selection
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int) -> RecordT:
        return self._records[row]

    def records(self) -> list[RecordT]:
        return list(self._records)

    def row_of(self, record_id: int) -> int | None:
        for row, record in enumerate(self._records):
            if record.id == record_id:
                return row
        return None

    def refresh_times(self) -> None:
        """Say the times again ("5 minutes ago" grows old)."""
        if self._records:
            first, last = self._times
            self.dataChanged.emit(
                self.index(0, first),
                self.index(len(self._records) - 1, last),
                [Qt.ItemDataRole.DisplayRole],
            )

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        headers = self._headers()
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(headers)
        ):
            return headers[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _row(self, index: AnyIndex) -> RecordT | None:
        """The record of a valid index's row, else None."""
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        return self._records[index.row()]
