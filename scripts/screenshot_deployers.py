"""Render the Trusted deployers page with sample bindings, headless: in the gallery
(light, dark, 800x500, Add… with each preset) and in German (docs/gallery/de/), and the
user guide's pictures (resources/guide/pictures/deployers.png, and de/).

A companion of ``screenshot.py`` (same sample data, window and helpers), apart so the
other pictures are not made again for a new page: ``python scripts/screenshot_deployers.py``.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

# Before Qt is imported: no display is needed (screenshot.py, imported below, says so too).
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QApplication
from screenshot import (
    GALLERY,
    GERMAN_GALLERY,
    GERMAN_GUIDE_PICTURES,
    GUIDE_PICTURES,
    GUIDE_SIZE,
    NARROW,
    NOW,
    dark_palette,
    fill,
    modal,
    open_window,
    shot,
    wait_for,
)

import app
from app import config
from app.oidc import bindings
from ui import resources
from ui.application import application
from ui.main_window import MainWindow

PROJECT = "payments-api"
AUDIENCE = "deployment-tokens:deploy.example.com"


def fill_deployers(database: Path) -> None:
    """payments-api's bindings: GitHub's production environment (exchanged 4 minutes
    ago), a GitLab project's protected refs, and an issuer bound by a name alone (weak)."""
    with app.open_service(f"sqlite:///{database}") as opened:
        github = bindings.github_preset("acme/payments-api", "681422", "51237", "production")
        gitlab = bindings.gitlab_preset("https://gitlab.example.com", "42", True, None)
        for (issuer, claims, name), environment, minutes in (
            (github, "production", 15),
            (gitlab, "staging", 30),
        ):
            opened.add_deployer(
                PROJECT,
                issuer=issuer,
                audience=AUDIENCE,
                claims=list(claims.items()),
                environments=[environment],
                lifetime=timedelta(minutes=minutes),
                name=name,
            )
        opened.add_deployer(
            PROJECT,
            issuer="https://ci.example.com",
            audience=AUDIENCE,
            claims=[("repository", "acme/payments-api")],
        )
    exchanged = (NOW - timedelta(minutes=4)).replace(tzinfo=None)
    connection = sqlite3.connect(database)
    try:
        with connection:
            connection.execute(
                "UPDATE trusted_deployer SET last_exchanged_at = ? WHERE id = 1",
                (exchanged.isoformat(sep=" "),),
            )
    finally:
        connection.close()


def pictures(window: MainWindow, gallery: Path, guide: Path, *, english: bool) -> None:
    project = next(p for p in window.projects_page().projects() if p.name == PROJECT)
    window.open_project(project, "Trusted deployers")
    pane = window.project_page().deployers_pane()
    pane.table().selectRow(0)
    shot(window, gallery / "deployers.png", guide)
    light = QApplication.palette()
    if english:
        QApplication.setPalette(dark_palette())
        shot(window, gallery / "dark-deployers.png")
        QApplication.setPalette(light)
    for kind in ("github", "gitlab", "generic"):
        dialog = pane.add()
        assert dialog is not None
        dialog.choose_kind(kind)
        shot(dialog, gallery / f"add-deployer-{kind}.png")
        if english and kind == "github":
            QApplication.setPalette(dark_palette())
            shot(dialog, gallery / "dark-add-deployer-github.png")
            QApplication.setPalette(light)
        dialog.reject()
        wait_for(lambda: QApplication.activeModalWidget() is None)
    pane.request_remove()
    shot(modal(), gallery / "remove-deployer.png")
    modal().close()
    wait_for(lambda: QApplication.activeModalWidget() is None)


def render(language: str) -> None:
    english = language == "en"
    gallery = GALLERY if english else GERMAN_GALLERY
    guide = GUIDE_PICTURES if english else GERMAN_GUIDE_PICTURES
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        database = Path(scratch) / "sample.db"
        fill(f"sqlite:///{database}")
        fill_deployers(database)
        window = open_window(f"sqlite:///{database}", settings, GUIDE_SIZE if english else NARROW)
        pictures(window, gallery, guide / "deployers.png", english=english)
        if english:
            window.resize(*NARROW)
            shot(window, gallery / "deployers-800x500.png")
        window.close()
        window.close_database()
    print(f"Wrote the trusted deployers' pictures in {gallery} and {guide}")


def main() -> int:
    os.environ[config.SALT_ENV] = "sample-salt-for-the-screenshot-only-0123456789"
    resources.install_translations(application(), QLocale(QLocale.Language.English))
    render("en")
    resources.install_translations(application(), QLocale("de_DE"))
    render("de")
    return 0


if __name__ == "__main__":
    sys.exit(main())
