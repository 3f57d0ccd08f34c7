"""Who may do what, as the window shows it: the level PostgreSQL gives this login role on
a project (or on every project), and what the window says about an action above it.

The database decides (``app.use_cases.access``); the window only explains. What is
above the user's level stays visible but disabled, its tooltip and accessible
description saying which level it needs and who the project's admins are. A project's
level is read when the project opens and again when the change counter moves (a grant
moves it), never per paint. On SQLite the one local user is admin of everything: nothing
is read and nothing is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from app.access_levels import ACCESS_LEVELS, ADMIN, MANAGER, VIEWER, level_rank
from app.records import Identity
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

__all__ = ["ACCESS_LEVELS", "ADMIN", "MANAGER", "VIEWER", "Permissions", "rank"]

# The levels as the window names them. English keeps the database's words, which the
# command line takes (`access grant bob --as manager`).
LEVEL_NAMES = {
    VIEWER: QT_TRANSLATE_NOOP("Access", "viewer"),
    MANAGER: QT_TRANSLATE_NOOP("Access", "manager"),
    ADMIN: QT_TRANSLATE_NOOP("Access", "admin"),
}
# What each level may do on a project (beside the project's heading, in Grant…).
LEVEL_MEANINGS = {
    VIEWER: QT_TRANSLATE_NOOP(
        "Access",
        "A viewer sees the project's tokens, environments, token policy and audit log, "
        "and changes nothing.",
    ),
    MANAGER: QT_TRANSLATE_NOOP(
        "Access",
        "A manager also generates, rotates, renames and deletes its tokens.",
    ),
    ADMIN: QT_TRANSLATE_NOOP(
        "Access",
        "An admin also changes its token policy, environments and members, and renames "
        "and deletes it.",
    ),
}


def level_name(level: str | None) -> str:
    """A level as the window names it, in the user's language ("" for none)."""
    if level is None:
        return ""
    return QCoreApplication.translate("Access", LEVEL_NAMES.get(level, level))


def level_meaning(level: str | None) -> str:
    """What a level may do, in the user's language ("" for none)."""
    if level not in LEVEL_MEANINGS:
        return ""
    return QCoreApplication.translate("Access", LEVEL_MEANINGS[level])


def rank(level: str | None) -> int:
    """0 for no level (or one this version does not know), then viewer, manager, admin."""
    return level_rank(level) if level in ACCESS_LEVELS else 0


@dataclass(frozen=True, slots=True)
class Permissions:
    """This role's level on ``project`` (None: on every project), and who to ask for
    more (the project's admins). ``controlled`` is False on SQLite, where the one user
    is admin of everything and no level is worth showing."""

    project: str | None
    level: str | None
    admins: tuple[str, ...] = ()
    controlled: bool = True
    # Why nothing can be changed whatever the level: a read-only SQLite file or folder
    # (app.read_only), or None.
    read_only: str | None = None

    def allows(self, needed: str) -> bool:
        if self.read_only is not None and rank(needed) > rank(VIEWER):
            return False
        return rank(self.level) >= rank(needed)

    def refusal(self, needed: str) -> str | None:
        """Why an action that needs ``needed`` is disabled ("Needs manager on web. Ask
        an admin: alice, deploy_tokens."; "Read-only: the database file … is
        read-only: …"), or None when this role may do it."""
        if self.allows(needed):
            return None
        if self.read_only is not None and rank(needed) > rank(VIEWER):
            return arg(QCoreApplication.translate("Access", "Read-only: %1"), self.read_only)
        if self.project is None:
            said = arg(
                QCoreApplication.translate("Access", "Needs %1 on all projects."),
                level_name(needed),
            )
        else:
            said = arg(
                QCoreApplication.translate("Access", "Needs %1 on %2."),
                level_name(needed),
                self.project,
            )
        if self.admins:
            said += " " + arg(
                QCoreApplication.translate("Access", "Ask an admin: %1."),
                ", ".join(self.admins),
            )
        return said


def everything(project: str | None) -> Permissions:
    """SQLite's one user: admin of every project."""
    return Permissions(project, ADMIN, (), controlled=False)


def read_project(service: TokenService, project: str) -> Permissions:
    """This role's level on ``project``, and (below admin) its admins: one or two reads
    on PostgreSQL, none on SQLite. Raises the service's errors (a project this role may
    no longer see is unknown)."""
    if service.storage.is_sqlite:
        from app.read_only import read_only_reason

        reason = read_only_reason(Path(service.location))
        return Permissions(project, ADMIN, (), controlled=False, read_only=reason)
    level = service.access_level(project)
    admins = () if level == ADMIN else tuple(service.project_admins(project))
    return Permissions(project, level, admins)


def everywhere(identity: Identity | None, *, controlled: bool) -> Permissions:
    """This role's level on every project (what adding a project needs), from whoami."""
    if not controlled:
        return everything(None)
    levels = [] if identity is None else [a.level for a in identity.levels if a.project is None]
    return Permissions(None, max(levels, key=rank, default=None))


def show_refusal(widget: QWidget, refusal: str | None, tooltip: str = "") -> None:
    """Enable ``widget`` or disable it saying why, in its tooltip and its accessible
    description (``tooltip`` is what it says when enabled)."""
    widget.setEnabled(refusal is None)
    widget.setToolTip(refusal or tooltip)
    widget.setAccessibleDescription(refusal or "")


def show_action_refusal(action: QAction, refusal: str | None, tooltip: str = "") -> None:
    """The same for a menu entry: its tooltip and status tip say why."""
    action.setEnabled(refusal is None)
    action.setToolTip(refusal or tooltip or action.text().replace("&", ""))
    action.setStatusTip(refusal or "")
