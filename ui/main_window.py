"""The main window: the global sidebar (Projects) beside the page it opens."""

from __future__ import annotations

import logging
from typing import cast

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app.errors import DeploymentTokensError
from app.service import ProjectRecord, TokenService
from ui import resources
from ui.clipboard import SecretClipboard
from ui.project_page import DEPLOYMENT_TOKENS, ProjectPage
from ui.projects_page import ProjectsPage

log = logging.getLogger(__name__)

APP_NAME = "Deployment Tokens"
PROJECTS = "Projects"
STATUS_TIMEOUT_MS = 8_000
# How often the window asks the database whether another client changed something: one
# read of a single row, so it can be frequent.
CHANGE_CHECK_MS = 5_000
# QSettings keys. Settings hold layout and navigation only, never a token.
GEOMETRY_KEY = "window/geometry"
LAST_PROJECT_KEY = "window/lastProject"


class MainWindow(QMainWindow):
    def __init__(
        self,
        service: TokenService,
        settings: QSettings,
        clipboard: SecretClipboard,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(resources.app_icon())
        self._service = service
        self._settings = settings
        self._clipboard = clipboard
        clipboard.setParent(self)

        self._sidebar = QListWidget()
        self._sidebar.setObjectName("globalSidebar")
        self._sidebar.setAccessibleName("Global sidebar")
        self._sidebar.setIconSize(QSize(18, 18))
        self._sidebar.setStyleSheet("::item { padding: 5px 4px; }")
        self._projects_item = QListWidgetItem(resources.icon("projects"), PROJECTS)
        self._sidebar.addItem(self._projects_item)
        self._sidebar.setFixedWidth(self._sidebar.fontMetrics().horizontalAdvance(PROJECTS) + 80)
        # Click, Enter, or selection by any other means: each shows the Projects page.
        self._sidebar.itemClicked.connect(self._sidebar_chosen)
        self._sidebar.itemActivated.connect(self._sidebar_chosen)
        self._sidebar.currentItemChanged.connect(self._sidebar_chosen)

        self._projects_page = ProjectsPage(service)
        self._projects_page.project_opened.connect(self.open_project)
        self._project_page = ProjectPage(service, clipboard)
        self._pages = QStackedWidget()
        self._pages.addWidget(self._projects_page)
        self._pages.addWidget(self._project_page)
        for page in (self._projects_page, self._project_page):
            page.status_message.connect(self.show_status)
        clipboard.cleared.connect(
            lambda: self.show_status("The clipboard was cleared of the deployment token.")
        )

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._sidebar)
        layout.addWidget(self._pages, 1)
        self.setCentralWidget(central)

        location = QLabel(f"Database: {service.location}")
        location.setObjectName("databaseLocation")
        location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(location)

        self._build_menus()
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self._focus_filter)

        # Other workstations and the command line change the same database.
        self._seen_revision: int | None = None
        self._unreachable = False
        self._change_check = QTimer(self)
        self._change_check.setInterval(CHANGE_CHECK_MS)
        self._change_check.timeout.connect(self.check_for_changes)
        self._change_check.start()

        self.resize(1060, 680)
        geometry = settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray):  # anything else is a hand-edited file: ignore it
            self.restoreGeometry(geometry)
        self._restore_last_project()

    @property
    def service(self) -> TokenService:
        return self._service

    # Navigation

    def sidebar(self) -> QListWidget:
        return self._sidebar

    def projects_page(self) -> ProjectsPage:
        return self._projects_page

    def project_page(self) -> ProjectPage:
        return self._project_page

    def current_page(self) -> QWidget:
        return cast("QWidget", self._pages.currentWidget())

    def show_projects(self) -> None:
        self._projects_page.refresh()
        self._pages.setCurrentWidget(self._projects_page)
        self.setWindowTitle(APP_NAME)
        self._select_in_sidebar(self._projects_item)
        self._projects_page.setFocus()

    def open_project(self, project: ProjectRecord, pane: str | None = None) -> None:
        if pane is None:
            self._project_page.show_project(project)
        else:
            self._project_page.show_project(project, pane)
        self._pages.setCurrentWidget(self._project_page)
        self.setWindowTitle(f"{project.name} \N{EN DASH} {APP_NAME}")
        # No sidebar entry is current on a project page, so choosing Projects by any
        # means (a click, the keyboard, setCurrentItem) always leads back to the list.
        self._select_in_sidebar(None)
        self._project_page.sidebar().setFocus()
        self._settings.setValue(LAST_PROJECT_KEY, project.name)

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)

    def check_for_changes(self, *, always: bool = False) -> None:
        """Refresh the visible page if any client changed the database since last time.

        With ``always`` (the window was just activated), refresh even if the counter did
        not move. Failures go to the status bar: a background check never pops up a box.
        """
        try:
            revision = self._service.revision()
            if always or revision != self._seen_revision:
                page = self.current_page()
                if page is self._projects_page:
                    self._projects_page.reload()
                elif page is self._project_page:
                    self._project_page.refresh()
            self._seen_revision = revision
        except DeploymentTokensError as error:
            if not self._unreachable:
                log.warning("checking for changes failed: %s", error)
            self._unreachable = True
            # The first clause only: the status bar is one short line; the whole
            # message is its tooltip.
            reason = str(error).split(";")[0]
            self.statusBar().showMessage(
                f"Cannot check for changes: {reason}. Checking again every "
                f"{CHANGE_CHECK_MS // 1000} s."
            )
            self.statusBar().setToolTip(str(error))
            return
        if self._unreachable:
            self._unreachable = False
            self.statusBar().setToolTip("")
            self.show_status("The database is reachable again.")

    # Qt events

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if resources.is_palette_change(event):
            self._projects_item.setIcon(resources.icon("projects"))
        elif event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            # Back from another window (perhaps another client): show what changed there.
            self.check_for_changes(always=True)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.sync()
        # A token left on the clipboard should not outlive the app that put it there.
        self._clipboard.clear_if_still_ours()
        super().closeEvent(event)

    # Helpers

    def _sidebar_chosen(self, item: QListWidgetItem | None, *_: object) -> None:
        if item is self._projects_item:
            self.show_projects()

    def _select_in_sidebar(self, item: QListWidgetItem | None) -> None:
        """Mark ``item`` current without taking it for a user's choice (no signal)."""
        self._sidebar.blockSignals(True)
        if item is None:
            self._sidebar.setCurrentRow(-1)
        else:
            self._sidebar.setCurrentItem(item)
        self._sidebar.blockSignals(False)

    def _restore_last_project(self) -> None:
        """Reopen the project the user last worked on, if it still exists."""
        self.show_projects()
        last = self._settings.value(LAST_PROJECT_KEY)
        if not isinstance(last, str):
            return
        for project in self._projects_page.projects():
            if project.name == last:
                self.open_project(project, DEPLOYMENT_TOKENS)
                return

    def _focus_filter(self) -> None:
        self.show_projects()
        self._projects_page.filter_box().setFocus()
        self._projects_page.filter_box().selectAll()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        # Not StandardKey.Quit: some platforms leave it unbound. Qt maps Ctrl to Cmd on macOS.
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction(f"&About {APP_NAME}", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _about(self) -> None:
        box = QMessageBox(self)
        box.setIconPixmap(resources.app_icon().pixmap(QSize(64, 64)))
        box.setWindowTitle(f"About {APP_NAME}")
        box.setText(f"<b>{APP_NAME}</b>")
        box.setInformativeText(
            "Generate and revoke project tokens for external deployment automation.<br>"
            f"Database: {self._service.location}"
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
