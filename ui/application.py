"""Starting the desktop app: the QApplication, the wired main window, and its failures.

Reached through ``ui.launch`` and ``ui.create_main_window``, which call ``ui.load_qt``
before importing this module, so that it and what it loads are imported the plain way.
"""

from __future__ import annotations

import html
import itertools
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication

from app import open_service
from app.errors import (
    DeploymentTokensError,
    StorageError,
    UnavailableError,
    UnsafePermissionsError,
)
from ui import resources
from ui.clipboard import SecretClipboard
from ui.main_window import APP_NAME, MainWindow

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType

    from PySide6.QtWidgets import QMessageBox

# Until the main window is first painted, this module and the frame import only what
# that paint needs: message boxes, the Qt namespace and the store load afterwards.


ORGANIZATION = "deployment-tokens"
APPLICATION = "deployment-tokens"
EXIT_CANNOT_START = 2


def application(qt_arguments: Sequence[str] = ()) -> QApplication:
    """The running QApplication, created (and named) on first use; ``qt_arguments`` (Qt's
    own options: -platform, -style…) are given to it then."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([APPLICATION, *qt_arguments])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APP_NAME)
    # Matches resources/deployment-tokens.desktop, so docks group the window under it.
    app.setDesktopFileName(APPLICATION)
    app.setWindowIcon(resources.app_icon())
    # Before any window is built: its labels are translated as it is made.
    resources.ensure_translations(app)
    return app


def default_settings() -> QSettings:
    """Where the window keeps its geometry and last project (never a token)."""
    return QSettings(ORGANIZATION, APPLICATION)


def create_main_window(
    database_url: str | None = None,
    *,
    settings: QSettings | None = None,
    clipboard: SecretClipboard | None = None,
) -> MainWindow:
    """Open the database and build the fully wired main window; no event loop is run.

    Raises DeploymentTokensError (ConfigurationError, StorageError) when the database
    cannot be opened. A missing salt does not stop the window: the tokens pane says so.
    """
    # The app may have been made by someone else (pytest-qt, a script): the window is
    # built in the user's language all the same.
    resources.ensure_translations(application())
    _install_style()
    service = open_service(database_url)
    try:
        return MainWindow(
            service,
            settings if settings is not None else default_settings(),
            clipboard if clipboard is not None else SecretClipboard(),
        )
    except BaseException:
        service.close()
        raise


def _install_style() -> None:
    """Radio buttons and check boxes that can be seen in a dark palette (ui/style.py).
    After the first paint: the frame has no indicator to draw, and ui.style is not in
    its import budget."""
    from ui.style import install_style

    install_style(application())


def display_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why Qt could not open a window here, or None; Qt itself would abort the process."""
    env = os.environ if environ is None else environ
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and platform != "xcb":
        return None  # Chosen explicitly (offscreen, wayland): trust it.
    if not sys.platform.startswith("linux"):
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return (
            "no display is available; run the desktop app under a virtual display with "
            "'xvfb-run deployment-tokens', or without a screen with "
            "QT_QPA_PLATFORM=offscreen deployment-tokens"
        )
    if platform == "xcb" or not env.get("WAYLAND_DISPLAY"):
        # Qt's X11 plugin aborts the process when a library is missing, naming the
        # wrong one; find out first, and name the packages.
        from app import system_packages

        absent = system_packages.missing_xcb_libraries()
        if absent:
            return system_packages.libraries_advice(absent)
    return None


