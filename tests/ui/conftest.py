"""Fixtures of the ui tests: the catalogs compiled from the .ts files as they are now,
lupdate over ui/, the app in German for one test; and login roles of PostgreSQL with
windows opened as them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QApplication

from app import open_service
from app.service import TokenService
from ui import create_main_window, resources
from ui.clipboard import SecretClipboard
from ui.main_window import MainWindow

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


@dataclass
class LoginRoles:
    """Login roles of one test (roles belong to the cluster: each is named after the
    test's database), and windows opened as them; all closed and dropped after."""

    store: Any
    qtbot: Any
    settings: QSettings
    clipboard: SecretClipboard
    made: list[str] = field(default_factory=list)
    windows: list[MainWindow] = field(default_factory=list)

    def role(self, who: str) -> str:
        """A new login role, ``who`` in its name; its name."""
        name = f"{self.store.name}_{who}"
        self.store.execute(f'CREATE ROLE "{name}" LOGIN')
        self.made.append(name)
        return name

    def url(self, role: str) -> str:
        """The test database's URL (without a password: the test cluster trusts
        loopback) as ``role``."""
        parts = urlsplit(self.store.url)
        host = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
        return urlunsplit((parts.scheme, f"{role}@{host}", parts.path, "", ""))

    def window(self, role: str) -> MainWindow:
        """The main window as ``role`` sees it, shown."""
        window = create_main_window(
            self.url(role), settings=self.settings, clipboard=self.clipboard
        )
        self.qtbot.addWidget(window)
        window.show()
        self.qtbot.waitExposed(window)
        self.windows.append(window)
        return window

    def close(self) -> None:
        for window in self.windows:
            window.close_database()
        for name in self.made:
            self.store.execute(f'DROP OWNED BY "{name}"')
            self.store.execute(f'DROP ROLE "{name}"')


@pytest.fixture
def login_roles(
    qtbot, store, service: TokenService, settings: QSettings, clipboard: SecretClipboard
) -> Iterator[LoginRoles]:
    """Login roles and windows as them (PostgreSQL); ``service`` is the owner's."""
    assert store.backend == "postgresql", "mark the test only_backend('postgresql')"
    roles = LoginRoles(store, qtbot, settings, clipboard)
    try:
        yield roles
    finally:
        roles.close()


@pytest.fixture
def people(
    request: pytest.FixtureRequest, store, service: TokenService
) -> Iterator[Callable[[str, str], TokenService]]:
    """``person(who, project)``: a service acting as someone else, a manager of
    ``project``. On SQLite an actor of its own; on PostgreSQL, which records the
    session's login role whatever a client says, a login role of its own (its grant is
    in the project's audit log too). Its name in the log is the service's ``actor``."""
    made: dict[str, TokenService] = {}
    # Set up first, so torn down last: after the services below are closed.
    roles = request.getfixturevalue("login_roles") if store.backend == "postgresql" else None

    def person(who: str, project: str) -> TokenService:
        if roles is None:
            return TokenService(service.storage, actor=who)
        if who not in made:
            made[who] = open_service(roles.url(roles.role(who)))
        service.grant_access(made[who].actor, project, "manager")
        return made[who]

    try:
        yield person
    finally:
        for acting in made.values():
            acting.close()
