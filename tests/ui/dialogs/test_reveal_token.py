"""The one-time reveal dialog: nothing cut off after Copy, at any scale, and a Tab order
that follows the reading order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel

from app import tokens
from app.records import TokenRecord
from tests.ui.probes.reveal_after_copy import cut_off
from ui.clipboard import SecretClipboard
from ui.dialogs.reveal_token import RevealTokenDialog

PROBE = Path(__file__).resolve().parents[1] / "probes" / "reveal_after_copy.py"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def dialog(qtbot, no_clipboard_left):
    plaintext = tokens.new_token()
    record = TokenRecord(
        id=1,
        project="web",
        name="GitLab CI production",
        preview=tokens.preview(plaintext),
        created_at=datetime.now(UTC),
        created_by="release-bot",
        last_used_at=None,
    )
    shown = RevealTokenDialog(record, plaintext, SecretClipboard())
    qtbot.addWidget(shown)
    shown.open()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    yield shown
    shown.done(0)


def laid_out() -> None:
    """Let Qt handle what it posted: the layout requests that a new text makes."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def test_after_copy_the_dialog_grows_and_every_line_shows(qtbot, dialog):
    laid_out()
    qtbot.mouseClick(dialog.copy_button(), Qt.MouseButton.LeftButton)
    laid_out()
    assert dialog.copied_label().text().startswith("Copied.")
    assert dialog.copied_label().isVisible()
    assert dialog.height() >= dialog.sizeHint().height()
    assert cut_off(dialog) == []
    # The last line ("In the table it will appear as mldt_…") ends above the buttons.
    [last] = [label for label in dialog.findChildren(QLabel) if "In the table" in label.text()]
    assert last.geometry().bottom() < dialog.close_button().mapTo(dialog, QPoint(0, 0)).y()


def test_after_copy_every_line_shows_at_2x_scale(tmp_path):
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QT_SCALE_FACTOR": "2",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, str(PROBE)],
        capture_output=True, text=True, env=environment, timeout=120, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["device_pixel_ratio"] == 2.0
    assert seen["height"] >= seen["size_hint_height"]
    assert seen["cut_off"] == []


def test_tab_goes_from_the_field_to_its_copy_button_then_close(qtbot, dialog):
    field = dialog.token_field()
    field.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(field.hasFocus)
    order = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [dialog.copy_button(), dialog.close_button(), field]
    # And back again with Shift+Tab.
    qtbot.keyClick(field, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is dialog.close_button()
