"""Clipboard hygiene: marked as a secret, cleared later, and only if still ours."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.support.ui import button, click, open_tokens_pane, reveal_dialog
from ui.clipboard import (
    CLEAR_AFTER_MS,
    KDE_PASSWORD_HINT,
    WINDOWS_CLOUD,
    WINDOWS_EXCLUDE_FROM_MONITORS,
    WINDOWS_HISTORY,
    SecretClipboard,
)

pytestmark = pytest.mark.usefixtures("no_clipboard_left")

SECRET = "mldt_" + "A" * 49


def test_the_copy_is_marked_secret_for_clipboard_managers(qtbot):
    guard = SecretClipboard()
    guard.copy(SECRET)
    data = QApplication.clipboard().mimeData()
    assert data.text() == SECRET
    assert bytes(data.data(KDE_PASSWORD_HINT)) == b"secret"
    # Windows reads these as a DWORD: 0 keeps it out of Win+V history and cloud sync.
    assert bytes(data.data(WINDOWS_HISTORY)) == b"\0\0\0\0"
    assert bytes(data.data(WINDOWS_CLOUD)) == b"\0\0\0\0"
    assert data.hasFormat(WINDOWS_EXCLUDE_FROM_MONITORS)


def test_the_default_clear_interval_is_a_minute():
    assert SecretClipboard().clear_after_ms == CLEAR_AFTER_MS == 60_000


def test_the_clipboard_is_cleared_after_the_interval(qtbot):
    guard = SecretClipboard(clear_after_ms=50)
    guard.copy(SECRET)
    with qtbot.waitSignal(guard.cleared, timeout=2_000):
        pass
    assert QApplication.clipboard().text() == ""


def test_something_copied_since_is_left_alone(qtbot):
    guard = SecretClipboard(clear_after_ms=50)
    guard.copy(SECRET)
    QApplication.clipboard().setText("the user's own text")
    with qtbot.assertNotEmitted(guard.cleared, wait=300):
        pass
    assert QApplication.clipboard().text() == "the user's own text"


def test_the_guard_keeps_a_fingerprint_not_the_secret():
    guard = SecretClipboard()
    guard.copy(SECRET)
    assert guard.holds_secret()
    assert SECRET not in repr(vars(guard))
    assert SECRET.encode() not in b"".join(
        value for value in vars(guard).values() if isinstance(value, bytes)
    )


def test_copy_in_the_reveal_dialog_clears_later_and_says_so(qtbot, window, web_project, clipboard):
    open_tokens_pane(qtbot, window, "web")
    click(qtbot, button(window, "Generate deployment token"))
    dialog = reveal_dialog(qtbot)
    shown = dialog.token_field().text()
    click(qtbot, button(dialog, "Copy token"))
    assert QApplication.clipboard().text() == shown
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))
    # The guard outlives the dialog: the clear still happens after Close.
    with qtbot.waitSignal(clipboard.cleared, timeout=3_000):
        pass
    assert QApplication.clipboard().text() == ""
    assert "cleared" in window.statusBar().currentMessage()


def test_ctrl_c_in_the_token_field_copies_as_a_secret_too(qtbot, window, web_project):
    from PySide6.QtGui import QKeySequence

    open_tokens_pane(qtbot, window, "web")
    click(qtbot, button(window, "Generate deployment token"))
    dialog = reveal_dialog(qtbot)
    field = dialog.token_field()
    field.setFocus()
    field.selectAll()
    qtbot.keySequence(field, QKeySequence(QKeySequence.StandardKey.Copy))
    data = QApplication.clipboard().mimeData()
    assert data.text() == field.text()
    assert bytes(data.data(KDE_PASSWORD_HINT)) == b"secret"
    assert dialog.has_copied
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))


def test_closing_the_window_clears_a_token_still_on_the_clipboard(qtbot, make_window, web_project):
    window = make_window(clipboard=SecretClipboard())  # the real 60 s interval
    open_tokens_pane(qtbot, window, "web")
    click(qtbot, button(window, "Generate deployment token"))
    dialog = reveal_dialog(qtbot)
    click(qtbot, button(dialog, "Copy token"))
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))
    assert QApplication.clipboard().text().startswith("mldt_")
    window.close()
    assert QApplication.clipboard().text() == ""


X11_SELECTION_PROBE = """
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtTest import QTest

from app import tokens
from app.records import TokenRecord, utc_now
from ui.application import application
from ui.clipboard import SecretClipboard
from ui.dialogs.reveal_token import RevealTokenDialog

app = application()
assert QGuiApplication.platformName() == "xcb", QGuiApplication.platformName()
board = app.clipboard()
assert board.supportsSelection()
token = tokens.new_token()
record = TokenRecord(1, "web", "ci", tokens.preview(token), utc_now(), "me", None)
dialog = RevealTokenDialog(record, token, SecretClipboard())
dialog.show()
QTest.qWaitForWindowExposed(dialog)
field = dialog.token_field()
middle = field.height() // 2
QTest.mousePress(field, Qt.MouseButton.LeftButton, pos=QPoint(3, middle))
QTest.mouseMove(field, QPoint(field.width() - 3, middle))
QTest.mouseRelease(field, Qt.MouseButton.LeftButton, pos=QPoint(field.width() - 3, middle))
QTest.qWait(200)
selected = field.selectedText()
primary = board.text(QClipboard.Mode.Selection)
print("selected", len(selected) > 20 and selected in token)
print("primary-holds-token", bool(primary) and primary in token)
"""


def test_selecting_the_token_with_the_mouse_keeps_it_out_of_the_x11_selection(tmp_path):
    """X11 copies any selected text to the PRIMARY selection (middle-click paste). The
    offscreen platform has no such selection, so this runs the dialog on a real X server."""
    xvfb_run = shutil.which("xvfb-run")
    assert xvfb_run, "xvfb-run is missing: .ci/run installs it (Debian package xvfb)"
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    result = subprocess.run(
        [xvfb_run, "--auto-servernum", sys.executable, "-c", X11_SELECTION_PROBE],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "selected True" in result.stdout  # the drag did select the token
    assert "primary-holds-token False" in result.stdout
