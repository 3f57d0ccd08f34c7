"""Starting the desktop app: the QApplication, the wired main window, and its failures."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Mapping
from types import TracebackType

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from app import open_service, tokens
from app.errors import DeploymentTokensError
from ui import messages, resources
from ui.clipboard import SecretClipboard
from ui.main_window import APP_NAME, MainWindow

log = logging.getLogger(__name__)

ORGANIZATION = "deployment-tokens"
APPLICATION = "deployment-tokens"
EXIT_CANNOT_START = 2


def application() -> QApplication:
    """The running QApplication, created (and named) on first use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([APPLICATION])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APP_NAME)
    # Matches resources/deployment-tokens.desktop, so docks group the window under it.
    app.setDesktopFileName(APPLICATION)
    app.setWindowIcon(resources.app_icon())
    return app


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
    application()
    service = open_service(database_url)
    try:
        return MainWindow(
            service,
            settings if settings is not None else QSettings(ORGANIZATION, APPLICATION),
            clipboard if clipboard is not None else SecretClipboard(),
        )
    except BaseException:
        service.close()
        raise


def display_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why Qt could not open a window here, or None; Qt itself would abort the process."""
    env = os.environ if environ is None else environ
    if env.get("QT_QPA_PLATFORM"):
        return None  # Chosen explicitly (offscreen, xcb, wayland): trust it.
    if (
        sys.platform.startswith("linux")
        and not env.get("DISPLAY")
        and not env.get("WAYLAND_DISPLAY")
    ):
        return (
            "no display is available; run the desktop app under a virtual display with "
            "'xvfb-run deployment-tokens', or without a screen with "
            "QT_QPA_PLATFORM=offscreen deployment-tokens"
        )
    return None


def launch(database_url: str | None = None) -> int:
    """Run the desktop app until its window closes; returns the process exit code."""
    problem = display_problem()
    if problem is not None:
        print(f"deployment-tokens: {problem}", file=sys.stderr)
        return EXIT_CANNOT_START
    app = application()
    try:
        window = create_main_window(database_url)
    except DeploymentTokensError as error:
        print(f"deployment-tokens: {error}", file=sys.stderr)
        box = messages.show_message(
            None,
            APP_NAME,
            f"{APP_NAME} cannot start: {messages.sentence(str(error))}",
            icon=QMessageBox.Icon.Critical,
        )
        box.finished.connect(app.quit)
        app.exec()
        return EXIT_CANNOT_START
    sys.excepthook = _report_unexpected
    window.show()
    code = app.exec()
    # Widgets go before the QApplication does: the other way round can crash on exit.
    window.service.close()
    window.deleteLater()
    del window
    return code


def _report_unexpected(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """A bug in a slot: log it, tell the user in one sentence, and keep running."""
    details = "".join(traceback.format_exception(kind, error, trace))
    log.error("unexpected error\n%s", tokens.redact(details))
    parent = QApplication.activeWindow()
    if isinstance(error, Exception) and parent is not None:
        messages.show_error(parent, "Something went wrong", error)
