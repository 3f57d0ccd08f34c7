"""Keeping the main window up to date with the other clients of its database: other
workstations and the command line change the same projects and tokens.

The window asks every few seconds (one read of a single row: the change counter), and
whenever it is activated again; when the counter moved, the visible page reads again.
Loaded after the window's first paint, with the store.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStatusBar, QWidget

from app.errors import DeploymentTokensError
from ui.translated import arg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService
    from ui.navigation import Navigation
    from ui.pages.project import ProjectPage

log = logging.getLogger(__name__)


class Window(Protocol):
    """What the watcher needs of the main window."""

    def current_page(self) -> QWidget: ...
    def show_status(self, message: str) -> None: ...
    def update_salt_status(self) -> None: ...
    def update_access(self) -> None: ...
    def update_read_only(self) -> bool: ...
    def statusBar(self) -> QStatusBar: ...


class ChangeWatcher(QObject):
    """Refreshes ``window``'s visible page when another client changed the database;
    follows the open project to its new name, or back to the list, through
    ``navigation``."""

    def __init__(
        self,
        window: Window,
        navigation: Navigation,
        service: TokenService,
        interval_ms: int,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._navigation = navigation
        self._service = service
        self._interval_ms = interval_ms
        self._seen_revision: int | None = None
        self._unreachable = False
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def stop(self) -> None:
        """For good: the database is being closed, and a check after that would open a
        new connection that nobody closes."""
        self._timer.stop()
        self._stopped = True

    def check(self, *, always: bool = False) -> None:
        """Refresh the visible page if any client changed the database since last time.

        With ``always`` (the window was just activated), refresh even if the counter did
        not move. Failures go to the status bar: a background check never pops up a box.
        """
        if self._stopped:
            return
        try:
            revision = self._service.revision()
            if always:
                self._window.update_salt_status()  # the user may have fixed it, or broken it
            moved = revision != self._seen_revision
            # A file made read-only or writable again (its permissions, not its data):
            # what the pages let the user do follows, as after a grant.
            moved = self._window.update_read_only() or moved
            if moved and self._seen_revision is not None:
                # A grant or a revoke moves the counter too: who you are, what you may.
                self._window.update_access()
            if always or moved:
                self._refresh_visible_page(levels=moved)
            self._seen_revision = revision
        except DeploymentTokensError as error:
            self._unreachable_now(error)
            return
        if self._unreachable:
            self._unreachable = False
            self._window.statusBar().setToolTip("")
            self._window.show_status(self.tr("The database is reachable again."))

    def _refresh_visible_page(self, *, levels: bool) -> None:
        page = self._window.current_page()
        projects_page, project_page = self._navigation.built_pages()
        if projects_page is not None and page is projects_page:
            projects_page.reload()
        elif project_page is not None and page is project_page and self._still_there(project_page):
            project_page.refresh(levels=levels)

    def _unreachable_now(self, error: DeploymentTokensError) -> None:
        if not self._unreachable:
            log.warning("checking for changes failed: %s", error)
        self._unreachable = True
        # The first clause only: the status bar is one short line; the whole message is
        # its tooltip.
        reason = str(error).split(";")[0]
        status_bar = self._window.statusBar()
        status_bar.showMessage(
            arg(
                self.tr("Cannot check for changes: %1. Checking again every %2 s."),
                reason,
                self._interval_ms // 1000,
            )
        )
        status_bar.setToolTip(str(error))

    def _still_there(self, page: ProjectPage) -> bool:
        """Follow the open project if another client renamed it; go back to the list,
        saying so, if it deleted it. Whether the page still shows a project."""
        shown = page.project
        if shown is None:
            return False
        name = self._service.project_name(shown.id)
        if name is not None and name != shown.name:
            renamed = self._service.find_project(name)
            if renamed is not None:
                page.follow(renamed)
                self._navigation.follow_renamed_project(renamed)
                self._window.show_status(
                    arg(
                        self.tr("The project “%1” was renamed to “%2” elsewhere."),
                        shown.name,
                        renamed.name,
                    )
                )
                return True
            name = None  # deleted too, between the two reads
        if name is None:
            page.forget_project()
            self._navigation.forget_if_last(shown.name)
            self._navigation.show_projects()
            said = (
                self.tr("The project “%1” was deleted by another client.")
                if self._sees_every_project()
                else self.tr(
                    "The project “%1” is gone: another client deleted it, or an admin "
                    "revoked your access to it."
                )
            )
            self._window.show_status(said.replace("%1", shown.name))
            return False
        return True

    def _sees_every_project(self) -> bool:
        """Whether a project gone from sight can only have been deleted: on SQLite, or
        for a role with a level on every project. Otherwise (PostgreSQL reads a project
        the role may no longer see as unknown) its access may have been revoked."""
        if self._service.storage.is_sqlite:
            return True
        levels = self._service.whoami().levels
        return any(held.project is None for held in levels)
