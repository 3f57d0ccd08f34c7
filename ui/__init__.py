"""The desktop app (Qt). Imports ``app``; ``app`` never imports this package.

Importing ``ui`` itself loads nothing and changes nothing. The two ways in, ``launch``
(the desktop app, run until its window closes) and ``create_main_window`` (the wired
window, for tests and scripts), first call ``load_qt``, and only then import the
window's modules: they are imported inside the functions below for that reason.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from PySide6.QtCore import QSettings

    from ui.clipboard import SecretClipboard
    from ui.main_window import MainWindow

__all__ = ["create_main_window", "launch", "load_qt"]

# As ui.application.EXIT_CANNOT_START; that module cannot be imported without Qt.
_EXIT_CANNOT_START = 2


def load_qt() -> None:
    """Import Qt, then put back the import that PySide6 replaced with its own.

    PySide6 replaces ``builtins.__import__`` when it loads, to serve ``from __feature__
    import snake_case``. From then on every import statement goes through two Python
    calls, and each module imported afterwards has its source file read, to look for
    "PySide6" (PYSIDE-2029). The store, the pages and the standard library modules they
    load come after the window's first paint, so the app paid about 25 ms for it before
    its project list appeared. Nothing here uses ``__feature__``.

    Idempotent. Raises ImportError when Qt cannot load (its system libraries missing).
    """
    import builtins

    import PySide6.QtWidgets  # noqa: F401  (installs the hook; QtCore and QtGui with it)

    hook = getattr(builtins, "__feature_import__", None)
    original = getattr(builtins, "__orig_import__", None)
    # Only PySide6's own hook is taken out: an import hook installed by anyone else stays.
    if original is not None and hook is not None and builtins.__import__ is hook:
        builtins.__import__ = original


def launch(
    database_url: str | None = None,
    *,
    configure_logging: Callable[[], None] | None = None,
    qt_arguments: Sequence[str] = (),
) -> int:
    """Run the desktop app until its window closes; returns the process exit code.
    ``qt_arguments`` are Qt's own options (-platform, -style…), for its QApplication.

    When Qt cannot load (a fresh machine without its system libraries), says which
    packages to install, in one line on stderr, and returns 2. ``configure_logging``
    (the command line's) runs once the window has been painted.
    """
    try:
        load_qt()
        from ui import application
    except ImportError as error:
        from app import system_packages

        advice = system_packages.missing_library_advice(error)
        if advice is None:
            raise
        print(f"deployment-tokens: {advice}", file=sys.stderr)
        return _EXIT_CANNOT_START
    return application.launch(
        database_url, configure_logging=configure_logging, qt_arguments=qt_arguments
    )


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
    load_qt()
    from ui import application

    return application.create_main_window(database_url, settings=settings, clipboard=clipboard)
