"""Fixtures for the tests of the app's translations: the catalogs compiled from the .ts
files as they are now, lupdate over ui/, and the app in German for one test."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from ui import resources

REPO = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent


@pytest.fixture(scope="session")
def compiled_catalogs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .qm files compiled from the .ts files as they are now (not the source tree's,
    which make compiles, and which may be missing or stale in a bare pytest run)."""
    folder = tmp_path_factory.mktemp("catalogs")
    for catalog in sorted(resources.TRANSLATIONS.glob("*.ts")):
        subprocess.run(
            [
                str(TOOLS / "pyside6-lrelease"),
                "-silent",
                str(catalog),
                "-qm",
                str(folder / catalog.with_suffix(".qm").name),
            ],
            check=True,
            timeout=120,
        )
    return folder


@pytest.fixture
def lupdate() -> Callable[..., Path]:
    """Run lupdate over ui/ as make translations does, into a catalog of its own."""

    def run(target: Path, language: str, *options: str) -> Path:
        sources = sorted(str(path.relative_to(REPO)) for path in (REPO / "ui").rglob("*.py"))
        subprocess.run(
            [
                str(TOOLS / "pyside6-lupdate"),
                *sources,
                "-no-obsolete",
                "-locations",
                "none",
                "-source-language",
                "en",
                "-target-language",
                language,
                *options,
                "-ts",
                str(target),
            ],
            cwd=REPO,
            capture_output=True,
            check=True,
            timeout=120,
        )
        return target

    return run


@pytest.fixture
def german(qapp: QApplication, compiled_catalogs: Path) -> Iterator[None]:
    """The app in German (texts, Qt's own buttons, dates) for this test, English after."""
    assert resources.install_translations(qapp, QLocale("de_DE"), catalogs=compiled_catalogs)
    assert resources.ui_language() == "de"
    yield
    resources.install_translations(qapp, QLocale.system())
