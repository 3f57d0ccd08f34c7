"""The main window: the global sidebar (Projects) beside the page it opens."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, QTimer
from PySide6.QtGui import QAction, QFocusEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeploymentTokensError
from ui import resources
from ui.clipboard import SecretClipboard

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QMessageBox, QToolButton

    from app.records import ProjectRecord
    from app.service import TokenService
    from ui.dialogs.report_leak import ReportLeakDialog
    from ui.pages.project import ProjectPage
    from ui.pages.projects import ProjectsPage


APP_NAME = "Deployment Tokens"
REPORT_LEAK = "Report a &leaked token…"
SALT_STATUS = "Tokens cannot be generated: token salt"
# Below this window width the global sidebar shows its icon only.
COMPACT_BELOW = 960
SALT_FIX = (
    "Set ML_DEPLOYMENT_TOKEN_SALT to a random secret of at least 32 characters in the "
    "environment the app starts from (for example in ~/.profile), then restart the app. "
    "Make one with:\n\n    python3 -c 'import secrets; print(secrets.token_urlsafe(48))'\n\n"
    "Every machine that generates or verifies tokens for this database needs the same value."
)
SALT_FINE = "The token salt is set: tokens can be generated."
SALT_KEEP = (
    "Every machine that generates or verifies tokens for this database needs the same "
    "ML_DEPLOYMENT_TOKEN_SALT. Keep it for as long as the tokens made with it should verify."
)
PROJECTS = "Projects"
STATUS_TIMEOUT_MS = 8_000
# How often the window asks the database whether another client changed something: one
# read of a single row, so it can be frequent.
CHANGE_CHECK_MS = 5_000
# QSettings keys. Settings hold layout and navigation only, never a token.
GEOMETRY_KEY = "window/geometry"
LAST_PROJECT_KEY = "window/lastProject"


class MainWindow(QMainWindow):
    """The global sidebar beside the page it opens.

    Built with a service, it is complete at once (``create_main_window``, the tests).
    Built without one, it is a frame that can be shown straight away: ``attach_service``
    adds the pages once the database is open, which ``launch`` does after the first paint
    so that opening the store (importing it, migrating, reading) never delays the window.
    """

    def __init__(
        self,
        service: TokenService | None,
        settings: QSettings,
        clipboard: SecretClipboard,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(resources.app_icon())
        self._service: TokenService | None = None
        self._settings = settings
        self._clipboard = clipboard
        clipboard.setParent(self)

        self._sidebar = _Sidebar()
        self._sidebar.setObjectName("globalSidebar")
        self._sidebar.setAccessibleName("Global sidebar")
        self._sidebar.setIconSize(QSize(18, 18))
        self._sidebar.setStyleSheet("::item { padding: 5px 4px; }")
        # Its icon is drawn in attach_service, after the first paint.
        self._projects_item = QListWidgetItem(PROJECTS)
        self._sidebar.addItem(self._projects_item)
        self._sidebar.setItemDelegate(_SidebarDelegate(self._sidebar))
        self._projects_item.setToolTip(PROJECTS)
        self._sidebar.set_compact(False)
        # Click, Enter, or selection by any other means: each shows the Projects page.
        self._sidebar.itemClicked.connect(self._sidebar_chosen)
        self._sidebar.itemActivated.connect(self._sidebar_chosen)
        # Arrow keys choose too; but an item made current only because the list took
        # focus (Tab from a page: Qt makes the first row current) is not a choice.
        self._sidebar.currentItemChanged.connect(self._sidebar_moved)

        self._pages = QStackedWidget()
        self._pages.addWidget(_opening_page())
        # Made by attach_service.
        self._projects_page: ProjectsPage | None = None
        self._project_page: ProjectPage | None = None
        clipboard.cleared.connect(
            lambda: self.show_status("The clipboard was cleared of the deployment token.")
        )

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._sidebar)
        layout.addWidget(self._pages, 1)
        self.setCentralWidget(central)

        self._location = QLabel()
        self._location.setObjectName("databaseLocation")
        self.statusBar().addPermanentWidget(self._location)

        self._build_menus()

        # Other workstations and the command line change the same database.
        self._seen_revision: int | None = None
        self._unreachable = False
        self._database_closed = False
        self._change_check = QTimer(self)
        self._change_check.setInterval(CHANGE_CHECK_MS)
        self._change_check.timeout.connect(self.check_for_changes)

        self.resize(1060, 680)
        self._fitted = False
        self._salt_button: QToolButton | None = None
        geometry = settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray):  # anything else is a hand-edited file: ignore it
            self.restoreGeometry(geometry)
            self.fit_to_screen()
        if service is not None:
            self.attach_service(service)

    def fit_to_screen(self) -> None:
        """Keep the window inside the screen it opens on: a geometry saved on a larger
        screen, or at another scale, must not open partly off it."""
        screen = self.screen()
        if screen is None:
            return
        available = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_width = frame.width() - self.width()
        extra_height = frame.height() - self.height()
        width = min(self.width(), available.width() - extra_width)
        height = min(self.height(), available.height() - extra_height)
        if (width, height) != (self.width(), self.height()):
            self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))
        frame = self.frameGeometry()
        left = min(max(frame.left(), available.left()), available.right() - frame.width() + 1)
        top = min(max(frame.top(), available.top()), available.bottom() - frame.height() + 1)
        if (left, top) != (frame.left(), frame.top()):
            self.move(left, top)

    def attach_service(self, service: TokenService) -> None:
        """Build the pages over the open database and show the projects (once)."""
        if self._service is not None:
            raise RuntimeError("the main window already has its database")
        # Imported here, not at the top: the pages' modules (and the Qt enums they touch)
        # cost more than the whole frame, and the frame is painted before they load.
        from PySide6.QtCore import Qt

        self._projects_item.setIcon(resources.icon("projects"))
        self._bind_shortcuts()
        self._location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._service = service
        self._report_leak_action.setEnabled(True)
        self._new_project_action.setEnabled(True)
        self._location.setText(f"Database: {service.location}")
        self.update_salt_status()
        self._change_check.start()
        self._restore_last_project()

    @property
    def service(self) -> TokenService:
        if self._service is None:
            raise RuntimeError("the database is not open yet")
        return self._service

    def close_database(self) -> None:
        """Stop checking for changes and close the database: the app is done with it.

        A check that ran after a bare ``service.close()`` (the window deactivated on
        exit) would open a new connection that nobody closes.
        """
        self._change_check.stop()
        self._database_closed = True
        if self._service is not None:
            self._service.close()

    def is_ready(self) -> bool:
        """Whether the database is open and the pages are built."""
        return self._service is not None

    # Navigation

    def sidebar(self) -> QListWidget:
        return self._sidebar

    def projects_page(self) -> ProjectsPage:
        """The project list; built when first shown, since a window that reopens the
        last project shows that project's tokens first (and should show them soonest)."""
        if self._projects_page is None:
            from ui.pages.projects import ProjectsPage

            page = ProjectsPage(self.service)
            page.project_opened.connect(self.open_project)
            page.status_message.connect(self.show_status)
            page.project_renamed.connect(self._listed_project_renamed)
            page.project_deleted.connect(self._forget_if_last)
            self._pages.addWidget(page)
            self._projects_page = page
            page.refresh()
        return self._projects_page

    def project_page(self) -> ProjectPage:
        """The page of one project; built when a project is first opened, since the
        project list is what the window shows first (and should show soonest)."""
        if self._project_page is None:
            from ui.pages.project import ProjectPage

            page = ProjectPage(self.service, self._clipboard)
            page.status_message.connect(self.show_status)
            page.project_renamed.connect(self._project_renamed)
            page.project_deleted.connect(self._project_deleted)
            page.set_compact(self.width() < COMPACT_BELOW)
            self._pages.addWidget(page)
            self._project_page = page
        return self._project_page

    def current_page(self) -> QWidget:
        return cast("QWidget", self._pages.currentWidget())

    def show_projects(self) -> None:
        if self._service is None:
            return  # Still opening the database: the page follows.
        built = self._projects_page is not None
        page = self.projects_page()
        if built:
            page.refresh()  # (a page built just now read them as it was built)
        self._pages.setCurrentWidget(page)
        self.setWindowTitle(APP_NAME)
        self._select_in_sidebar(self._projects_item)
        page.setFocus()

    def open_project(self, project: ProjectRecord, pane: str | None = None) -> None:
        page = self.project_page()
        if pane is None:
            page.show_project(project)
        else:
            page.show_project(project, pane)
        self._pages.setCurrentWidget(page)
        self.setWindowTitle(f"{project.name} \N{EN DASH} {APP_NAME}")
        # No sidebar entry is current on a project page, so choosing Projects by any
        # means (a click, the keyboard, setCurrentItem) always leads back to the list.
        self._select_in_sidebar(None)
        page.sidebar().setFocus()
        self._settings.setValue(LAST_PROJECT_KEY, project.name)

    def _project_renamed(self, project: ProjectRecord) -> None:
        self.setWindowTitle(f"{project.name} \N{EN DASH} {APP_NAME}")
        self._settings.setValue(LAST_PROJECT_KEY, project.name)

    def _project_deleted(self, name: str) -> None:
        self._forget_if_last(name)
        self.show_projects()

    def _listed_project_renamed(self, old_name: str, project: ProjectRecord) -> None:
        """Renamed from the project list: the project to reopen keeps up with its name."""
        if self._settings.value(LAST_PROJECT_KEY) == old_name:
            self._settings.setValue(LAST_PROJECT_KEY, project.name)

    def _forget_if_last(self, name: str) -> None:
        if self._settings.value(LAST_PROJECT_KEY) == name:
            self._settings.remove(LAST_PROJECT_KEY)

    def update_salt_status(self) -> None:
        """Say on every page, in the status bar, when tokens cannot be generated for the
        salt's sake, with the way to fix it one click away."""
        problem = self.service.salt_problem() if self._service is not None else None
        if problem is None:
            if self._salt_button is not None:
                self._salt_button.hide()
            return
        if self._salt_button is None:
            from PySide6.QtCore import Qt
            from PySide6.QtWidgets import QToolButton

            button = QToolButton()
            button.setObjectName("saltStatusButton")
            button.setIcon(resources.icon("warning"))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            button.setText(SALT_STATUS)
            button.setAccessibleName(SALT_STATUS)
            # It looks like status text; the hand says it is also a button.
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(self.explain_salt)
            self.statusBar().insertPermanentWidget(0, button)
            self._salt_button = button
        from ui.dialogs.messages import sentence

        tip = f"{sentence(problem)} Click for how to fix it (also Help > Token salt…)."
        self._salt_button.setToolTip(tip)
        self._salt_button.setAccessibleDescription(tip)
        self._salt_button.show()

    def show_user_guide(self) -> None:
        """Help, User guide: the README that came with this version, in the app."""
        from ui.dialogs.user_guide import UserGuideDialog

        UserGuideDialog(self).open()

    def explain_salt(self) -> QMessageBox:
        """Help > Token salt… and the status bar's indicator: what is wrong with the salt
        and how to set it, with a ready command; or, when it is fine, that it is."""
        from PySide6.QtWidgets import QMessageBox

        from ui.dialogs import messages

        problem = self._service.salt_problem() if self._service is not None else None
        if problem is None:
            return messages.show_message(
                self, "Token salt", SALT_FINE, SALT_KEEP, QMessageBox.Icon.Information
            )
        return messages.show_message(self, "Token salt", messages.sentence(problem), SALT_FIX)

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)

    def check_for_changes(self, *, always: bool = False) -> None:
        """Refresh the visible page if any client changed the database since last time.

        With ``always`` (the window was just activated), refresh even if the counter did
        not move. Failures go to the status bar: a background check never pops up a box.
        """
        if self._service is None or self._database_closed:
            return
        try:
            revision = self._service.revision()
            if always:
                self.update_salt_status()  # the user may have fixed it, or broken it
            if always or revision != self._seen_revision:
                page = self.current_page()
                if self._projects_page is not None and page is self._projects_page:
                    self._projects_page.reload()
                elif (
                    self._project_page is not None
                    and page is self._project_page
                    and self._still_there(self._project_page)
                ):
                    self._project_page.refresh()
            self._seen_revision = revision
        except DeploymentTokensError as error:
            if not self._unreachable:
                import logging  # not at the top: the frame is painted before it loads

                logging.getLogger(__name__).warning("checking for changes failed: %s", error)
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

    def _still_there(self, page: ProjectPage) -> bool:
        """Follow the open project if another client renamed it; go back to the list,
        saying so, if it deleted it. Whether the page still shows a project."""
        shown = page.project
        if shown is None:
            return False
        name = self.service.project_name(shown.id)
        if name is not None and name != shown.name:
            renamed = self.service.find_project(name)
            if renamed is not None:
                page.follow(renamed)
                self._project_renamed(renamed)
                self.show_status(
                    f"The project “{shown.name}” was renamed to “{renamed.name}” elsewhere."
                )
                return True
            name = None  # deleted too, between the two reads
        if name is None:
            page.forget_project()
            self._forget_if_last(shown.name)
            self.show_projects()
            self.show_status(f"The project “{shown.name}” was deleted by another client.")
            return False
        return True

    # Qt events

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            # Once shown the frame's size is known: fit again, frame included.
            self._fitted = True
            self.fit_to_screen()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A narrow window gives the content the width: the sidebars keep their icons only
        # (the entries are still "Projects", "Settings"... to the keyboard, a screen reader
        # and their tooltips).
        compact = self.width() < COMPACT_BELOW
        self._sidebar.set_compact(compact)
        if self._project_page is not None:
            self._project_page.set_compact(compact)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if resources.is_palette_change(event):
            self._projects_item.setIcon(resources.icon("projects"))
            resources.repolish(self._sidebar)
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

    def _sidebar_moved(self, item: QListWidgetItem | None, *_: object) -> None:
        if not self._sidebar.taking_focus:
            self._sidebar_chosen(item)

    def _select_in_sidebar(self, item: QListWidgetItem | None) -> None:
        """Mark ``item`` current without taking it for a user's choice (no signal)."""
        self._sidebar.blockSignals(True)
        if item is None:
            self._sidebar.setCurrentRow(-1)
        else:
            self._sidebar.setCurrentItem(item)
        self._sidebar.blockSignals(False)

    def _restore_last_project(self) -> None:
        """Reopen the project the user last worked on, if it still exists; else the list."""
        last = self._settings.value(LAST_PROJECT_KEY)
        project = self.service.find_project(last) if isinstance(last, str) else None
        if project is None:
            self.show_projects()
            return
        # The project page's module loads only when a project is opened: a first start
        # (or one whose last project is gone) shows the list without it.
        from ui.pages.project import DEPLOYMENT_TOKENS

        self.open_project(project, DEPLOYMENT_TOKENS)

    def _focus_filter(self) -> None:
        if self._service is None:
            return
        self.show_projects()
        self.projects_page().filter_box().setFocus()
        self.projects_page().filter_box().selectAll()

    def _bind_shortcuts(self) -> None:
        # After the first paint: the first shortcut makes PySide create the Python enums
        # of the whole Qt namespace, which takes longer than building the frame.
        from PySide6.QtGui import QKeySequence, QShortcut

        # Not StandardKey.Quit: some platforms leave it unbound. Qt maps Ctrl to Cmd on macOS.
        self._quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self._guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self._focus_filter)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._new_project_action = QAction("&New project…", self)
        self._new_project_action.setObjectName("newProjectAction")
        self._new_project_action.setEnabled(False)  # until the database is open
        self._new_project_action.triggered.connect(self._new_project)
        file_menu.addAction(self._new_project_action)
        self._report_leak_action = QAction(REPORT_LEAK, self)
        self._report_leak_action.setObjectName("reportLeakAction")
        self._report_leak_action.setEnabled(False)  # until the database is open
        self._report_leak_action.triggered.connect(self.report_leak)
        file_menu.addAction(self._report_leak_action)
        file_menu.addSeparator()
        self._quit_action = QAction("&Quit", self)
        self._quit_action.triggered.connect(self.close)
        file_menu.addAction(self._quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        self._guide_action = QAction("&User guide", self)
        self._guide_action.setObjectName("userGuideAction")
        self._guide_action.triggered.connect(self.show_user_guide)
        help_menu.addAction(self._guide_action)
        salt = QAction("Token &salt…", self)
        salt.setObjectName("saltHelpAction")
        salt.triggered.connect(self.explain_salt)
        help_menu.addAction(salt)
        about = QAction(f"&About {APP_NAME}", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _new_project(self) -> None:
        self.show_projects()
        self.projects_page().new_project()

    def report_leak(self) -> ReportLeakDialog:
        """File, Report a leaked token…: find the tokens in pasted text, revoke them."""
        from ui.dialogs.report_leak import open_report_leak

        return open_report_leak(self, self.service.revoke_leaked, self._leaked_tokens_revoked)

    def _leaked_tokens_revoked(self, count: int) -> None:
        self.show_status(f"Revoked {count} leaked token{'' if count == 1 else 's'}.")
        self.check_for_changes(always=True)

    def _about(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setIconPixmap(resources.app_icon().pixmap(QSize(64, 64)))
        box.setWindowTitle(f"About {APP_NAME}")
        box.setText(f"<b>{APP_NAME}</b> {_version()}")
        box.setInformativeText(
            "Generate and revoke project tokens for external deployment automation.<br>"
            f"Database: {self._service.location if self._service else 'not open yet'}"
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


class _SidebarDelegate(QStyledItemDelegate):
    """Draws the sidebar's entries without their label while the sidebar is compact."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: object) -> None:
        super().initStyleOption(option, index)  # type: ignore[arg-type]
        sidebar = self.parent()
        if isinstance(sidebar, _Sidebar) and sidebar.compact:
            option.text = ""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("deployment-tokens")
    except PackageNotFoundError:
        return "(version unknown)"


class _Sidebar(QListWidget):
    """The global sidebar. Taking focus makes Qt choose its first row when none is
    current; that is not the user choosing Projects, and must not leave their page."""

    taking_focus = False
    compact = False

    def set_compact(self, compact: bool) -> None:
        """Icons only (a narrow window), or icons and labels."""
        self.compact = compact
        labels = 0 if compact else self.fontMetrics().horizontalAdvance(PROJECTS) + 20
        self.setFixedWidth(self.iconSize().width() + 26 + labels)
        self.viewport().update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.taking_focus = True
        try:
            super().focusInEvent(event)
        finally:
            self.taking_focus = False


def _opening_page() -> QWidget:
    """What the page area shows until the database is open: centred by stretches.

    The frame is painted before anything heavy loads, so it avoids even the Qt
    namespace (importing ``Qt`` costs more than building the whole frame).
    """
    page = QWidget()
    page.setObjectName("openingDatabase")
    label = QLabel("Opening the database\N{HORIZONTAL ELLIPSIS}")
    label.setEnabled(False)  # drawn in the palette's muted text colour
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(label)
    row.addStretch(1)
    column = QVBoxLayout(page)
    column.addStretch(1)
    column.addLayout(row)
    column.addStretch(1)
    return page
