"""Known traps in DESIGN.md that depend on what is installed."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def release(text):
    return tuple(int(part) for part in text.split(".")[:2])


def test_pyside6_stays_below_6_12():
    # 6.12.0 on Python 3.11 aborts after ~50,000 model data() calls that return None.
    assert release(version("PySide6-Essentials")) < (6, 12)
    assert release(version("PySide6-Essentials")) >= (6, 11)
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert "PySide6-Essentials>=6.11,<6.12" in project["dependencies"]
