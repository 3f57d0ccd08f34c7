"""Run a program until its main window is first painted, then print the time and exit.

``python first_paint.py bare`` shows an empty QMainWindow: the floor. ``python
first_paint.py app DATABASE_URL`` runs the desktop app exactly as ``deployment-tokens``
does (``app.cli.main``). Both install the same watcher on the QApplication, which prints
``time.time_ns()`` at the first Paint event of a QMainWindow and leaves at once.
"""

from __future__ import annotations

import os
import sys
import time


def watch_first_paint() -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
                print(time.time_ns(), flush=True)
                os._exit(0)
            return False

    application = QApplication.instance()
    assert application is not None
    watcher = FirstPaint(application)
    application.installEventFilter(watcher)


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    application = QApplication(sys.argv[:1])
    watch_first_paint()
    window = QMainWindow()
    window.resize(1060, 680)
    window.show()
    application.exec()


def app(database_url: str) -> None:
    from ui.application import application

    application()
    watch_first_paint()
    from app.cli import main

    main(["--database", database_url])


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        app(sys.argv[2])
