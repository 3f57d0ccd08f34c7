"""Clipboard hygiene: marked as a secret, cleared later, and only if still ours."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import button, click, open_tokens_pane, reveal_dialog
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
