"""Render the app with sample data, headless: docs/screenshot.png (the README's picture),
docs/rotate-dialog.png, a gallery in docs/gallery/ (dark, narrow, scale 2, the reveal
dialog, the delete confirmations of a token and of a project, a project's settings, the
first run, the audit log verified and broken, notifications), the German gallery in
docs/gallery/de/ (every page and dialog, the window at 800x500, to see that the German
texts fit), and the user guide's pictures in resources/guide/pictures/ (shipped in the
wheel: Help > User guide shows them).

Run it with ``make screenshot`` (``--language de``: the German gallery alone). The
picture at scale 2 is rendered by a second process of this script (``--scale-2``) with
QT_SCALE_FACTOR=2, which Qt reads only when it starts. Everything
happens in a temporary directory: a sample database, a sample salt and throwaway settings,
so the user's own data is never read. The status bar names the default database path
rather than that directory, so pictures do not change with where they were made.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Before Qt is imported: no display is needed.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QCoreApplication, QLocale, QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

import app
from app import config
from app.lifecycle import Expiry
from app.service import TokenService
from ui import create_main_window, resources
from ui.application import application
from ui.main_window import MainWindow
from ui.pages.project import DEPLOYMENT_TOKENS, SETTINGS
from ui.widgets.audit_details import HASH

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
# Who the status bar says the one local user is.
SAMPLE_USER = "maria"
# Rotated an hour ago with a day's grace: the old row reads "Retiring".
ROTATED = "Argo CD sync"


def fill(database_url: str) -> None:
    with app.open_service(database_url) as opened:
        for name in ("checkout-web", "payments-api", "search-indexer"):
            opened.add_project(name)
        # Before the oldest token, by the person who set the project up.
        set_up = NOW - timedelta(days=320)
        setting_up = TokenService(opened.storage, clock=lambda: set_up, actor="maria")
        for environment in ("staging", "production"):
            setting_up.add_environment("payments-api", environment)
        for name, created, used, actor, lifetime, environments in SAMPLE_TOKENS:
            at = NOW - timedelta(days=created)
            service = TokenService(opened.storage, clock=lambda at=at: at, actor=actor)
            expiry = Expiry.no_expiry() if lifetime is None else Expiry.after(timedelta(lifetime))
            record, plaintext = service.generate(
                "payments-api", name, expiry=expiry, environments=environments
            )
            if used is not None:
                use = NOW - timedelta(days=used)
                # A token limited to environments verifies only for one of them.
                environment = environments[0] if environments else None
                used_by = TokenService(opened.storage, clock=lambda use=use: use)
                if used_by.verify(plaintext, environment=environment) is None:
                    raise RuntimeError(f"screenshot: the sample token {name!r} did not verify")
            if name == ROTATED:
                an_hour_ago = NOW - timedelta(hours=1)
                TokenService(opened.storage, clock=lambda at=an_hour_ago: at, actor=actor).rotate(
                    "payments-api", record.id, grace=timedelta(hours=24)
                )
            del plaintext


# Where the sample webhooks POST: a receiver of this script's own on loopback, at a fixed
# port so the pictures do not change with it; one path takes events, the other is down.
RECEIVER_PORT = 8089
TAKEN = f"http://localhost:{RECEIVER_PORT}/siem/deployment-tokens"
DOWN = f"http://localhost:{RECEIVER_PORT}/chat/hooks/releases"


@contextmanager
def receiver() -> Iterator[None]:
    """The sample webhooks' receiver: 204 for TAKEN, 503 for anything else."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(204 if TAKEN.endswith(self.path) else 503)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", RECEIVER_PORT), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def fill_notifications(database_url: str) -> None:
    """payments-api's notifications: a webhook that took every event and one that is
    down (notify ran 25 minutes ago), then an e-mail recipient and one of all projects,
    added since. Audited: added after the audit log's pictures."""
    with app.open_service(database_url) as opened, receiver():
        added, ran = NOW - timedelta(days=30), NOW - timedelta(minutes=25)
        maria = TokenService(opened.storage, clock=lambda: added, actor="maria")
        for url in (TAKEN, DOWN):
            maria.add_notification("payments-api", "webhook", url)
        TokenService(opened.storage, clock=lambda: ran).notify(sleep=lambda _: None)
        later = NOW - timedelta(days=2)
        devon = TokenService(opened.storage, clock=lambda: later, actor="devon")
        devon.add_notification("payments-api", "email", "release-team@example.com")
        maria.add_notification(None, "email", "security@example.com")


