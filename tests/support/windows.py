"""Fixtures for the desktop app: a wired main window over a fresh database.

A pytest plugin that the root conftest loads, for the ui tests and the scenarios alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.service import TokenService
from ui import create_main_window
from ui.clipboard import SecretClipboard
from ui.main_window import MainWindow


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def clipboard() -> SecretClipboard:
    # Short, so the auto-clear can be watched; the product default is 60 s.
    return SecretClipboard(clear_after_ms=300)


@pytest.fixture
def make_window(
    qtbot, database_url: str, settings: QSettings, clipboard: SecretClipboard
) -> Iterator[Callable[..., MainWindow]]:
    made: list[MainWindow] = []

    def make(**overrides: object) -> MainWindow:
        window = create_main_window(
            str(overrides.get("database_url", database_url)),
            settings=overrides.get("settings", settings),  # type: ignore[arg-type]
            clipboard=overrides.get("clipboard", clipboard),  # type: ignore[arg-type]
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    # launch() closes the service after the event loop; tests have no event loop to leave.
    for window in made:
        window.close_database()


@pytest.fixture
def window(make_window: Callable[..., MainWindow]) -> MainWindow:
    return make_window()


@pytest.fixture
def web_project(service: TokenService) -> str:
    service.add_project("web")
    return "web"


@pytest.fixture
def no_clipboard_left() -> Iterator[None]:
    yield
    QApplication.clipboard().clear()
