"""Run a program until its main window is first painted, then print the time and exit.

``python first_paint.py bare`` shows an empty QMainWindow: the floor. ``python
first_paint.py app DATABASE_URL`` runs the desktop app exactly as ``deployment-tokens``
does (``app.__main__.main``). In both, the main window's ``paintEvent`` prints
``time.time_ns()`` and leaves at once. (An event filter on the whole application would
also time itself: a Python call for each of the hundreds of events a real window makes.)
"""

from __future__ import annotations

import os
import sys
import time


def report_first_paint(*_: object) -> None:
    print(time.time_ns(), flush=True)
    os._exit(0)


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    class Window(QMainWindow):
        paintEvent = report_first_paint

    application = QApplication(sys.argv[:1])
    window = Window()
    window.resize(1060, 680)
    window.show()
    application.exec()


def app(database_url: str) -> None:
    import ui

    # As ui.launch does before it imports the window, so that the window's modules load
    # without PySide's import hook, as they do in the app.
    ui.load_qt()
    from ui.main_window import MainWindow

    MainWindow.paintEvent = report_first_paint  # type: ignore[method-assign]
    from app.__main__ import main

    main(["--database", database_url])


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        app(sys.argv[2])