class StartUp(QObject):
    """Shows the main window at once, then opens the database; on failure offers Retry.

    The window is painted before the store is even imported: opening it (peewee, the
    migrations check, the first reads) happens after the first paint, behind an "Opening
    the database" page. A database that is down, locked or unreadable at start-up is
    often fixed in a moment (the server restarts, the file is restored); a bad URL is
    not, so only storage errors offer Retry.
    """

    # Emitted once: the window with its database open, or None when the user gave up.
    finished = Signal(object)

    def __init__(
        self,
        database_url: str | None = None,
        *,
        settings: QSettings | None = None,
        clipboard: SecretClipboard | None = None,
        configure_logging: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._database_url = database_url
        # Run once, after the first paint: importing logging is not the window's to wait for.
        self._configure_logging = configure_logging
        self._settings = settings
        self._clipboard = clipboard
        self._frame: MainWindow | None = None
        # Set once the database is open and the window complete.
        self.window: MainWindow | None = None
        self.box: QMessageBox | None = None
        # Whether opening the database failed (rather than the user closing the window).
        self.failed = False

    def attempt(self) -> None:
        """Show the window (the first time), and open the database after it is painted."""
        application()
        if self._frame is None:
            self._frame = MainWindow(
                None,
                self._settings if self._settings is not None else default_settings(),
                self._clipboard if self._clipboard is not None else SecretClipboard(),
            )
            self._frame.installEventFilter(self)
            self._frame.show()
        else:
            self.open_database()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._frame and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Queued: this paint finishes first, and only then does the store load.
            QTimer.singleShot(0, self.open_database)
        return False

    def open_database(self) -> None:
        if self._frame is None:
            return
        if self._configure_logging is not None:
            configure, self._configure_logging = self._configure_logging, None
            configure()
        _install_style()
        try:
            service = open_service(self._database_url)
        except DeploymentTokensError as error:
            print(f"deployment-tokens: {error}", file=sys.stderr)
            self._ask(error)
            return
        try:
            self._frame.attach_service(service)
        except BaseException:
            service.close()
            raise
        self.window = self._frame
        self.finished.emit(self.window)

    def _ask(self, error: DeploymentTokensError) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        from ui.dialogs import messages
        from ui.translated import arg

        self.failed = True
        # Over the window the user is looking at, modal to it.
        from app.read_only import explained

        # "Read-only" and "cannot be opened" from the driver: which file or folder it is.
        problem = (
            error.problem if isinstance(error, UnsafePermissionsError) else explained(str(error))
        )
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            APP_NAME,
            arg(self.tr("%1 cannot start: %2"), APP_NAME, messages.sentence(problem)),
            parent=self._frame,
        )
        box.setObjectName("messageBox")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if isinstance(error, UnsafePermissionsError):
            # The command on a line of its own, never wrapped inside the path, so it
            # can be selected and pasted whole.
            box.setInformativeText(
                "<p>"
                + html.escape(self.tr("Nothing was changed. Run this command, then retry:"))
                + f"</p><pre>{html.escape(error.fix)}</pre>"
            )
        elif isinstance(error, UnavailableError):
            box.setInformativeText(
                self.tr(
                    "Nothing was changed. Check that the database server is running and "
                    "reachable, then retry."
                )
            )
        elif isinstance(error, StorageError):
            box.setInformativeText(
                self.tr("Nothing was changed. Fix the problem above, then retry.")
            )
        if isinstance(error, StorageError):
            box.setStandardButtons(
                QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Close
            )
            box.setDefaultButton(QMessageBox.StandardButton.Retry)
            box.setEscapeButton(QMessageBox.StandardButton.Close)
        else:
            box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.finished.connect(self._answered)
        self.box = box
        box.open()

    def discard(self) -> None:
        """Close what start-up still holds when the app quit: widgets go before the app."""
        if self.box is not None:
            self.box.close()
            self.box = None
        if self.window is None and self._frame is not None:
            # Never completed: nothing else holds it, so it is deleted here, now.
            self._frame.close()
            self._frame = None

    def _answered(self, result: int) -> None:
        from PySide6.QtWidgets import QMessageBox

        if self.box is not None:
            self.box.deleteLater()
            self.box = None
        if result == QMessageBox.StandardButton.Retry:
            # After the box has gone, so a failure can open the next one.
            QTimer.singleShot(0, self.open_database)
            return
        if self._frame is not None:
            frame, self._frame = self._frame, None
            frame.close()
            frame.deleteLater()
        self.finished.emit(None)


def launch(
    database_url: str | None = None,
    *,
    configure_logging: Callable[[], None] | None = None,
    qt_arguments: Sequence[str] = (),
) -> int:
    """Run the desktop app until its window closes; returns the process exit code.

    ``configure_logging`` (the command line's) runs once the window has been painted;
    ``qt_arguments`` (Qt's own options: -platform, -style…) go to the QApplication.
    """
    from app.hardening import disable_core_dumps

    # The reveal dialog holds a plaintext; launched from Python rather than the command
    # line, the process must not dump it either.
    disable_core_dumps()
    # -platform NAME chooses the platform as QT_QPA_PLATFORM does (and wins over it).
    platform = [
        value for option, value in itertools.pairwise(qt_arguments) if option == "-platform"
    ]
    problem = display_problem({**os.environ, "QT_QPA_PLATFORM": platform[-1]} if platform else None)
    if problem is not None:
        print(f"deployment-tokens: {problem}", file=sys.stderr)
        return EXIT_CANNOT_START
    app = application(qt_arguments)
    startup = StartUp(database_url, configure_logging=configure_logging)
    startup.finished.connect(lambda window: window is None and app.quit())
    startup.attempt()
    sys.excepthook = _report_unexpected
    code = app.exec()
    startup.discard()
    window = startup.window
    if window is None:
        # The database never opened: the user gave up on it, or closed the window first.
        return EXIT_CANNOT_START if startup.failed else code
    # Widgets go before the QApplication does: the other way round can crash on exit.
    window.close_database()
    window.deleteLater()
    del window
    return code


def _report_unexpected(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """A bug in a slot: log it, tell the user in one sentence, and keep running."""
    import logging
    import traceback

    from app import tokens
    from ui.dialogs import messages

    details = "".join(traceback.format_exception(kind, error, trace))
    logging.getLogger(__name__).error("unexpected error\n%s", tokens.redact(details))
    parent = QApplication.activeWindow()
    if isinstance(error, Exception) and parent is not None:
        messages.show_error(
            parent, QCoreApplication.translate("Application", "Something went wrong"), error
        )
