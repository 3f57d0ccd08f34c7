"""A table model that reads the service a page at a time, and can read itself again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Signal,
)
from PySide6.QtGui import QFontDatabase

from app.records import utc_now
from ui.resources import QT_TRANSLATE_NOOP

RecordT = TypeVar("RecordT")
SourceT = TypeVar("SourceT")
# What Qt passes as a parent index: either kind, in every model's signatures.
AnyIndex = QModelIndex | QPersistentModelIndex
# Rows read per page: a few screenfuls (more are read as the user scrolls to them), and
# one quick query: reading 200 cost the pane 1.5 ms more before its first paint.
PAGE_SIZE = 100


class PagedTableModel(QAbstractTableModel, Generic[SourceT, RecordT]):
    """One project's rows, loaded as the view scrolls (``fetchMore``), for tables that
    grow without bound.

    It owns what every such table needs: the source it reads (the service, or anything
    with the same method), the project, the clock relative times are measured against,
    and a monospace font for token previews. Subclasses say how to read a page
    (``_read``) and what a failed load is called.
    """

    # (what was being done, in the user's language; the exception): the pane turns it into
    # a message box.
    failed = Signal(str, object)
    # A page was read, rows or none: what counts the rows learns that the end was reached
    # even when the last page was empty (no rows were inserted to say so).
    page_read = Signal()
    # Marked in this class's context, where it is translated.
    LOAD_FAILED = QT_TRANSLATE_NOOP("PagedTableModel", "Could not load the rows")

    def __init__(
        self,
        source: SourceT,
        project_name: str,
        *,
        page_size: int = PAGE_SIZE,
        clock: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._project = project_name
        self._clock = clock
        self._monospace = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._page_size = page_size
        self._records: list[RecordT] = []
        self._exhausted = False

    def _read(self, offset: int, limit: int) -> list[RecordT]:
        raise NotImplementedError

    def record(self, row: int) -> RecordT:
        return self._records[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex) -> None:
        if parent.isValid() or self._exhausted:
            return
        try:
            page = self._read(len(self._records), self._page_size)
        except Exception as error:
            # Stop asking until the next reload, or the view would retry on every scroll.
            self._exhausted = True
            self.failed.emit(QCoreApplication.translate("PagedTableModel", self.LOAD_FAILED), error)
            return
        self._exhausted = len(page) < self._page_size
        if page:
            first = len(self._records)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._records.extend(page)
            self.endInsertRows()
        self.page_read.emit()

    def refresh(self) -> bool:
        """Read again as many rows as are loaded, to show other clients' changes.

        Returns whether anything changed; an unchanged table is left alone, so a periodic
        check does not disturb the view. Raises the service's errors: the caller decides
        whether a failed background check deserves a message.
        """
        wanted = max(self._page_size, len(self._records))
        fresh = self._read(0, wanted)
        if fresh == self._records:
            return False
        self.beginResetModel()
        self._records = fresh
        self._exhausted = len(fresh) < wanted
        self.endResetModel()
        return True

    def reload(self) -> None:
        """Forget what was loaded and read the first page again."""
        self.beginResetModel()
        self._records = []
        self._exhausted = False
        self.endResetModel()
        self.fetchMore(QModelIndex())
