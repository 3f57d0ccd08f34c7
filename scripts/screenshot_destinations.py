"""Render the Destinations page and what pushing a token looks like, headless: the page
with one destination of each kind (OpenBao/Vault pushed, GitHub failed, GitLab without
its credential: the banner), Add destination… for each kind, Rotate… with "Push to bao",
the reveal dialog after Send to, and the token policy with "Rotate automatically"; in the
gallery (docs/gallery/, and de/) and the user guide's pictures (destinations.png,
add-destination.png, reveal-send-to.png, token-policy.png; de/ the first three).

The pushes are real: to ``bao server -dev`` from the venv, started here on loopback at a
fixed port (the page shows its URL) and stopped after; GitHub's failure is a 401 from a
receiver of this script's own ($GITHUB_API_URL points there). The credentials are
throwaway values of this script's, set in this process's environment only while the
pictures are made. Called by ``screenshot.py`` (``english()``, ``german()``), or alone:
``python scripts/screenshot_destinations.py``.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
from app.destinations import github_target, gitlab_target, vault_target
from app.errors import DeploymentTokensError
from app.lifecycle import Expiry
from app.service import TokenService
from ui import resources
from ui.application import application
from ui.main_window import MainWindow
from ui.pages.project import DEPLOYMENT_TOKENS

PROJECT = "payments-api"
# The local OpenBao and the GitHub API that refuses: fixed ports, so the pictures (the
# OpenBao URL is on the page) do not change with them.
BAO_PORT = 8200
BAO_URL = f"http://127.0.0.1:{BAO_PORT}"
GITHUB_PORT = 8091
BAO = "bao"
GITHUB = "github-production"
GITLAB = "gitlab-staging"
PUSHED_NAME = "Kubernetes: production deploy"
# Throwaway: never a real-looking credential (and the pictures show none).
GITHUB_CREDENTIAL = "screenshot-sample-not-a-credential"
CREDENTIALS = ("VAULT_TOKEN", "BAO_TOKEN", "GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN")


@contextmanager
def local_bao() -> Iterator[str]:
    """``bao server -dev`` from the venv on BAO_PORT (in memory, KV v2 at secret/); its
    root token. Stopped after."""
    root = "root-" + secrets.token_hex(12)
    binary = Path(sys.executable).with_name("bao")
    with tempfile.TemporaryDirectory(prefix="bao-screenshot-") as scratch:
        log = Path(scratch) / "bao.log"
        with log.open("ab") as output:
            process = subprocess.Popen(
                [
                    str(binary),
                    "server",
                    "-dev",
                    f"-dev-root-token-id={root}",
                    f"-dev-listen-address=127.0.0.1:{BAO_PORT}",
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        try:
            deadline = time.monotonic() + 15
            while not _healthy(root):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"screenshot: bao server -dev did not start:\n{log.read_text()[-2000:]}"
                    )
                time.sleep(0.05)
            yield root
        finally:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def _healthy(root: str) -> bool:
    request = urllib.request.Request(  # noqa: S310 (this script's own server)
        f"{BAO_URL}/v1/sys/health", headers={"X-Vault-Token": root}
    )
    try:
        with urllib.request.urlopen(request, timeout=2):  # noqa: S310
            return True
    except (OSError, urllib.error.URLError):
        return False


@contextmanager
def refusing_github() -> Iterator[str]:
    """A GitHub API that refuses every credential (401, "Bad credentials"); its URL."""

    class Handler(BaseHTTPRequestHandler):
        def _refuse(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            body = json.dumps({"message": "Bad credentials"}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PUT = do_POST = _refuse

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", GITHUB_PORT), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://localhost:{GITHUB_PORT}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def credentials(values: dict[str, str]) -> Iterator[None]:
    """This process's credential variables exactly ``values`` (GitLab's left unset: the
    banner), as they were after."""
    names = (*CREDENTIALS, "GITHUB_API_URL")
    saved = {name: os.environ.get(name) for name in names}
    for name in names:
        os.environ.pop(name, None)
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def fill_destinations(database_url: str) -> None:
    """payments-api's destinations: bao (a token pushed 3 days ago), github-production
    (the same token refused 2 hours ago), gitlab-staging (never pushed); and its rotation
    policy: pushed tokens rotated 14 days before they expire, the old one living a day."""
    with app.open_service(database_url) as opened:
        added = NOW - timedelta(days=20)
        maria = TokenService(opened.storage, clock=lambda: added, actor="maria")
        maria.add_destination(PROJECT, BAO, vault_target(BAO_URL, "secret/payments-api/deploy"))
        maria.add_destination(
            PROJECT, GITHUB, github_target("acme/payments-api", "DEPLOY_TOKEN", "production")
        )
        maria.add_destination(
            PROJECT,
            GITLAB,
            gitlab_target("https://gitlab.example.com", "42", "DEPLOY_TOKEN", "staging"),
        )
        maria.set_rotation_policy(PROJECT, 14, timedelta(days=1))
        pushed_at, failed_at = NOW - timedelta(days=3), NOW - timedelta(hours=2)
        pushing = TokenService(opened.storage, clock=lambda: pushed_at, actor="maria")
        record, plaintext = pushing.generate(
            PROJECT, PUSHED_NAME, expiry=Expiry.after(timedelta(90)), environments=["production"]
        )
        pushing.push_token(PROJECT, record.id, plaintext, BAO)
        failing = TokenService(opened.storage, clock=lambda: failed_at, actor="devon")
        try:
            failing.push_token(PROJECT, record.id, plaintext, GITHUB)
        except DeploymentTokensError:
            pass
        else:
            raise RuntimeError("screenshot: the push to GitHub should have been refused")
        del plaintext


def pictures(window: MainWindow, gallery: Path, guide: Path, *, english: bool) -> None:
    project = next(p for p in window.projects_page().projects() if p.name == PROJECT)
    window.open_project(project, "Destinations")
    page = window.project_page()
    pane = page.destinations_pane()
    pane.select(BAO)
    # No focus frame: the sidebar's (a stray box beside the icon at 800x500) nor the
    # table's (it grazes the selected row's second line).
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()
    shot(window, gallery / "destinations.png", guide / "destinations.png")
    if english:
        light = QApplication.palette()
        QApplication.setPalette(dark_palette())
        shot(window, gallery / "dark-destinations.png")
        QApplication.setPalette(light)
        size = window.size()
        window.resize(*NARROW)
        shot(window, gallery / "destinations-800x500.png")
        window.resize(size)

    for kind, name, fields in (
        ("vault", "bao-staging", {"vaultUrl": "https://bao.example.com",
                                   "vaultPath": "secret/payments-api/staging"}),
        ("github", "github-staging", {"githubRepository": "acme/payments-api",
                                       "githubSecret": "DEPLOY_TOKEN",
                                       "githubEnvironment": "staging"}),
        ("gitlab", "gitlab-production", {"gitlabUrl": "https://gitlab.example.com",
                                          "gitlabProject": "42",
                                          "gitlabVariable": "DEPLOY_TOKEN",
                                          "gitlabScope": "production"}),
    ):  # fmt: skip
        dialog = pane.add()
        if dialog is None:
            raise RuntimeError("screenshot: Add destination… did not open")
        dialog.choose_kind(kind)
        dialog.field("name").setText(name)
        for key, value in fields.items():
            dialog.field(key).setText(value)
        copies = [guide / "add-destination.png"] if kind == "vault" else []
        shot(dialog, gallery / f"add-destination-{kind}.png", *copies)
        dialog.reject()
        wait_for(lambda: QApplication.activeModalWidget() is None)

    # The pushed tokens' rotation policy (the guide's picture of the token policy).
    page.show_section("Token policy")
    if english:
        shot(window, gallery / "token-policy-rotation.png", guide / "token-policy.png")
    else:
        shot(window, gallery / "token-policy.png")

    page.show_section(DEPLOYMENT_TOKENS)
    tokens = page.tokens_pane()
    model = tokens.model()
    rows = (model.record(row) for row in range(model.rowCount()))
    pushed = next(record for record in rows if record.name == PUSHED_NAME)
    tokens.request_rotate(pushed.id)
    rotate = modal()
    rotate.choose_destination(BAO)
    shot(rotate, gallery / "rotate-push-dialog.png")
    rotate.reject()
    wait_for(lambda: QApplication.activeModalWidget() is None)

    # Last: it adds a token, which the pictures above should not show.
    tokens.generate()
    wait_for(lambda: QApplication.activeModalWidget() is not None)
    reveal = modal()
    send = reveal.send_token()
    if send is None:
        raise RuntimeError("screenshot: the reveal dialog has no Send to")
    send.send(BAO)
    wait_for(lambda: not send.is_busy() and send.sent_to() == BAO)
    shot(reveal, gallery / "reveal-send-to.png", guide / "reveal-send-to.png")
    reveal.reject()
    wait_for(lambda: QApplication.activeModalWidget() is None)


def render(language: str) -> None:
    """The pictures in ``language`` ("en" or "de"), in a sample database of their own."""
    english = language == "en"
    gallery = GALLERY if english else GERMAN_GALLERY
    guide = GUIDE_PICTURES if english else GERMAN_GUIDE_PICTURES
    with tempfile.TemporaryDirectory() as scratch, local_bao() as root, refusing_github() as api:
        values = {"VAULT_TOKEN": root, "GITHUB_TOKEN": GITHUB_CREDENTIAL, "GITHUB_API_URL": api}
        with credentials(values):
            settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
            database_url = f"sqlite:///{Path(scratch) / 'sample.db'}"
            fill(database_url)
            fill_destinations(database_url)
            window = open_window(database_url, settings, GUIDE_SIZE if english else NARROW)
            pictures(window, gallery, guide, english=english)
            window.close()
            window.close_database()
    print(f"Wrote the destinations' pictures in {gallery} and {guide}")


def main() -> int:
    os.environ[config.SALT_ENV] = "sample-salt-for-the-screenshot-only-0123456789"
    resources.install_translations(application(), QLocale(QLocale.Language.English))
    render("en")
    resources.install_translations(application(), QLocale("de_DE"))
    render("de")
    return 0


if __name__ == "__main__":
    sys.exit(main())
