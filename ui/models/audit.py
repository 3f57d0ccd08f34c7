"""A project's audit events as a table: when, what, which token, and who; filtered by
action and by person, with the event where the chain breaks marked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from app.records import AuditRecord, utc_now
from ui import resources
from ui.models.paged import PAGE_SIZE, AnyIndex, PagedTableModel
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
    "project deleted": QT_TRANSLATE_NOOP("AuditTableModel", "Project deleted"),
    # Written by the database on PostgreSQL, whoever changes a level on the project.
    "access granted": QT_TRANSLATE_NOOP("AuditTableModel", "Access granted"),
    "access revoked": QT_TRANSLATE_NOOP("AuditTableModel", "Access revoked"),
    # Who is told of what (notifications, notify).
    "notification added": QT_TRANSLATE_NOOP("AuditTableModel", "Notification added"),
    "notification removed": QT_TRANSLATE_NOOP("AuditTableModel", "Notification removed"),
    "warning days changed": QT_TRANSLATE_NOOP("AuditTableModel", "Warning days changed"),
    # Trusted deployers (deployers add|remove, and the exchange on serve).
    "deployer added": QT_TRANSLATE_NOOP("AuditTableModel", "Trusted deployer added"),
    "deployer removed": QT_TRANSLATE_NOOP("AuditTableModel", "Trusted deployer removed"),
    "exchanged": QT_TRANSLATE_NOOP("AuditTableModel", "Exchanged for an ID token"),
}
BROKEN_HERE = QT_TRANSLATE_NOOP(
    "AuditTableModel",
    "The audit chain breaks at this event: it, or the one before it, was changed, "
    "removed, inserted or moved.",
)
# The broken event's row: translucent red over whatever the base colour is, legible in
# light and dark palettes alike (the text keeps the palette's colour).
BROKEN_BACKGROUND = QColor(220, 53, 69, 64)


class AuditSource(Protocol):
    def audit_log(
        self,
        project_name: str,
        *,
        offset: int = ...,
        limit: int | None = ...,
        action: str | None = ...,
        actor: str | None = ...,
    ) -> list[AuditRecord]: ...


def action_name(action: str) -> str:
    """An action as the window names it, in the user's language (one this version does
    not know, as stored)."""
    shown = ACTIONS.get(action)
    return action if shown is None else _tr(shown)


class AuditTableModel(PagedTableModel[AuditSource, AuditRecord]):
    """One project's audit events, newest first, read a page at a time; only one
    action's, or one person's, when filtered."""

    LOAD_FAILED = QT_TRANSLATE_NOOP("PagedTableModel", "Could not load the audit log")

    def __init__(
        self,
        source: AuditSource,
        project_name: str,
        *,
        page_size: int = PAGE_SIZE,
        clock: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(source, project_name, page_size=page_size, clock=clock, parent=parent)
        self._action: str | None = None
        self._actor: str | None = None
        # The event where Verify found the chain broken (its seq), marked when loaded.
        self._broken: int | None = None

    # Filters

    def filters(self) -> tuple[str | None, str | None]:
        """The action and the person shown (None: every one)."""
        return self._action, self._actor

    def is_filtered(self) -> bool:
        return self._action is not None or self._actor is not None

    def set_filters(self, action: str | None, actor: str | None) -> None:
        """Show only ``action``'s events and ``actor``'s (None: all), read again from
        the first page."""
        if (action, actor) == (self._action, self._actor):
            return
        self._action, self._actor = action, actor
        self.reload()

    def _read(self, offset: int, limit: int) -> list[AuditRecord]:
        return self._source.audit_log(
            self._project, offset=offset, limit=limit, action=self._action, actor=self._actor
        )

    # The broken event

    def set_broken(self, seq: int | None) -> None:
        """Mark the event ``seq`` as where the chain breaks (None: no mark)."""
        old = self.row_of(self._broken) if self._broken is not None else None
        self._broken = seq
        new = self.row_of(seq) if seq is not None else None
        for row in {old, new} - {None}:
            assert row is not None
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def broken(self) -> int | None:
        return self._broken

    def row_of(self, seq: int) -> int | None:
        """The row of the event ``seq`` among those loaded, or None."""
        return next((row for row, e in enumerate(self._records) if e.seq == seq), None)

    def adopt(
        self,
        records: list[AuditRecord],
        *,
        exhausted: bool,
        action: str | None,
        actor: str | None,
    ) -> None:
        """Show ``records``, read off the GUI thread with the filters ``action`` and
        ``actor``, as the first rows (``exhausted``: all there are)."""
        self.beginResetModel()
        self._records = list(records)
        self._exhausted = exhausted
        self._action, self._actor = action, actor
        self.endResetModel()

    # The table

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
            return self._shown(event, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(event, column)
        if role == Qt.ItemDataRole.FontRole and column == TOKEN:
            return self._monospace
        if event.seq == self._broken and event.seq:
            return _broken_mark(role, column)
        return None

    def _shown(self, event: AuditRecord, column: int) -> object:
        if column == WHEN:
            return relative(event.occurred_at, self._clock())
        if column == ACTION:
            return action_name(event.action)
        if column == TOKEN:
            return event.token_preview or "—"
        if column == NAME:
            return event.token_name or ("—" if event.token_id is None else "")
        if column == BY:
            return event.actor
        if column == DETAILS:
            return event.detail
        return None

    def _tooltip(self, event: AuditRecord, column: int) -> object:
        if event.seq == self._broken and event.seq and column == WHEN:
            return _tr(BROKEN_HERE)
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
        return None

    def refresh_times(self) -> None:
        if self._records:
            self.dataChanged.emit(
                self.index(0, WHEN),
                self.index(len(self._records) - 1, WHEN),
                [Qt.ItemDataRole.DisplayRole],
            )


def _broken_mark(role: int, column: int) -> object:
    """The broken event's row: tinted, a warning icon before its time, and said."""
    if role == Qt.ItemDataRole.BackgroundRole:
        return BROKEN_BACKGROUND
    if role == Qt.ItemDataRole.DecorationRole and column == WHEN:
        return resources.icon("warning")
    if role == Qt.ItemDataRole.AccessibleDescriptionRole:
        return _tr(BROKEN_HERE)
    return None


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("AuditTableModel", source)
