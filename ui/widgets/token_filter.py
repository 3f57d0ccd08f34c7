"""The tokens filter box: searched in the database (the list loads a page at a time),
once typing pauses."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit, QWidget

FILTER_PLACEHOLDER = "Filter by name, or the last 4 characters of a token"
FILTER_DELAY_MS = 250


def filter_box(owner: QWidget, apply: Callable[[], None]) -> tuple[QLineEdit, QTimer]:
    """The box, and the timer that calls ``apply`` once typing pauses (Enter at once)."""
    box = QLineEdit()
    box.setObjectName("tokenFilter")
    box.setPlaceholderText(FILTER_PLACEHOLDER)
    box.setAccessibleName("Filter tokens")
    box.setClearButtonEnabled(True)
    delay = QTimer(owner)
    delay.setSingleShot(True)
    delay.setInterval(FILTER_DELAY_MS)
    delay.timeout.connect(apply)
    box.textChanged.connect(lambda _text: delay.start())
    box.returnPressed.connect(apply)
    return box, delay
