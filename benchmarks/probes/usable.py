"""Run a program until its window is usable, then print the time and exit.

Usable means what a user waits for: the list they came for, painted with its rows.

``python usable.py bare-list NAME...`` shows a bare QMainWindow holding a QListWidget with
those names: the floor. ``python usable.py app DATABASE_URL projects`` runs the desktop
app exactly as ``deployment-tokens`` does (``app.__main__.main``) until the project list is
painted with rows; ``... app DATABASE_URL tokens`` until the Deployment Tokens pane the
app restores (the last opened project's) is painted with rows.

The time is taken when the table's viewport paints with rows in its model, and printed
after that paint: one event filter on one viewport, installed when the table is made, so
the probe does not time itself on every event of the app.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView


class _RowsPainted(QObject):
    """Reports the first paint of ``view``'s viewport that shows rows."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            model = self._view.model()
            if model is not None and model.rowCount() > 0:
                painted = time.time_ns()
                # After this paint has finished.
                QTimer.singleShot(0, lambda: _report(painted))
        return False


def _report(painted: int) -> None:
    print(painted, flush=True)
    os._exit(0)


def bare_list(names: list[str]) -> None:
    from PySide6.QtWidgets import QApplication, QListWidget, QMainWindow

    application = QApplication(sys.argv[:1])
    window = QMainWindow()
    listing = QListWidget()
    listing.addItems(names)
    _RowsPainted(listing)
    window.setCentralWidget(listing)
    window.resize(1060, 680)
    window.show()
    application.exec()


def app(database_url: str, pane: str) -> None:
    # What the app imports before its first paint anyway; the pages load after it.
    import ui

    # As ui.launch does before it imports the window, so that the window's modules load
    # without PySide's import hook, as they do in the app.
    ui.load_qt()
    from ui.main_window import MainWindow

    attach = MainWindow.attach_service

    def watched_attach(window: MainWindow, service: object) -> None:
        attach(window, service)  # type: ignore[arg-type]
        if pane == "projects":
            view: QAbstractItemView = window.projects_page().table()
        else:
            from ui.widgets.token_table import TokenTableView

            [view] = window.findChildren(TokenTableView)
        _RowsPainted(view)

    MainWindow.attach_service = watched_attach  # type: ignore[method-assign, assignment]
    from app.__main__ import main

    main(["--database", database_url])


if __name__ == "__main__":
    if sys.argv[1] == "bare-list":
        bare_list(sys.argv[2:])
    else:
        app(sys.argv[2], sys.argv[3])
