"""A project's audit events as a table: when, what, which token, and who."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt

from app.records import AuditRecord
from ui.models.paged import AnyIndex, PagedTableModel
from ui.relative_time import exact, relative
from ui.resources import QT_TRANSLATE_NOOP

HEADERS = (
    QT_TRANSLATE_NOOP("AuditTableModel", "When"),
    QT_TRANSLATE_NOOP("AuditTableModel", "Action"),
    QT_TRANSLATE_NOOP("AuditTableModel", "Token"),
    QT_TRANSLATE_NOOP("AuditTableModel", "Name"),
    QT_TRANSLATE_NOOP("AuditTableModel", "By"),
    QT_TRANSLATE_NOOP("AuditTableModel", "Details"),
)
WHEN, ACTION, TOKEN, NAME, BY, DETAILS = range(len(HEADERS))
# The audit trail's actions as stored (the command line prints them so), as shown.
ACTIONS = {
    "generated": QT_TRANSLATE_NOOP("AuditTableModel", "Generated"),
    "revoked": QT_TRANSLATE_NOOP("AuditTableModel", "Revoked"),
    "renamed": QT_TRANSLATE_NOOP("AuditTableModel", "Renamed"),
    "rotated": QT_TRANSLATE_NOOP("AuditTableModel", "Rotated"),
    "expiry changed": QT_TRANSLATE_NOOP("AuditTableModel", "Expiry changed"),
    "environments changed": QT_TRANSLATE_NOOP("AuditTableModel", "Environments changed"),
    "policy changed": QT_TRANSLATE_NOOP("AuditTableModel", "Policy changed"),
    "project renamed": QT_TRANSLATE_NOOP("AuditTableModel", "Project renamed"),
}


class AuditSource(Protocol):
    def audit_log(
        self, project_name: str, *, offset: int = ..., limit: int | None = ...
    ) -> list[AuditRecord]: ...


class AuditTableModel(PagedTableModel[AuditSource, AuditRecord]):
    """One project's audit events, newest first, read a page at a time."""

    LOAD_FAILED = QT_TRANSLATE_NOOP("PagedTableModel", "Could not load the audit log")

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(HEADERS[section]) if 0 <= section < len(HEADERS) else None
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
                shown = ACTIONS.get(event.action)
                return event.action if shown is None else _tr(shown)
            if column == TOKEN:
                return event.token_preview or "—"
            if column == NAME:
                return event.token_name or ("—" if event.token_id is None else "")
            if column == BY:
                return event.actor
            if column == DETAILS:
                return event.detail
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == WHEN:
                return exact(event.occurred_at)
            if column == TOKEN:
                return (
                    QCoreApplication.translate("AuditTableModel", "The project's own settings")
                    if event.token_id is None
                    else QCoreApplication.translate("AuditTableModel", "Token id %1").replace(
                        "%1", str(event.token_id)
                    )
                )
            if column == DETAILS:
                return event.detail or None
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


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("AuditTableModel", source)
