"""A project's destinations, as the Destinations pane lists them: each one's name, where
it is in words, its last push or Test with the outcome, and whether the credential it
reads is missing from this app's environment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt

from app.destinations import targets
from app.records import DestinationRecord, utc_now
from ui import resources
from ui.models.record_list import RecordListModel
from ui.relative_time import exact, relative
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from PySide6.QtCore import QPersistentModelIndex

    from app.destinations.targets import Receipt

    AnyIndex = QModelIndex | QPersistentModelIndex


class DestinationColumn(IntEnum):
    NAME = 0
    WHERE = 1
    LAST_PUSH = 2


HEADERS = {
    DestinationColumn.NAME: QT_TRANSLATE_NOOP("DestinationsModel", "Name"),
    DestinationColumn.WHERE: QT_TRANSLATE_NOOP("DestinationsModel", "Where"),
    DestinationColumn.LAST_PUSH: QT_TRANSLATE_NOOP("DestinationsModel", "Last push"),
}
# A push's or Test's outcome (the service's words) as the table says it.
OUTCOMES = {
    "pushed": QT_TRANSLATE_NOOP("DestinationsModel", "pushed"),
    "failed": QT_TRANSLATE_NOOP("DestinationsModel", "failed"),
    "checked": QT_TRANSLATE_NOOP("DestinationsModel", "tested"),
    "check failed": QT_TRANSLATE_NOOP("DestinationsModel", "test failed"),
}
_FAILED = ("failed", "check failed")
# Where a destination is, in words, by kind (the service's own words are English).
VAULT_WHERE = QT_TRANSLATE_NOOP("DestinationsModel", "OpenBao/Vault %1 %2 (field %3)")
GITHUB_WHERE = QT_TRANSLATE_NOOP("DestinationsModel", "GitHub %1, secret %2")
GITHUB_ENVIRONMENT_WHERE = QT_TRANSLATE_NOOP(
    "DestinationsModel", "GitHub %1, secret %2, environment %3"
)
GITLAB_WHERE = QT_TRANSLATE_NOOP("DestinationsModel", "GitLab %1 project %2, variable %3, scope %4")


def where_in_words(record: DestinationRecord) -> str:
    """ "GitHub acme/web, secret DEPLOY_TOKEN", in the user's language."""
    target = record.target
    if target is None:
        return record.description
    if target.kind == targets.VAULT:
        return arg(_tr(VAULT_WHERE), target.url, target.location, target.name)
    if target.kind == targets.GITHUB:
        # Only GitHub Enterprise Server names its host: github.com goes without saying.
        repository = target.location
        if target.url != targets.GITHUB_API_URL:
            repository = f"{target.url} {target.location}"
        if target.scope is None:
            return arg(_tr(GITHUB_WHERE), repository, target.name)
        return arg(_tr(GITHUB_ENVIRONMENT_WHERE), repository, target.name, target.scope)
    return arg(_tr(GITLAB_WHERE), target.url, target.location, target.name, target.scope or "*")


def confirmation_in_words(receipt: Receipt, kind: str) -> str:
    """How a destination of ``kind`` confirmed a push, in the user's language: the
    version Vault read back, or GitHub's or GitLab's listing of the secret."""
    if receipt.version is not None:
        return arg(
            QCoreApplication.translate("DestinationsModel", "read back, version %1"),
            receipt.version,
        )
    service = targets.SERVICE_NAMES.get(kind)
    if service is None:
        return QCoreApplication.translate("DestinationsModel", "listed")
    return arg(QCoreApplication.translate("DestinationsModel", "listed by %1"), service)


def missing_credential(record: DestinationRecord) -> str | None:
    """ "Set VAULT_TOKEN (or BAO_TOKEN) before pushing" when none of the variables the
    destination reads its credential from is set where the service runs, else None."""
    variables = record.credential_variables
    if record.credential_set or not variables:
        return None
    first, *others = variables
    if others:
        return arg(
            QCoreApplication.translate("DestinationsModel", "Set %1 (or %2) before pushing"),
            first,
            QCoreApplication.translate("DestinationsModel", " or ").join(others),
        )
    return arg(QCoreApplication.translate("DestinationsModel", "Set %1 before pushing"), first)


def last_push_text(record: DestinationRecord, now: datetime) -> str:
    """ "3 minutes ago, pushed"; "Never"."""
    if record.last_push_at is None:
        return QCoreApplication.translate("DestinationsModel", "Never")
    when = relative(record.last_push_at, now)
    outcome = record.last_push_outcome
    if outcome is None:
        return when
    return arg(
        QCoreApplication.translate("DestinationsModel", "%1, %2"),
        when,
        _tr(OUTCOMES.get(outcome, outcome)),
    )


class DestinationsModel(RecordListModel[DestinationRecord]):
    """Rows of DestinationRecord, read-only, by name (as the service lists them)."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(_headers, _TIMES, parent, clock=clock)

    def set_destinations(self, records: list[DestinationRecord]) -> None:
        self.set_records(records)

    def missing(self, record: DestinationRecord) -> str | None:
        return missing_credential(record)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        record = self._row(index)
        if record is None:
            return None
        column = DestinationColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._shown(record, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            shown = self._shown(record, column)
            missing = self.missing(record) if column == DestinationColumn.NAME else None
            return shown if missing is None else f"{shown}. {missing}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, column)
        if role == Qt.ItemDataRole.DecorationRole:
            warned = (column == DestinationColumn.NAME and self.missing(record) is not None) or (
                column == DestinationColumn.LAST_PUSH and record.last_push_outcome in _FAILED
            )
            return resources.icon("warning") if warned else None
        return None

    def _shown(self, record: DestinationRecord, column: DestinationColumn) -> str:
        if column == DestinationColumn.NAME:
            return record.name
        if column == DestinationColumn.WHERE:
            return where_in_words(record)
        return last_push_text(record, self._clock())

    def _tooltip(self, record: DestinationRecord, column: DestinationColumn) -> str | None:
        if column == DestinationColumn.NAME:
            said = arg(
                QCoreApplication.translate("DestinationsModel", "Added by %1"), record.created_by
            )
            missing = self.missing(record)
            return said if missing is None else f"{missing}\n{said}"
        if column == DestinationColumn.WHERE:
            return arg(
                QCoreApplication.translate("DestinationsModel", "%1\nCredential from %2"),
                where_in_words(record),
                ", ".join(record.credential_variables),
            )
        if record.last_push_at is None:
            return QCoreApplication.translate(
                "DestinationsModel", "Nothing was pushed or tested here yet."
            )
        detail = record.last_push_detail or ""
        return f"{exact(record.last_push_at)}\n{detail}".strip()


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("DestinationsModel", source)


# The columns that say a time ("5 minutes ago"), from the first to the last.
_TIMES = (DestinationColumn.LAST_PUSH, DestinationColumn.LAST_PUSH)


def _headers() -> list[str]:
    return [_tr(HEADERS[column]) for column in DestinationColumn]
