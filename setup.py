"""The build's one addition to pyproject.toml: the Qt Linguist catalogs compiled to .qm.

resources/translations/*.ts ship as package data like the icons; the .qm files Qt loads
are made from them here, into the build, with PySide6's lrelease (a build requirement),
so a wheel always carries catalogs that match its .ts files and none is ever committed.
An editable install (make run, make test) uses the source tree's, which make compiles.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TRANSLATIONS = Path("resources") / "translations"


def lrelease() -> str:
    """The lrelease that comes with PySide6 (a build requirement, see pyproject.toml)."""
    import PySide6

    folder = Path(PySide6.__file__).parent
    for name in ("lrelease", "lrelease.exe"):
        if (folder / name).is_file():
            return str(folder / name)
    raise FileNotFoundError(f"PySide6 at {folder} has no lrelease: the catalogs cannot be built")


class BuildWithTranslations(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / TRANSLATIONS
        target.mkdir(parents=True, exist_ok=True)
        for catalog in sorted(TRANSLATIONS.glob("*.ts")):
            compiled = target / catalog.with_suffix(".qm").name
            subprocess.run([lrelease(), "-silent", str(catalog), "-qm", str(compiled)], check=True)


setup(cmdclass={"build_py": BuildWithTranslations})
