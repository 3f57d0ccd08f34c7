"""The main window: the global sidebar (Projects, ``ui.global_sidebar``) beside the page
it opens, its menus, and the way between the pages.

This module is the frame the window paints first. What loads after that paint lives
beside it: the status bar's salt indicator (``ui.salt_status``), who the user is and
what the window's own actions allow (``ui.window_access``), the watch for other
clients' changes (``ui.change_watch``), the pages and the dialogs.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QMargins,
    QRect,
    QSettings,
    QSize,
)
from PySide6.QtGui import QAction, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ui import resources
from ui.clipboard import SecretClipboard
from ui.global_sidebar import GlobalSidebar
from ui.resources import QT_TRANSLATE_NOOP

TYPE_CHECKING = False
if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QMessageBox

    from app.records import ProjectRecord
    from app.service import TokenService
    from ui.change_watch import ChangeWatcher
    from ui.dialogs.report_leak import ReportLeakDialog
    from ui.navigation import Navigation
    from ui.pages.project import ProjectPage
    from ui.pages.projects import ProjectsPage
    from ui.salt_status import SaltStatus
    from ui.window_access import WindowAccess


# The product's name, the same in every language.
APP_NAME = "Deployment Tokens"
# The English text is also what tests find it by; shown, it is translated.
REPORT_LEAK = QT_TRANSLATE_NOOP("MainWindow", "Report a &leaked token…")
# Below this window width the global sidebar shows its icon only.
COMPACT_BELOW = 960
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

        self._sidebar = GlobalSidebar()
        self._sidebar.projects_chosen.connect(self.show_projects)
        self._pages = QStackedWidget()
        self._pages.addWidget(_opening_page())
        # Made by attach_service, after the first paint.
        self._nav: Navigation | None = None
        self._salt: SaltStatus | None = None
        self._changes: ChangeWatcher | None = None
        self._access: WindowAccess | None = None
        clipboard.cleared.connect(
            lambda: self.show_status(self.tr("The clipboard was cleared of the deployment token."))
        )

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._sidebar)
        layout.addWidget(self._pages, 1)
        self.setCentralWidget(central)

        # Who you are (the login role, or the one local user) beside where the data is.
        self._identity = QLabel()
        self._identity.setObjectName("identityStatus")
        self.statusBar().addPermanentWidget(self._identity)
        self._location = QLabel()
        self._location.setObjectName("databaseLocation")
        self.statusBar().addPermanentWidget(self._location)

        self._build_menus()

        self.resize(1060, 680)
        self._fitted = False
        geometry = settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray):  # anything else is a hand-edited file: ignore it
            self.restoreGeometry(geometry)
            self.fit_to_screen()
        if service is not None:
            self.attach_service(service)

    def fit_to_screen(self) -> None:
        """Keep the window inside the screen it opens on: a geometry saved on a larger
        screen, or at another scale, must not open partly off it. The whole frame must
        fit (title bar and borders too), not only the client area, or the status bar is
        cut at the bottom."""
        screen = self.screen()
        if screen is None:
            return
        margins = self._frame_margins()
        target = fitted(screen.availableGeometry(), self.geometry(), margins, self.minimumSize())
        if target.size() != self.size():
            self.resize(target.size())
        # move() places the frame of a top-level window.
        frame_left, frame_top = target.left() - margins.left(), target.top() - margins.top()
        if (frame_left, frame_top) != (self.frameGeometry().left(), self.frameGeometry().top()):
            self.move(frame_left, frame_top)

    def _frame_margins(self) -> QMargins:
        """The title bar and borders around the client area: as drawn once the window
        has a frame, as the platform reports them once shown, and before that a
        conservative estimate, so that a window fitted before it is shown leaves room."""
        frame, client = self.frameGeometry(), self.geometry()
        if frame != client:
            return QMargins(
                client.left() - frame.left(),
                client.top() - frame.top(),
                frame.right() - client.right(),
                frame.bottom() - client.bottom(),
            )
        handle = self.windowHandle()
        if handle is not None and self.isVisible():
            # The platform has answered: null when there is no frame (offscreen, frameless).
            return handle.frameMargins()
        style = self.style()
        title = style.pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight, None, self)
        border = style.pixelMetric(QStyle.PixelMetric.PM_MdiSubWindowFrameWidth, None, self)
        return QMargins(border, title + border, border, border)

    def attach_service(self, service: TokenService) -> None:
        """Build the pages over the open database and show the projects (once)."""
        if self._service is not None:
            raise RuntimeError("the main window already has its database")
        # Imported here, not at the top: the pages' modules (and the Qt enums they touch)
        # cost more than the whole frame, and the frame is painted before they load.
        from PySide6.QtCore import Qt

        from ui.change_watch import ChangeWatcher
        from ui.navigation import Navigation
        from ui.salt_status import SaltStatus
        from ui.window_access import WindowAccess

        self._sidebar.finish()
        self._bind_shortcuts()
        self._location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._service = service
        self._report_leak_action.setEnabled(True)
        self._new_project_action.setEnabled(True)
        self._location.setText(self.tr("Database: %1").replace("%1", service.location))
        self._identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._salt = SaltStatus(self.statusBar(), service.salt_problem, self)
        self._salt.update()
        self._access = WindowAccess(
            self, service, self._identity, self._new_project_action, self._report_leak_action
        )
        self.update_read_only()
        self.update_access()
        # Other workstations and the command line change the same database.
        self._nav = Navigation(self, self._pages, service, self._clipboard, self._settings)
        self._changes = ChangeWatcher(self, self._nav, service, CHANGE_CHECK_MS, self)
        self._nav.restore_last_project()

    def update_access(self) -> None:
        """Say who you are in the status bar, and enable New project only for an admin
        of every project: read when the database opens and again when the change
        counter moves (another admin may have granted or revoked you something)."""
        window_access = self._window_access()
        if not window_access.update_identity():
            return  # the change check says the database cannot be reached
        if self._nav is not None:
            projects_page, _ = self._nav.built_pages()
            if projects_page is not None:
                projects_page.set_new_project_refusal(window_access.new_project_refusal())

    def new_project_refusal(self) -> str | None:
        """Why New project is disabled for this role (None: it is not)."""
        return None if self._access is None else self._access.new_project_refusal()

    def identity_label(self) -> QLabel:
        """The status bar's who-you-are."""
        return self._identity

    def read_only_reason(self) -> str | None:
        """What is read-only about the database (the file, a file beside it), or None."""
        return None if self._access is None else self._access.read_only_reason()

    def update_read_only(self) -> bool:
        """Look again whether the SQLite file may be changed (someone may have fixed its
        permissions, or taken them away); True when that changed. Cheap: a few stats,
        run with each change check."""
        return self._window_access().update_read_only()

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
        if self._changes is not None:
            self._changes.stop()
        if self._service is not None:
            self._service.close()

    def is_ready(self) -> bool:
        """Whether the database is open and the pages are built."""
        return self._service is not None

    # Navigation

    def sidebar(self) -> QListWidget:
        return self._sidebar

    def projects_page(self) -> ProjectsPage:
        """The project list (built when first shown)."""
        return self._navigation().projects_page()

    def project_page(self) -> ProjectPage:
        """The page of one project (built when a project is first opened)."""
        return self._navigation().project_page()

    def current_page(self) -> QWidget:
        return cast("QWidget", self._pages.currentWidget())

    def built_pages(self) -> tuple[ProjectsPage | None, ProjectPage | None]:
        """The project list and the project page, each if built yet."""
        return (None, None) if self._nav is None else self._nav.built_pages()

    def show_projects(self) -> None:
        if self._nav is not None:  # else still opening the database: the page follows
            self._nav.show_projects()

    def open_project(self, project: ProjectRecord, pane: str | None = None) -> None:
        self._navigation().open_project(project, pane)

    def mark_projects_chosen(self, chosen: bool) -> None:
        """Mark Projects current in the sidebar (on the list) or nothing (on a project's
        page), without taking it for a user's choice (no signal)."""
        self._sidebar.mark_projects_chosen(chosen)

    def is_compact(self) -> bool:
        """Whether the window is narrow: the sidebars show their icons only."""
        return self.width() < COMPACT_BELOW

    def update_salt_status(self) -> None:
        """Say on every page, in the status bar, when tokens cannot be generated for the
        salt's sake (or stop saying it)."""
        if self._salt is not None:
            self._salt.update()

    def show_user_guide(self) -> None:
        """Help, User guide: the README that came with this version, in the app."""
        from ui.dialogs.user_guide import UserGuideDialog

        UserGuideDialog(self).open()

    def explain_salt(self) -> QMessageBox:
        """Help > Token salt… and the status bar's indicator: what is wrong with the salt
        and how to set it, with a ready command; or, when it is fine, that it is."""
        from ui.salt_status import explain_salt

        problem = self._service.salt_problem() if self._service is not None else None
        return explain_salt(self, problem)

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)

    def check_for_changes(self, *, always: bool = False) -> None:
        """Refresh the visible page if any client changed the database since last time
        (with ``always``, even if none did: the window was just activated)."""
        if self._changes is not None:
            self._changes.check(always=always)

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
        self._sidebar.set_compact(self.is_compact())
        if self._nav is not None:
            self._nav.set_compact(self.is_compact())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if resources.is_palette_change(event):
            self._sidebar.update_icon()
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

    def _navigation(self) -> Navigation:
        if self._nav is None:
            raise RuntimeError("the database is not open yet")
        return self._nav

    def _window_access(self) -> WindowAccess:
        if self._access is None:
            raise RuntimeError("the database is not open yet")
        return self._access

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
        # On the window's action, not the Projects page's button: Ctrl+N works on every page.
        self._new_project_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self._guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self._focus_filter)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._new_project_action = QAction(self.tr("&New project…"), self)
        self._new_project_action.setObjectName("newProjectAction")
        self._new_project_action.setEnabled(False)  # until the database is open
        self._new_project_action.triggered.connect(self._new_project)
        file_menu.addAction(self._new_project_action)
        self._report_leak_action = QAction(self.tr(REPORT_LEAK), self)
        self._report_leak_action.setObjectName("reportLeakAction")
        self._report_leak_action.setEnabled(False)  # until the database is open
        self._report_leak_action.triggered.connect(self.report_leak)
        file_menu.addAction(self._report_leak_action)
        file_menu.addSeparator()
        self._quit_action = QAction(self.tr("&Quit"), self)
        self._quit_action.triggered.connect(self.close)
        file_menu.addAction(self._quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._guide_action = QAction(self.tr("&User guide"), self)
        self._guide_action.setObjectName("userGuideAction")
        self._guide_action.triggered.connect(self.show_user_guide)
        help_menu.addAction(self._guide_action)
        salt = QAction(self.tr("Token &salt…"), self)
        salt.setObjectName("saltHelpAction")
        salt.triggered.connect(self.explain_salt)
        help_menu.addAction(salt)
        about = QAction(self.tr("&About %1").replace("%1", APP_NAME), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _new_project(self) -> None:
        self.show_projects()
        self.projects_page().new_project()

    def report_leak(self) -> ReportLeakDialog:
        """File, Report a leaked token…: find the tokens in pasted text, revoke them."""
        from ui.dialogs.report_leak import open_report_leak

        return open_report_leak(self, self.service, self._leaked_tokens_revoked)

    def _leaked_tokens_revoked(self, count: int) -> None:
        from ui.translated import counted

        said = self.tr("Revoked %n leaked token(s).", "", count)
        self.show_status(counted(said, count))
        self.check_for_changes(always=True)

    def _about(self) -> None:
        from ui.dialogs.about import show_about

        show_about(self, APP_NAME, self._service.location if self._service else None)


def fitted(
    available: QRect, wanted: QRect, margins: QMargins, minimum: QSize | None = None
) -> QRect:
    """The client geometry nearest ``wanted`` whose frame (the client plus ``margins``)
    lies inside ``available``; never smaller than ``minimum``."""
    minimum = minimum if minimum is not None else QSize(0, 0)
    across = margins.left() + margins.right()
    down = margins.top() + margins.bottom()
    width = max(min(wanted.width(), available.width() - across), minimum.width())
    height = max(min(wanted.height(), available.height() - down), minimum.height())
    frame_left = wanted.left() - margins.left()
    frame_top = wanted.top() - margins.top()
    frame_left = max(min(frame_left, available.right() + 1 - (width + across)), available.left())
    frame_top = max(min(frame_top, available.bottom() + 1 - (height + down)), available.top())
    return QRect(frame_left + margins.left(), frame_top + margins.top(), width, height)


def _opening_page() -> QWidget:
    """What the page area shows until the database is open: centred by stretches.

    The frame is painted before anything heavy loads, so it avoids even the Qt
    namespace (importing ``Qt`` costs more than building the whole frame).
    """
    page = QWidget()
    page.setObjectName("openingDatabase")
    label = QLabel(QCoreApplication.translate("MainWindow", "Opening the database…"))
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
