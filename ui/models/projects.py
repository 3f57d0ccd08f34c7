"""The projects as a table: name, how many live tokens, and when it was created."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)

from app.records import ProjectRecord, utc_now
from ui import resources
from ui.models.paged import AnyIndex
from ui.relative_time import exact, relative
from ui.resources import QT_TRANSLATE_NOOP


class ProjectColumn(enum.IntEnum):
    NAME = 0
    TOKENS = 1
    ATTENTION = 2
    CREATED = 3


_HEADERS = {
    ProjectColumn.NAME: QT_TRANSLATE_NOOP("ProjectTableModel", "Name"),
    ProjectColumn.TOKENS: QT_TRANSLATE_NOOP("ProjectTableModel", "Tokens"),
    ProjectColumn.ATTENTION: QT_TRANSLATE_NOOP("ProjectTableModel", "Need attention"),
    ProjectColumn.CREATED: QT_TRANSLATE_NOOP("ProjectTableModel", "Created"),
}
ATTENTION_TOOLTIP = QT_TRANSLATE_NOOP(
    "ProjectTableModel", "Tokens that have expired, or expire within 7 days"
)
# The value each column sorts by (the proxy sorts on this role).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class ProjectTableModel(QAbstractTableModel):
    """The projects, as the service lists them (by name, ignoring case)."""

    def __init__(
        self, clock: Callable[[], datetime] = utc_now, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._projects: list[ProjectRecord] = []
        self._clock = clock

    def set_projects(self, projects: list[ProjectRecord]) -> None:
        if projects == self._projects:
            return  # A periodic check found nothing new: leave the view undisturbed.
        self.beginResetModel()
        self._projects = list(projects)
        self.endResetModel()

    def project(self, row: int) -> ProjectRecord:
        return self._projects[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._projects)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ProjectColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(_HEADERS):
                return _tr(_HEADERS[ProjectColumn(section)])
            return None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._projects):
            return None
        project = self._projects[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == ProjectColumn.NAME:
                return project.name
            if column == ProjectColumn.TOKENS:
                return str(project.token_count)
            if column == ProjectColumn.ATTENTION:
                return str(project.attention_count) if project.attention_count else ""
            if column == ProjectColumn.CREATED:
                return relative(project.created_at, self._clock())
        if role == SORT_ROLE:
            if column == ProjectColumn.NAME:
                return project.name.casefold()
            if column == ProjectColumn.TOKENS:
                return project.token_count
            if column == ProjectColumn.ATTENTION:
                return project.attention_count
            if column == ProjectColumn.CREATED:
                return project.created_at.timestamp()
        if role == Qt.ItemDataRole.ToolTipRole and column == ProjectColumn.CREATED:
            return exact(project.created_at)
        if role == Qt.ItemDataRole.ToolTipRole and column == ProjectColumn.ATTENTION:
            return _tr(ATTENTION_TOOLTIP)
        if role == Qt.ItemDataRole.DecorationRole and column == ProjectColumn.ATTENTION:
            return resources.icon("warning") if project.attention_count else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            ProjectColumn.TOKENS,
            ProjectColumn.ATTENTION,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("ProjectTableModel", source)


def name_collator() -> QCollator:
    """Names in the order a reader expects: the user's language's, case ignored, numbers
    by value ("proj9" before "proj10"). The C locale compares code points (so "Ü" would
    follow "z"); English stands in for it."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        locale = QLocale(QLocale.Language.English)
    collator = QCollator(locale)
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    collator.setNumericMode(True)
    return collator


class ProjectSortProxy(QSortFilterProxyModel):
    """Sorts the Name column with ``name_collator``, the others by ``SORT_ROLE``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._collator = name_collator()
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        if left.column() != ProjectColumn.NAME:
            return super().lessThan(left, right)
        a = str(left.data(Qt.ItemDataRole.DisplayRole))
        b = str(right.data(Qt.ItemDataRole.DisplayRole))
        order = self._collator.compare(a, b)
        return order < 0 if order else a < b  # equal to the collator: still a fixed order