def notification_pictures(
    window: MainWindow, database_url: str, gallery: Path, guide: Path | None
) -> None:
    """The Notifications pane with none yet (on checkout-web), then with the samples on
    payments-api (the guide's picture too), and its Add… dialog."""
    projects = {p.name: p for p in window.projects_page().projects()}
    window.open_project(projects["checkout-web"], "Notifications")
    shot(window, gallery / "notifications-empty.png")
    fill_notifications(database_url)
    window.open_project(projects["payments-api"], "Notifications")
    shot(window, gallery / "notifications.png", *([] if guide is None else [guide]))
    window.project_page().notifications_pane().add()
    modal().choose_kind("webhook")
    shot(modal(), gallery / "add-notification.png")
    modal().reject()
    wait_for(lambda: QApplication.activeModalWidget() is None)


GALLERY = DOCS / "gallery"
GERMAN_GALLERY = GALLERY / "de"
# The user guide's pictures: package data, beside the guide (ui/dialogs/user_guide.py).
GUIDE_PICTURES = Path(__file__).resolve().parent.parent / "resources" / "guide" / "pictures"
GERMAN_GUIDE_PICTURES = GUIDE_PICTURES / "de"
# The German guide's pictures, from the German gallery.
GERMAN_GUIDE_SHOWS = ("deployment-tokens.png", "reveal-dialog.png", "rotate-dialog.png")
SCALED = GALLERY / "scale-2.png"
DEFAULT_DATABASE = "~/.local/share/deployment-tokens/deployment-tokens.db"
NARROW = (800, 500)
# The user guide's pictures of the window: as wide as the guide shows them unscaled.
GUIDE_SIZE = (960, 560)
# The audit log's row shown whole below the table (a rotation: the longest details), and
# the event edited behind the app's back for the picture of a broken log (the first
# token generated).
AUDIT_SELECTED_ROW = 2
TAMPERED = 3


def main(argv: list[str]) -> int:
    os.environ[config.SALT_ENV] = "sample-salt-for-the-screenshot-only-0123456789"
    if "--scale-2" in argv:
        resources.install_translations(application(), QLocale(QLocale.Language.English))
        scaled()
        return 0
    languages = argv[argv.index("--language") + 1 :] if "--language" in argv else ["en", "de"]
    # English first, in English whatever this machine's language: the pictures are the
    # README's.
    resources.install_translations(application(), QLocale(QLocale.Language.English))
    if "en" in languages:
        english()
        subprocess.run(
            [sys.executable, __file__, "--scale-2"],
            env={**os.environ, "QT_SCALE_FACTOR": "2"},
            check=True,
        )
    if "de" in languages:
        resources.install_translations(application(), QLocale("de_DE"))
        german()
    return 0


def scaled() -> None:
    """The Deployment Tokens page at scale 2 (as on a high-density screen): 800x500
    logical pixels, 1600x1000 in the picture."""
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        database_url = f"sqlite:///{Path(scratch) / 'sample.db'}"
        fill(database_url)
        window = open_window(database_url, settings, NARROW)
        project = next(p for p in window.projects_page().projects() if p.name == "payments-api")
        window.open_project(project, DEPLOYMENT_TOKENS)
        window.project_page().tokens_pane().table().selectRow(0)
        shot(window, SCALED)
        window.close()
        window.close_database()
    print(f"Wrote {SCALED}")


