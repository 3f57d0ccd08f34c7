"""Open the app at 2x scale on a 1600x1000 screen and report what the user would see.

Run by tests/ui/test_scale.py in a process of its own: Qt's scale factor and the offscreen
screen must be set before the QApplication exists, and the test process has one already.

``python scaled_window.py DATABASE_URL SETTINGS_FILE PROJECT`` prints one JSON object.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from ui import create_main_window
from ui.pages.project import DEPLOYMENT_TOKENS


def main(database_url: str, settings_file: str, project_name: str) -> None:
    settings = QSettings(settings_file, QSettings.Format.IniFormat)
    window = create_main_window(database_url, settings=settings)
    window.show()
    for _ in range(5):
        QApplication.processEvents()
    screen = window.screen()
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    project = window.service.find_project(project_name)
    assert project is not None
    window.open_project(project, DEPLOYMENT_TOKENS)
    table = window.project_page().tokens_pane().table()
    for _ in range(10):
        QApplication.processEvents()
    trash = table.action_button(0)
    viewport = table.viewport().rect()
    trash_in_view = False
    if trash is not None and trash.isVisible():
        top_left = trash.mapTo(table.viewport(), trash.rect().topLeft())
        trash_in_view = viewport.contains(top_left) and viewport.contains(
            top_left + trash.rect().bottomRight()
        )
    print(
        json.dumps(
            {
                "device_pixel_ratio": screen.devicePixelRatio(),
                "screen": [available.width(), available.height()],
                "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                "trash_in_view": trash_in_view,
                "horizontal_scroll": table.horizontalScrollBar().isVisible(),
            }
        )
    )
    window.close()
    window.close_database()


if __name__ == "__main__":
    main(*sys.argv[1:4])
