"""What the main window's own actions let the user do, and its status bar saying why:
who the user is (the PostgreSQL login role and its levels, or the SQLite file's one
user), whether the SQLite file is read-only, and New project and Report a leaked token
enabled or disabled accordingly.

Loaded after the window's first paint, with the store.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow

from app.errors import DeploymentTokensError
from app.read_only import read_only_reason
from app.records import Identity
from ui import access
from ui.access import level_name
from ui.translated import arg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService


class WindowAccess(QObject):
    """Keeps ``window``'s status bar and its two writing actions, ``new_project`` and
    ``report_leak``, up to date with what ``service``'s database allows; ``identity``
    is the status bar's who-you-are."""

    def __init__(
        self,
        window: QMainWindow,
        service: TokenService,
        identity: QLabel,
        new_project: QAction,
        report_leak: QAction,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._identity = identity
        self._new_project = new_project
        self._report_leak = report_leak
        self._read_only: str | None = None
        # Adding a project needs admin on every project (read in update_identity).
        self._new_project_refusal: str | None = None

    def new_project_refusal(self) -> str | None:
        """Why New project is disabled for this role (None: it is not)."""
        return self._new_project_refusal

    def read_only_reason(self) -> str | None:
        """What is read-only about the database (the file, a file beside it), or None."""
        return self._read_only

    def update_identity(self) -> bool:
        """Say who you are, and enable New project only for an admin of every project.
        False when who you are could not be read (the change check says why)."""
        try:
            identity = self._service.whoami()
        except DeploymentTokensError:
            return False
        controlled = not self._service.storage.is_sqlite
        shown, tooltip = identity_text(identity, controlled=controlled)
        self._identity.setText(shown)
        self._identity.setToolTip(tooltip)
        self._identity.setAccessibleName(shown)
        self._identity.setAccessibleDescription(tooltip)
        refusal = access.everywhere(identity, controlled=controlled).refusal(access.ADMIN)
        self._new_project_refusal = refusal
        if self._read_only is None:  # a read-only file says so already
            access.show_action_refusal(self._new_project, refusal)
        return True

    def update_read_only(self) -> bool:
        """Look again whether the SQLite file may be changed (someone may have fixed its
        permissions, or taken them away), say so in the status bar and disable the
        window's writing actions with the reason; True when that changed. Cheap: a few
        stats, run with each change check."""
        service = self._service
        reason = read_only_reason(Path(service.location)) if service.storage.is_sqlite else None
        label = self._window.findChild(QLabel, "readOnlyStatus")
        if reason == self._read_only and (reason is None) == (label is None):
            return False
        self._read_only = reason
        if reason is None:
            if label is not None:
                self._window.statusBar().removeWidget(label)
                label.deleteLater()
            self._report_leak.setEnabled(True)
            self._report_leak.setToolTip("")
            self._report_leak.setStatusTip("")
            access.show_action_refusal(self._new_project, self._new_project_refusal)
            return True
        said = self.tr("Read-only: %1").replace("%1", reason)
        if label is None:
            label = QLabel()
            label.setObjectName("readOnlyStatus")
            label.setWordWrap(True)
            label.setAccessibleName(self.tr("Read-only database"))
            self._window.statusBar().addWidget(label, 1)
        label.setText(said)
        label.setAccessibleDescription(said)
        for action in (self._new_project, self._report_leak):
            action.setEnabled(False)
            action.setToolTip(said)
            action.setStatusTip(said)
        return True


def identity_text(identity: Identity, *, controlled: bool) -> tuple[str, str]:
    """The status bar's who-you-are and its tooltip: the login role and its levels on
    PostgreSQL; on SQLite, the operating-system user, the file's one user."""
    if not controlled:
        return (
            arg(QCoreApplication.translate("WindowAccess", "User: %1"), identity.role),
            arg(
                QCoreApplication.translate(
                    "WindowAccess",
                    "You are %1, the one user of the SQLite file %2, and admin of every "
                    "project. Access control needs PostgreSQL.",
                ),
                identity.role,
                identity.database,
            ),
        )
    held = [
        arg(
            QCoreApplication.translate("WindowAccess", "%1 on all projects"),
            level_name(record.level),
        )
        if record.project is None
        else arg(
            QCoreApplication.translate("WindowAccess", "%1 on %2"),
            level_name(record.level),
            record.project,
        )
        for record in identity.levels
    ]
    levels = (
        arg(QCoreApplication.translate("WindowAccess", "Your levels: %1."), "; ".join(held))
        if held
        else QCoreApplication.translate(
            "WindowAccess", "You hold no level yet: ask an admin for one."
        )
    )
    return (
        arg(QCoreApplication.translate("WindowAccess", "Role: %1"), identity.role),
        arg(
            QCoreApplication.translate(
                "WindowAccess",
                "You are the PostgreSQL login role %1 on %2, and the database decides what "
                "you may do. %3",
            ),
            identity.role,
            identity.database,
            levels,
        ),
    )
