"""A project's e-mail recipients and webhooks, as the Notifications pane lists them: the
project's own first, then those of all projects (marked), each with its last delivery."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont

from app.notifications.records import FAILED, SENT, DeliveryRecord, NotificationRecord
from app.records import utc_now
from ui import resources
from ui.models.record_list import RecordListModel
from ui.relative_time import exact, relative
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from PySide6.QtCore import QPersistentModelIndex

    AnyIndex = QModelIndex | QPersistentModelIndex


class NotificationColumn(IntEnum):
    KIND = 0
    ADDRESS = 1
    ADDED = 2
    ADDED_BY = 3
    LAST_DELIVERY = 4


HEADERS = {
    NotificationColumn.KIND: QT_TRANSLATE_NOOP("NotificationsModel", "Kind"),
    NotificationColumn.ADDRESS: QT_TRANSLATE_NOOP("NotificationsModel", "Address"),
    NotificationColumn.ADDED: QT_TRANSLATE_NOOP("NotificationsModel", "Added"),
    NotificationColumn.ADDED_BY: QT_TRANSLATE_NOOP("NotificationsModel", "Added by"),
    NotificationColumn.LAST_DELIVERY: QT_TRANSLATE_NOOP("NotificationsModel", "Last delivery"),
}
KINDS = {
    "email": QT_TRANSLATE_NOOP("NotificationsModel", "E-mail"),
    "webhook": QT_TRANSLATE_NOOP("NotificationsModel", "Webhook"),
}
ALL_PROJECTS = QT_TRANSLATE_NOOP("NotificationsModel", "%1, all projects")
ALL_PROJECTS_TIP = QT_TRANSLATE_NOOP(
    "NotificationsModel",
    "Of all projects: it hears of this project and every other, present and future. Only "
    "an admin of all projects removes it (notifications remove --all-projects ID).",
)


def kind_name(kind: str) -> str:
    """A kind of notification as the window names it (one this version does not know,
    as stored)."""
    return _tr(KINDS[kind]) if kind in KINDS else kind


def delivery_text(delivery: DeliveryRecord | None, now: datetime) -> str:
    """How the last delivery went: "Delivered 5 minutes ago", "Failed 2 hours ago:
    HTTP 503", "Never"."""
    if delivery is None:
        return QCoreApplication.translate("NotificationsModel", "Never", "no delivery yet")
    ago = relative(delivery.at, now)
    if delivery.outcome == SENT:
        return arg(QCoreApplication.translate("NotificationsModel", "Delivered %1"), ago)
    if delivery.outcome == FAILED:
        # The first clause says why ("HTTP 503"); how many attempts it took and what
        # waits for the next run are in the tooltip.
        reason = delivery.detail.split("; ")[0].split(" (after ")[0].strip()
        if not reason:
            return arg(QCoreApplication.translate("NotificationsModel", "Failed %1"), ago)
        return arg(QCoreApplication.translate("NotificationsModel", "Failed %1: %2"), ago, reason)
    return f"{delivery.outcome} {ago}"


def delivery_tooltip(delivery: DeliveryRecord | None) -> str:
    """When exactly, and what was sent or why it failed, in full."""
    if delivery is None:
        return QCoreApplication.translate(
            "NotificationsModel",
            "Nothing sent yet: deployment-tokens notify sends what there is at its next run.",
        )
    said = exact(delivery.at)
    return f"{said}\n{delivery.detail}" if delivery.detail else said


class NotificationsModel(RecordListModel[NotificationRecord]):
    """Rows of NotificationRecord, read-only."""

    def __init__(
        self, parent: QObject | None = None, *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__(_headers, _TIMES, parent, clock=clock)
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_notifications(self, records: list[NotificationRecord]) -> None:
        self.set_records(sorted(records, key=lambda r: (r.project is None, r.id)))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        record = self._row(index)
        if record is None:
            return None
        column = NotificationColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._shown(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, column)
        failed = record.last_delivery is not None and record.last_delivery.outcome == FAILED
        if column == NotificationColumn.LAST_DELIVERY and failed:
            if role == Qt.ItemDataRole.DecorationRole:
                return resources.icon("warning")
            if role == Qt.ItemDataRole.AccessibleDescriptionRole:
                return QCoreApplication.translate("NotificationsModel", "The last delivery failed")
        if role == Qt.ItemDataRole.FontRole and record.project is None:
            return self._italic
        return None

    def _shown(self, record: NotificationRecord, column: NotificationColumn) -> str:
        if column == NotificationColumn.KIND:
            kind = kind_name(record.kind)
            return kind if record.project is not None else arg(_tr(ALL_PROJECTS), kind)
        if column == NotificationColumn.ADDRESS:
            return record.address
        if column == NotificationColumn.ADDED:
            return relative(record.created_at, self._clock())
        if column == NotificationColumn.ADDED_BY:
            return record.created_by
        return delivery_text(record.last_delivery, self._clock())

    def _tooltip(self, record: NotificationRecord, column: NotificationColumn) -> str | None:
        if column == NotificationColumn.KIND and record.project is None:
            return _tr(ALL_PROJECTS_TIP)
        if column == NotificationColumn.ADDRESS:
            return record.address
        if column == NotificationColumn.ADDED:
            return exact(record.created_at)
        if column == NotificationColumn.LAST_DELIVERY:
            return delivery_tooltip(record.last_delivery)
        return None


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("NotificationsModel", source)


# The columns that say a time ("5 minutes ago"), from the first to the last.
_TIMES = (NotificationColumn.ADDED, NotificationColumn.LAST_DELIVERY)


def _headers() -> list[str]:
    return [_tr(HEADERS[column]) for column in NotificationColumn]