def english() -> None:
    GALLERY.mkdir(parents=True, exist_ok=True)
    GUIDE_PICTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        empty_url = f"sqlite:///{Path(scratch) / 'empty.db'}"
        first_run = open_window(empty_url, settings, SIZE)
        shot(first_run, GALLERY / "first-run.png")
        first_run.close()
        first_run.close_database()

        database_url = f"sqlite:///{Path(scratch) / 'sample.db'}"
        fill(database_url)
        window = open_window(database_url, settings, SIZE)
        project = next(p for p in window.projects_page().projects() if p.name == "payments-api")
        window.open_project(project, DEPLOYMENT_TOKENS)
        pane = window.project_page().tokens_pane()
        pane.table().selectRow(0)
        shot(window, OUTPUT)

        pane.request_rotate(pane.model().record(0).id)
        shot(modal(), ROTATE_OUTPUT, GUIDE_PICTURES / "rotate-dialog.png")
        modal().reject()

        pane.request_delete(pane.model().record(1).id)
        shot(
            modal(), GALLERY / "delete-confirmation.png", GUIDE_PICTURES / "delete-confirmation.png"
        )
        modal().close()
        wait_for(lambda: QApplication.activeModalWidget() is None)

        page = window.project_page()
        page.show_section(SETTINGS)
        shot(window, GALLERY / "project-settings.png")
        page.delete_project()
        shot(modal(), GALLERY / "delete-project-confirmation.png")
        modal().close()
        wait_for(lambda: QApplication.activeModalWidget() is None)
        page.show_section(DEPLOYMENT_TOKENS)

        window.resize(*NARROW)
        shot(window, GALLERY / "narrow-800x500.png")
        window.resize(*GUIDE_SIZE)
        shot(window, GUIDE_PICTURES / "deployment-tokens.png")
        for section, name in (
            ("Token policy", "token-policy"),
            ("Environments", "environments"),
        ):
            page.show_section(section)
            shot(window, GUIDE_PICTURES / f"{name}.png")
        verify_audit_log(window)
        shot(window, GUIDE_PICTURES / "audit-log.png")
        window.resize(*NARROW)
        shot(window, GALLERY / "audit-log-800x500.png")
        window.resize(*GUIDE_SIZE)
        page.show_section(DEPLOYMENT_TOKENS)
        window.report_leak()
        shot(modal(), GUIDE_PICTURES / "report-leak.png")
        modal().reject()
        wait_for(lambda: QApplication.activeModalWidget() is None)
        window.explain_salt()
        shot(modal(), GUIDE_PICTURES / "token-salt.png")
        modal().close()
        wait_for(lambda: QApplication.activeModalWidget() is None)

        window.resize(*SIZE)
        light = QApplication.palette()
        QApplication.setPalette(dark_palette())
        shot(window, GALLERY / "dark.png")
        # The grace choices are radio buttons, which Fusion all but hid in the dark.
        pane.request_rotate(pane.model().record(0).id)
        shot(modal(), GALLERY / "dark-rotate-dialog.png")
        modal().reject()
        wait_for(lambda: QApplication.activeModalWidget() is None)
        page.show_section("Token policy")
        shot(window, GALLERY / "dark-token-policy.png")
        verify_audit_log(window)
        shot(window, GALLERY / "dark-audit-log.png")
        page.show_section(DEPLOYMENT_TOKENS)
        QApplication.setPalette(light)

        # After the audit log's pictures: adding notifications is audited.
        window.resize(*GUIDE_SIZE)
        notification_pictures(window, database_url, GALLERY, GUIDE_PICTURES / "notifications.png")
        QApplication.setPalette(dark_palette())
        shot(window, GALLERY / "dark-notifications.png")
        QApplication.setPalette(light)
        window.resize(*SIZE)
        page.show_section(DEPLOYMENT_TOKENS)

        # Last: it adds a token, which the pictures above should not show.
        pane.generate()
        wait_for(lambda: QApplication.activeModalWidget() is not None)
        reveal = modal()
        shot(reveal, GALLERY / "reveal-dialog.png", GUIDE_PICTURES / "reveal-dialog.png")
        reveal.copy_token()
        reveal.reject()
        window.close()
        window.close_database()
    broken_audit_log(GALLERY, GUIDE_SIZE)
    # Destinations and pushing, with a local OpenBao (after the token policy's picture,
    # which it makes again with "Rotate automatically" on).
    destination_pictures("en")
    print(f"Wrote {OUTPUT}, {ROTATE_OUTPUT}, the gallery in {GALLERY}, the guide's pictures")


