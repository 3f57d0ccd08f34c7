"""The levels held on one project: each login role's own there, and those held on every
project (marked), as the Members pane lists them."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, Qt

from app.records import AccessRecord
from ui.access import level_name, rank
from ui.resources import QT_TRANSLATE_NOOP

TYPE_CHECKING = False
if TYPE_CHECKING:
    from PySide6.QtCore import QPersistentModelIndex

    AnyIndex = QModelIndex | QPersistentModelIndex


class MemberColumn(IntEnum):
    ROLE = 0
    LEVEL = 1
    WHERE = 2


HEADERS = {
    MemberColumn.ROLE: QT_TRANSLATE_NOOP("MembersModel", "Role"),
    MemberColumn.LEVEL: QT_TRANSLATE_NOOP("MembersModel", "Level"),
    MemberColumn.WHERE: QT_TRANSLATE_NOOP("MembersModel", "Granted on"),
}
ALL_PROJECTS = QT_TRANSLATE_NOOP("MembersModel", "All projects")
ALL_PROJECTS_TIP = QT_TRANSLATE_NOOP(
    "MembersModel",
    "Granted on all projects: it applies to this project and every other, present and "
    "future. It is revoked on the command line (access revoke ROLE --all-projects).",
)


class MembersModel(QAbstractTableModel):
    """Rows of AccessRecord: by role, the level on every project before the project's."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records: list[AccessRecord] = []
        self._me = ""

    def set_members(self, records: list[AccessRecord], me: str) -> None:
        """Show ``records``; ``me`` (this window's role) is marked "(you)"."""
        ordered = sorted(records, key=lambda r: (r.role, r.project is None, -rank(r.level)))
        if ordered == self._records and me == self._me:
            return  # the change counter moved for something else: keep the selection
        self.beginResetModel()
        self._records = ordered
        self._me = me
        self.endResetModel()

    def record(self, row: int) -> AccessRecord:
        return self._records[row]

    def records(self) -> list[AccessRecord]:
        return list(self._records)

    def row_of(self, role: str, project: str | None) -> int | None:
        for row, record in enumerate(self._records):
            if record.role == role and record.project == project:
                return row
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(MemberColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(HEADERS[MemberColumn(section)]) if 0 <= section < len(MemberColumn) else None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = MemberColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == MemberColumn.ROLE:
                if record.role == self._me:
                    return QCoreApplication.translate("MembersModel", "%1 (you)").replace(
                        "%1", record.role
                    )
                return record.role
            if column == MemberColumn.LEVEL:
                return level_name(record.level)
            return _tr(ALL_PROJECTS) if record.project is None else record.project
        if role == Qt.ItemDataRole.ToolTipRole and record.project is None:
            return _tr(ALL_PROJECTS_TIP)
        if role == Qt.ItemDataRole.FontRole and record.project is None:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setItalic(True)
            return font
        return None


def _tr(source: str) -> str:
    return QCoreApplication.translate("MembersModel", source)
