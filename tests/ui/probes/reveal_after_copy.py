"""Open the reveal dialog at the scale the environment sets, press its copy button, and
report whether every line still shows.

Run by tests/ui/dialogs/test_reveal_token.py in a process of its own: Qt's scale factor
must be set before the QApplication exists, and the test process has one already.

``python reveal_after_copy.py`` prints one JSON object.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app import tokens
from app.records import TokenRecord
from ui.clipboard import SecretClipboard
from ui.dialogs.reveal_token import RevealTokenDialog


def needed_height(widget: QWidget) -> int:
    """How tall ``widget`` must be to show all of itself at its width."""
    if widget.hasHeightForWidth():
        return widget.heightForWidth(widget.width())
    return widget.sizeHint().height()


def cut_off(dialog: QWidget) -> list[str]:
    """The labels that do not fully show: outside the dialog, or shorter than their text."""
    return [
        label.text()
        for label in dialog.findChildren(QLabel)
        if label.isVisible()
        and (not dialog.rect().contains(label.geometry()) or label.height() < needed_height(label))
    ]


def main() -> None:
    app = QApplication(sys.argv[:1])
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
    dialog = RevealTokenDialog(record, plaintext, SecretClipboard())
    del plaintext
    dialog.open()
    for _ in range(5):
        app.processEvents()
    before = dialog.height()
    dialog.copy_button().click()
    for _ in range(5):
        app.processEvents()
    print(
        json.dumps(
            {
                "device_pixel_ratio": dialog.devicePixelRatio(),
                "height_before": before,
                "height": dialog.height(),
                "size_hint_height": dialog.sizeHint().height(),
                "cut_off": cut_off(dialog),
            }
        )
    )
    dialog.done(0)
    QApplication.clipboard().clear()


if __name__ == "__main__":
    main()