def german() -> None:
    """Every page and dialog in German, the window at 800x500 (the narrowest it is
    pictured at): German words are longer, and this is where they must still fit."""
    GERMAN_GALLERY.mkdir(parents=True, exist_ok=True)
    GERMAN_GUIDE_PICTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        database_url = f"sqlite:///{Path(scratch) / 'sample.db'}"
        fill(database_url)
        window = open_window(database_url, settings, NARROW)
        shot(window, GERMAN_GALLERY / "projects.png")
        window.projects_page().new_project()
        shot(modal(), GERMAN_GALLERY / "new-project.png")
        modal().reject()

        project = next(p for p in window.projects_page().projects() if p.name == "payments-api")
        window.open_project(project, SETTINGS)
        page = window.project_page()
        shot(window, GERMAN_GALLERY / "project-settings.png")
        for section, name in (
            ("Token policy", "token-policy"),
            ("Environments", "environments"),
            ("Audit log", "audit-log"),
            (DEPLOYMENT_TOKENS, "deployment-tokens"),
        ):
            page.show_section(section)
            shot(window, GERMAN_GALLERY / f"{name}.png")
        verify_audit_log(window)
        shot(window, GERMAN_GALLERY / "audit-log-verified.png")
        page.show_section(DEPLOYMENT_TOKENS)
        window.resize(*SIZE)
        shot(window, GERMAN_GALLERY / "deployment-tokens-wide.png")
        window.resize(*NARROW)

        pane = page.tokens_pane()
        pane.table().selectRow(0)
        pane.request_rotate(pane.model().record(0).id)
        shot(modal(), GERMAN_GALLERY / "rotate-dialog.png")
        modal().reject()
        pane.request_delete(pane.model().record(1).id)
        shot(modal(), GERMAN_GALLERY / "delete-confirmation.png")
        modal().close()
        wait_for(lambda: QApplication.activeModalWidget() is None)
        page.delete_project()
        shot(modal(), GERMAN_GALLERY / "delete-project-confirmation.png")
        modal().close()
        wait_for(lambda: QApplication.activeModalWidget() is None)
        page.rename_project()
        shot(modal(), GERMAN_GALLERY / "rename-project.png")
        modal().reject()
        wait_for(lambda: QApplication.activeModalWidget() is None)

        window.report_leak()
        shot(modal(), GERMAN_GALLERY / "report-leak.png")
        modal().reject()
        wait_for(lambda: QApplication.activeModalWidget() is None)
        window.explain_salt()
        shot(modal(), GERMAN_GALLERY / "token-salt.png")
        modal().close()
        wait_for(lambda: QApplication.activeModalWidget() is None)

        # After the audit log's pictures: adding notifications is audited.
        notification_pictures(
            window, database_url, GERMAN_GALLERY, GERMAN_GUIDE_PICTURES / "notifications.png"
        )
        page.show_section(DEPLOYMENT_TOKENS)

        # Last: it adds a token, which the pictures above should not show.
        pane.generate()
        wait_for(lambda: QApplication.activeModalWidget() is not None)
        reveal = modal()
        reveal.copy_token()
        shot(reveal, GERMAN_GALLERY / "reveal-dialog.png")
        reveal.reject()
        shot(window, GERMAN_GALLERY / "deployment-tokens-generated.png")
        window.close()
        window.close_database()
    broken_audit_log(GERMAN_GALLERY, NARROW)
    for name in GERMAN_GUIDE_SHOWS:
        shutil.copyfile(GERMAN_GALLERY / name, GERMAN_GUIDE_PICTURES / name)
    shutil.copyfile(
        GERMAN_GALLERY / "audit-log-verified.png", GERMAN_GUIDE_PICTURES / "audit-log.png"
    )
    destination_pictures("de")
    print(f"Wrote the German gallery in {GERMAN_GALLERY}")


