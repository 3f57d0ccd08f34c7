"""A project's trusted deployers, as the Trusted deployers pane lists them: each binding's
issuer in short, its claims in words, the environments its tokens are for, their
lifetime and the last exchange; a warning icon on a weak binding."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from enum import IntEnum
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt

from app.oidc import bindings
from app.records import utc_now
from ui import resources
from ui.models.record_list import RecordListModel
from ui.relative_time import exact, relative
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from PySide6.QtCore import QPersistentModelIndex

    from app.use_cases.deployers import DeployerRecord

    AnyIndex = QModelIndex | QPersistentModelIndex


class DeployerColumn(IntEnum):
    ISSUER = 0
    CLAIMS = 1
    ENVIRONMENTS = 2
    LIFETIME = 3
    LAST_EXCHANGE = 4


HEADERS = {
    DeployerColumn.ISSUER: QT_TRANSLATE_NOOP("DeployersModel", "Issuer"),
    DeployerColumn.CLAIMS: QT_TRANSLATE_NOOP("DeployersModel", "Trusted jobs"),
    DeployerColumn.ENVIRONMENTS: QT_TRANSLATE_NOOP("DeployersModel", "Tokens for"),
    DeployerColumn.LIFETIME: QT_TRANSLATE_NOOP("DeployersModel", "Lifetime"),
    DeployerColumn.LAST_EXCHANGE: QT_TRANSLATE_NOOP("DeployersModel", "Last exchange"),
}
GITHUB = QT_TRANSLATE_NOOP("DeployersModel", "GitHub Actions")
GITLAB = QT_TRANSLATE_NOOP("DeployersModel", "GitLab %1")
# Claims said in words; any other is said as KEY=VALUE.
CLAIM_WORDS = {
    "repository_id": QT_TRANSLATE_NOOP("DeployersModel", "repository id %1"),
    "repository_owner_id": QT_TRANSLATE_NOOP("DeployersModel", "owner id %1"),
    "project_id": QT_TRANSLATE_NOOP("DeployersModel", "project %1"),
    "namespace_id": QT_TRANSLATE_NOOP("DeployersModel", "group id %1"),
    "environment": QT_TRANSLATE_NOOP("DeployersModel", "environment %1"),
    "ref": QT_TRANSLATE_NOOP("DeployersModel", "ref %1"),
}
GITHUB_REPOSITORY = QT_TRANSLATE_NOOP("DeployersModel", "GitHub %1 (id %2)")
PROTECTED_REFS = QT_TRANSLATE_NOOP("DeployersModel", "protected refs only")
# The order claims are said in: who first, what pins it last.
_ORDER = ("repository_id", "project_id", "namespace_id", "repository_owner_id")
_LAST = ("ref", "ref_protected", "environment")


def issuer_name(issuer: str) -> str:
    """An issuer in short: "GitHub Actions", "GitLab gitlab.example.com", else its host."""
    if issuer.rstrip("/") == bindings.GITHUB_ISSUER:
        return _tr(GITHUB)
    host = urlsplit(issuer).hostname or issuer
    if host == "gitlab.com" or host.startswith("gitlab."):
        return arg(_tr(GITLAB), host)
    return host


def claims_in_words(name: str, claims: Mapping[str, str]) -> str:
    """A binding's claims as a person says them: "GitHub acme/web (id 123), environment
    production"; "project 42, protected refs only"; "sub=repo:acme/web:ref:refs/heads/main"."""
    keys = sorted(claims, key=_rank)
    said: list[str] = []
    repository = name[len("GitHub ") :] if name.startswith("GitHub ") else ""
    for key in keys:
        value = claims[key]
        if key == "repository_id" and repository:
            said.append(arg(_tr(GITHUB_REPOSITORY), repository, value))
        elif key == "repository_owner_id" and repository and "repository_id" in claims:
            continue  # the repository's id says it; the tooltip lists every claim
        elif key == "ref_protected" and value == "true":
            said.append(_tr(PROTECTED_REFS))
        elif key in CLAIM_WORDS:
            said.append(arg(_tr(CLAIM_WORDS[key]), value))
        else:
            said.append(f"{key}={value}")
    return ", ".join(said)


def environments_text(environments: tuple[str, ...]) -> str:
    return (
        ", ".join(environments)
        if environments
        else QCoreApplication.translate("DeployersModel", "every environment")
    )


def lifetime_text(lifetime: timedelta) -> str:
    """ "15 min", "1 h"."""
    minutes = int(lifetime.total_seconds()) // 60
    if minutes and minutes % 60 == 0:
        return arg(QCoreApplication.translate("DeployersModel", "%1 h"), minutes // 60)
    return arg(QCoreApplication.translate("DeployersModel", "%1 min"), minutes)


def weaknesses(record: DeployerRecord) -> list[str]:
    """What is weak about the binding, as the service says it when one is added."""
    return bindings.weaknesses(record.claims)


class DeployersModel(RecordListModel["DeployerRecord"]):  # (imported to check types only)
    """Rows of DeployerRecord, read-only, oldest first."""

    def __init__(
        self, parent: QObject | None = None, *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__(_headers, _TIMES, parent, clock=clock)

    def set_deployers(self, records: list[DeployerRecord]) -> None:
        self.set_records(sorted(records, key=lambda r: r.id))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        record = self._row(index)
        if record is None:
            return None
        column = DeployerColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._shown(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, column)
        if column == DeployerColumn.CLAIMS and weaknesses(record):
            if role == Qt.ItemDataRole.DecorationRole:
                return resources.icon("warning")
            if role == Qt.ItemDataRole.AccessibleDescriptionRole:
                return QCoreApplication.translate(
                    "DeployersModel", "A weak binding: see the warning above the table"
                )
        return None

    def _shown(self, record: DeployerRecord, column: DeployerColumn) -> str:
        if column == DeployerColumn.ISSUER:
            return issuer_name(record.issuer)
        if column == DeployerColumn.CLAIMS:
            return claims_in_words(record.name, record.claims)
        if column == DeployerColumn.ENVIRONMENTS:
            return environments_text(record.environments)
        if column == DeployerColumn.LIFETIME:
            return lifetime_text(record.lifetime)
        return relative(record.last_exchanged_at, self._clock())

    def _tooltip(self, record: DeployerRecord, column: DeployerColumn) -> str | None:
        if column == DeployerColumn.ISSUER:
            return record.issuer
        if column == DeployerColumn.CLAIMS:
            said = arg(
                QCoreApplication.translate(
                    "DeployersModel", "Audience: %1\nClaims that must match: %2\nTokens named: %3"
                ),
                record.audience,
                bindings.describe_claims(record.claims),
                record.name,
            )
            found = weaknesses(record)
            return said + "".join(f"\n⚠ {warning}" for warning in found)
        if column == DeployerColumn.LAST_EXCHANGE:
            if record.last_exchanged_at is None:
                return QCoreApplication.translate(
                    "DeployersModel", "No CI job has exchanged an ID token for this binding yet."
                )
            return exact(record.last_exchanged_at)
        return None


def _rank(key: str) -> tuple[int, int | str]:
    if key in _ORDER:
        return (0, _ORDER.index(key))
    if key in _LAST:
        return (2, _LAST.index(key))
    return (1, key)


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("DeployersModel", source)


# The columns that say a time ("5 minutes ago"), from the first to the last.
_TIMES = (DeployerColumn.LAST_EXCHANGE, DeployerColumn.LAST_EXCHANGE)


def _headers() -> list[str]:
    return [_tr(HEADERS[column]) for column in DeployerColumn]
