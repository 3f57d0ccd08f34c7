"""Render the main window with sample data, headless, to docs/screenshot.png.

Run it with ``make screenshot``. Everything happens in a temporary directory: a sample
database, a sample salt and throwaway settings, so the user's own data is never read.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Before Qt is imported: no display is needed.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

import app
from app import config
from app.lifecycle import Expiry
from app.service import TokenService
from ui import create_main_window
from ui.pages.project import DEPLOYMENT_TOKENS

DOCS = Path(__file__).resolve().parent.parent / "docs"
OUTPUT = DOCS / "screenshot.png"
# The Rotate… dialog over the same window, for the README's section on rotation.
ROTATE_OUTPUT = DOCS / "rotate-dialog.png"
SIZE = (1120, 620)
NOW = datetime.now(UTC)
SAMPLE_TOKENS = [
    # name, created (days ago), last used (days ago or None), created by, lifetime in days
    # (None: no expiry), environments
    ("GitHub Actions: production deploy", 94, 0.01, "maria", 97, ["production"]),
    ("GitLab CI: staging", 41, 2, "maria", 90, ["staging"]),
    ("Argo CD sync", 12, 0.2, "devon", 365, ["production"]),
    ("Release laptop (emergency)", 300, None, "devon", None, []),
    ("Terraform Cloud run", 0.02, None, "maria", 90, []),
]
# Rotated an hour ago with a day's grace: the old row reads "Retiring".
ROTATED = "Argo CD sync"


def fill(database_url: str) -> None:
    with app.open_service(database_url) as opened:
        for name in ("checkout-web", "payments-api", "search-indexer"):
            opened.add_project(name)
        for environment in ("staging", "production"):
            opened.add_environment("payments-api", environment)
        for name, created, used, actor, lifetime, environments in SAMPLE_TOKENS:
            at = NOW - timedelta(days=created)
            service = TokenService(opened.storage, clock=lambda at=at: at, actor=actor)
            expiry = Expiry.no_expiry() if lifetime is None else Expiry.after(timedelta(lifetime))
            record, plaintext = service.generate(
                "payments-api", name, expiry=expiry, environments=environments
            )
            if used is not None:
                use = NOW - timedelta(days=used)
                TokenService(opened.storage, clock=lambda use=use: use).verify(plaintext)
            if name == ROTATED:
                an_hour_ago = NOW - timedelta(hours=1)
                TokenService(opened.storage, clock=lambda at=an_hour_ago: at, actor=actor).rotate(
                    "payments-api", record.id, grace=timedelta(hours=24)
                )
            del plaintext


def main() -> int:
    os.environ[config.SALT_ENV] = "sample-salt-for-the-screenshot-only-0123456789"
    with tempfile.TemporaryDirectory() as scratch:
        database_url = f"sqlite:///{Path(scratch) / 'sample.db'}"
        fill(database_url)
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        window = create_main_window(database_url, settings=settings)
        window.resize(*SIZE)
        window.show()
        project = next(p for p in window.projects_page().projects() if p.name == "payments-api")
        window.open_project(project, DEPLOYMENT_TOKENS)
        window.project_page().tokens_pane().table().selectRow(0)
        QApplication.processEvents()
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(OUTPUT)):
            print(f"screenshot: could not write {OUTPUT}", file=sys.stderr)
            return 1
        pane = window.project_page().tokens_pane()
        pane.request_rotate(pane.model().record(0).id)
        QApplication.processEvents()
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.grab().save(str(ROTATE_OUTPUT)):
            print(f"screenshot: could not write {ROTATE_OUTPUT}", file=sys.stderr)
            return 1
        dialog.reject()
        window.close()
        window.close_database()
    print(f"Wrote {OUTPUT} and {ROTATE_OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
