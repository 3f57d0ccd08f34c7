"""Starting the app: with a display it runs; without one it says what to do."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ui.application import display_problem


def run_python(code: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def headless_environment() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return env


def test_without_a_display_the_app_prints_one_line_instead_of_aborting(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "app"],
        capture_output=True,
        text=True,
        env=headless_environment(),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "xvfb-run" in lines[0]
    assert "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("environment", "problem"),
    [
        ({}, True),
        ({"DISPLAY": ":0"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
    ],
)
def test_display_problem(environment, problem, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert (display_problem(environment) is not None) is problem


def test_the_command_line_starts_the_app_which_shows_its_window_and_exits_cleanly(tmp_path):
    database = tmp_path / "tokens.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    result = run_python(
        f"""
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from ui.application import application

        app = application()
        def check_and_quit():
            window = QApplication.activeWindow() or QApplication.topLevelWidgets()[0]
            print("shown:", type(window).__name__, window.isVisible(), window.windowTitle())
            app.quit()
        QTimer.singleShot(300, check_and_quit)
        # As `deployment-tokens --database URL` with no command starts it.
        from app.__main__ import main
        sys.exit(main(["--database", "sqlite:///{database}"]))
        """,
        env,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "shown: MainWindow True Deployment Tokens" in result.stdout
    assert database.exists()


def test_a_database_that_cannot_be_opened_is_one_line_and_exit_2(tmp_path):
    not_a_database = tmp_path / "garbage.db"
    not_a_database.write_bytes(b"\0garbage" * 1000)
    not_a_database.chmod(0o600)  # private, so the only message is the one tested
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = run_python(
        f"""
        import sys
        from PySide6.QtCore import QTimer
        import ui
        from ui.application import application

        app = application()
        QTimer.singleShot(300, app.quit)  # the user closing the error box
        sys.exit(ui.launch("sqlite:///{not_a_database}"))
        """,
        env,
        tmp_path,
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if "propagateSizeHints" not in line]
    assert len(lines) == 1
    assert "not a usable database" in lines[0]


def test_the_window_is_painted_before_the_database_is_opened(tmp_path):
    """The start-up figure depends on it (what loads before the paint: test_import_budget)."""
    database = tmp_path / "start.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    result = run_python(
        f"""
        import os, sys
        from ui.main_window import MainWindow

        def first_paint(window, event):
            from PySide6.QtWidgets import QWidget

            print("store loaded:", "app.service" in sys.modules)
            opening = window.findChild(QWidget, "openingDatabase")
            print("opening page shown:", opening is not None and opening.isVisible())
            sys.stdout.flush()
            os._exit(0)

        MainWindow.paintEvent = first_paint
        from app.__main__ import main
        main(["--database", "sqlite:///{database}"])
        """,
        env,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "store loaded: False" in result.stdout
    assert "opening page shown: True" in result.stdout


def test_after_the_first_paint_the_database_opens_and_the_projects_show(
    qtbot, tmp_path, settings, clipboard
):
    from ui.application import StartUp

    startup = StartUp(f"sqlite:///{tmp_path / 'start.db'}", settings=settings, clipboard=clipboard)
    with qtbot.waitSignal(startup.finished, timeout=10_000) as opened:
        startup.attempt()
    window = opened.args[0]
    qtbot.addWidget(window)
    assert window.is_ready()
    assert window.current_page() is window.projects_page()
    assert window.findChild(type(window.sidebar()), "globalSidebar").count() == 1
    window.close_database()


def test_qts_own_options_reach_qt_when_no_command_is_given(tmp_path):
    """`deployment-tokens -platform offscreen -style fusion`: no display, no QT_QPA_PLATFORM."""
    env = {
        **headless_environment(),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = run_python(
        """
        import os, runpy, sys
        from ui.main_window import MainWindow

        def first_paint(window, event):
            from PySide6.QtWidgets import QApplication

            print("platform:", QApplication.platformName())
            print("style:", QApplication.style().name())
            sys.stdout.flush()
            os._exit(0)

        MainWindow.paintEvent = first_paint
        sys.argv = ["deployment-tokens", "-platform", "offscreen", "-style", "fusion"]
        runpy.run_module("app", run_name="__main__", alter_sys=True)
        """,
        env,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "platform: offscreen" in result.stdout
    assert "style: fusion" in result.stdout


def test_with_a_command_qts_options_are_a_usage_error(tmp_path):
    env = {**headless_environment(), "XDG_DATA_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "app", "verify", "-style", "x"],
        capture_output=True,
        text=True,
        input="",
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    # verify's own message for anything extra, unchanged.
    assert result.stderr.startswith("deployment-tokens: error: unexpected arguments (a token")
    assert len(result.stderr.splitlines()) == 1
