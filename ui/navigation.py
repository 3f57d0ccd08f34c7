"""The way between the main window's pages: the project list and a project's page, built
when first shown, the window's title, and the project to reopen at the next start.

Loaded after the window's first paint, with the store and the pages.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QStackedWidget

from ui.main_window import APP_NAME, LAST_PROJECT_KEY

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.records import ProjectRecord
    from app.service import TokenService
    from ui.clipboard import SecretClipboard
    from ui.pages.project import ProjectPage
    from ui.pages.projects import ProjectsPage


class Window(Protocol):
    """What navigation needs of the main window."""

    def show_status(self, message: str) -> None: ...
    def setWindowTitle(self, title: str) -> None: ...
    def mark_projects_chosen(self, chosen: bool) -> None: ...
    def is_compact(self) -> bool: ...
    def new_project_refusal(self) -> str | None: ...


class Navigation:
    """Shows ``window``'s pages in ``stack``."""

    def __init__(
        self,
        window: Window,
        stack: QStackedWidget,
        service: TokenService,
        clipboard: SecretClipboard,
        settings: QSettings,
    ) -> None:
        self._window = window
        self._stack = stack
        self._service = service
        self._clipboard = clipboard
        self._settings = settings
        self._projects_page: ProjectsPage | None = None
        self._project_page: ProjectPage | None = None

    def projects_page(self) -> ProjectsPage:
        """The project list; built when first shown, since a window that reopens the
        last project shows that project's tokens first (and should show them soonest)."""
        if self._projects_page is None:
            from ui.pages.projects import ProjectsPage

            page = ProjectsPage(self._service)
            page.project_opened.connect(self.open_project)
            page.status_message.connect(self._window.show_status)
            page.project_renamed.connect(self._listed_project_renamed)
            page.project_deleted.connect(self.forget_if_last)
            page.set_new_project_refusal(self._window.new_project_refusal())
            self._stack.addWidget(page)
            self._projects_page = page
            page.refresh()
        return self._projects_page

    def project_page(self) -> ProjectPage:
        """The page of one project; built when a project is first opened, since the
        project list is what the window shows first (and should show soonest)."""
        if self._project_page is None:
            from ui.pages.project import ProjectPage

            page = ProjectPage(self._service, self._clipboard)
            # The columns the user chose for the tokens table are remembered with the
            # window's other layout settings.
            page.tokens_pane().remember_columns_in(self._settings)
            page.status_message.connect(self._window.show_status)
            page.project_renamed.connect(self.follow_renamed_project)
            page.project_deleted.connect(self._project_deleted)
            page.set_compact(self._window.is_compact())
            self._stack.addWidget(page)
            self._project_page = page
        return self._project_page

    def built_pages(self) -> tuple[ProjectsPage | None, ProjectPage | None]:
        """The project list and the project page, each if built yet."""
        return self._projects_page, self._project_page

    def show_projects(self) -> None:
        built = self._projects_page is not None
        page = self.projects_page()
        if built:
            page.refresh()  # (a page built just now read them as it was built)
        self._stack.setCurrentWidget(page)
        self._window.setWindowTitle(APP_NAME)
        self._window.mark_projects_chosen(True)
        page.setFocus()

    def open_project(self, project: ProjectRecord, pane: str | None = None) -> None:
        page = self.project_page()
        if pane is None:
            page.show_project(project)
        else:
            page.show_project(project, pane)
        self._stack.setCurrentWidget(page)
        self._window.setWindowTitle(f"{project.name} \N{EN DASH} {APP_NAME}")
        # No sidebar entry is current on a project page, so choosing Projects by any
        # means (a click, the keyboard, setCurrentItem) always leads back to the list.
        self._window.mark_projects_chosen(False)
        page.sidebar().setFocus()
        self._settings.setValue(LAST_PROJECT_KEY, project.name)

    def restore_last_project(self) -> None:
        """Reopen the project the user last worked on, if it still exists; else the list."""
        last = self._settings.value(LAST_PROJECT_KEY)
        project = self._service.find_project(last) if isinstance(last, str) else None
        if project is None:
            self.show_projects()
            return
        # The project page's module loads only when a project is opened: a first start
        # (or one whose last project is gone) shows the list without it.
        from ui.pages.project import DEPLOYMENT_TOKENS

        self.open_project(project, DEPLOYMENT_TOKENS)

    def follow_renamed_project(self, project: ProjectRecord) -> None:
        """The open project was renamed (here or elsewhere): its new name everywhere."""
        self._window.setWindowTitle(f"{project.name} \N{EN DASH} {APP_NAME}")
        self._settings.setValue(LAST_PROJECT_KEY, project.name)

    def forget_if_last(self, name: str) -> None:
        """Not reopen project ``name`` at the next start: it is gone."""
        if self._settings.value(LAST_PROJECT_KEY) == name:
            self._settings.remove(LAST_PROJECT_KEY)

    def set_compact(self, compact: bool) -> None:
        if self._project_page is not None:
            self._project_page.set_compact(compact)

    def _project_deleted(self, name: str) -> None:
        self.forget_if_last(name)
        self.show_projects()

    def _listed_project_renamed(self, old_name: str, project: ProjectRecord) -> None:
        """Renamed from the project list: the project to reopen keeps up with its name."""
        if self._settings.value(LAST_PROJECT_KEY) == old_name:
            self._settings.setValue(LAST_PROJECT_KEY, project.name)
