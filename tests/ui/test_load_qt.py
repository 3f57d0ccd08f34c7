"""ui.load_qt: Qt loads when the app starts, and PySide6's import hook goes before the
window's modules load; importing ``ui`` changes nothing."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

PRELUDE = """
import builtins, sys

def report(**values):
    print("REPORT " + repr(values))

def pysides_hook_in_place():
    return builtins.__import__ is getattr(builtins, "__feature_import__", None)

class WatchImports:
    \"\"\"Notes whether PySide6's hook was in place when each of our modules was found.\"\"\"

    hooked = {}

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("app", "ui"):
            self.hooked.setdefault(name, pysides_hook_in_place())
        return None

sys.meta_path.insert(0, WatchImports())
"""


def run_python(code: str, **env: str) -> tuple[dict[str, object], subprocess.CompletedProcess[str]]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={name: value for name, value in environment.items() if value},
        timeout=60,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("REPORT ")]
    assert lines, result.stderr
    return ast.literal_eval(lines[-1].removeprefix("REPORT ")), result


def test_importing_ui_loads_no_qt_and_leaves_the_import_alone():
    seen, _ = run_python(
        """
        plain = builtins.__import__
        import ui

        report(qt="PySide6" in sys.modules, same_import=builtins.__import__ is plain)
        """
    )
    assert seen == {"qt": False, "same_import": True}


def test_importing_the_window_modules_leaves_pysides_hook_where_pyside_put_it():
    """No module of ours changes the import system as a side effect of being imported:
    only load_qt does, when called."""
    seen, _ = run_python(
        """
        import ui.application, ui.main_window
        imported = pysides_hook_in_place()
        import ui
        ui.load_qt()
        loaded = pysides_hook_in_place()
        again = builtins.__import__
        ui.load_qt()
        report(imported=imported, loaded=loaded, idempotent=builtins.__import__ is again)
        """
    )
    assert seen == {"imported": True, "loaded": False, "idempotent": True}


def test_load_qt_takes_out_pysides_hook_only():
    seen, _ = run_python(
        """
        import PySide6.QtCore

        def someone_elses_hook(*args, **kwargs):
            return hooked_import(*args, **kwargs)

        hooked_import = builtins.__import__
        builtins.__import__ = someone_elses_hook
        import ui

        ui.load_qt()
        report(kept=builtins.__import__ is someone_elses_hook)
        """
    )
    assert seen == {"kept": True}


def test_the_window_modules_load_after_the_hook_is_out(tmp_path):
    """What the app's start-up figures need: ``launch`` and ``create_main_window`` load
    Qt, take the hook out, and only then import the window and what it needs."""
    seen, _ = run_python(
        f"""
        import ui

        window = ui.create_main_window("sqlite:///{tmp_path / "tokens.db"}")
        window.close_database()
        report(hooked=sorted(name for name, hooked in WatchImports.hooked.items() if hooked),
               window="ui.main_window" in WatchImports.hooked)
        """
    )
    assert seen == {"hooked": [], "window": True}


def test_launch_loads_the_application_module_after_the_hook_is_out():
    # Without a display, launch says so and returns: after it imported ui.application.
    seen, result = run_python(
        """
        import ui

        code = ui.launch("sqlite:///unused.db")
        report(code=code, hooked=WatchImports.hooked.get("ui.application"))
        """,
        QT_QPA_PLATFORM="",
        DISPLAY="",
        WAYLAND_DISPLAY="",
    )
    assert seen == {"code": 2, "hooked": False}
    assert "xvfb-run" in result.stderr


MISSING_GLIB = "libglib-2.0.so.0: cannot open shared object file: No such file or directory"


def test_launch_names_the_packages_when_qt_cannot_load():
    seen, result = run_python(
        f"""
        class NoGlib:
            # The loader's own failure, as PySide6.QtCore raises it without glib.
            def find_spec(self, name, path=None, target=None):
                if name.startswith("PySide6.Qt"):
                    raise ImportError({MISSING_GLIB!r})

        sys.meta_path.insert(0, NoGlib())
        import ui

        report(code=ui.launch("sqlite:///unused.db"))
        """,
        DISPLAY=":0",
        QT_QPA_PLATFORM="",
    )
    assert seen == {"code": 2}
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("deployment-tokens: the desktop app cannot start:")
    assert "sudo apt-get install" in line
    assert "libglib2.0-0" in line