def destination_pictures(language: str) -> None:
    from screenshot_destinations import render  # it imports this module's helpers

    render(language)


def verify_audit_log(window: MainWindow) -> None:
    """The audit log with an event selected (shown whole below the table), verified."""
    page = window.project_page()
    page.show_section("Audit log")
    pane = page.audit_pane()
    pane.table().selectRow(AUDIT_SELECTED_ROW)
    wait_for(lambda: "\N{HORIZONTAL ELLIPSIS}" not in pane.details().value(HASH))
    pane.verify()
    wait_for(lambda: not pane.is_busy() and pane.verdict().state() == "intact")


def broken_audit_log(gallery: Path, size: tuple[int, int]) -> None:
    """Verify of a log whose event was edited behind the app's back: the broken event's
    row highlighted, light and dark; in a sample database of its own."""
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        database = Path(scratch) / "sample.db"
        fill(f"sqlite:///{database}")
        connection = sqlite3.connect(database)
        try:
            with connection:
                connection.execute(
                    "UPDATE audit_event SET detail = 'no expiry' WHERE seq = ?", (TAMPERED,)
                )
        finally:
            connection.close()
        window = open_window(f"sqlite:///{database}", settings, size)
        project = next(p for p in window.projects_page().projects() if p.name == "payments-api")
        window.open_project(project, "Audit log")
        pane = window.project_page().audit_pane()
        pane.verify()
        wait_for(lambda: not pane.is_busy() and pane.verdict().state() == "broken")
        shot(window, gallery / "audit-log-broken.png")
        light = QApplication.palette()
        QApplication.setPalette(dark_palette())
        shot(window, gallery / "dark-audit-log-broken.png")
        QApplication.setPalette(light)
        window.close()
        window.close_database()


def open_window(database_url: str, settings: QSettings, size: tuple[int, int]) -> MainWindow:
    window = create_main_window(database_url, settings=settings)
    window.show()
    # After show: a window is fitted to its screen when first shown, and the headless
    # screen is smaller than the picture.
    window.resize(*size)
    QApplication.processEvents()
    return window


def modal() -> QWidget:
    widget = QApplication.activeModalWidget()
    if widget is None:
        raise RuntimeError("screenshot: the dialog did not open")
    return widget


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the event loop run (Generate writes in the background) until ``condition``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("screenshot: timed out")
        QApplication.processEvents()
        time.sleep(0.01)


def shot(widget: QWidget, path: Path, *copies: Path) -> None:
    window = widget.window()
    location = window.findChild(QLabel, "databaseLocation")
    if location is not None:
        said = QCoreApplication.translate("MainWindow", "Database: %1")
        location.setText(said.replace("%1", DEFAULT_DATABASE))
    # The one local user of an SQLite file: a sample's, not whoever made the pictures.
    identity = window.findChild(QLabel, "identityStatus")
    if identity is not None and identity.text():
        said = QCoreApplication.translate("MainWindow", "User: %1")
        identity.setText(said.replace("%1", SAMPLE_USER))
    for _ in range(5):
        QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise RuntimeError(f"screenshot: could not write {path}")
    for copy in copies:
        shutil.copyfile(path, copy)


def dark_palette() -> QPalette:
    """A dark palette as desktops set one (Fusion's roles, dark values)."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2d2d2d",
        QPalette.ColorRole.WindowText: "#eeeeee",
        QPalette.ColorRole.Base: "#1f1f1f",
        QPalette.ColorRole.AlternateBase: "#282828",
        QPalette.ColorRole.Text: "#eeeeee",
        QPalette.ColorRole.Button: "#3a3a3a",
        QPalette.ColorRole.ButtonText: "#eeeeee",
        QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#3a3a3a",
        QPalette.ColorRole.ToolTipText: "#eeeeee",
        QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
