"""The tokens filter box: searched in the database (the list loads a page at a time),
once typing pauses."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLineEdit, QWidget

from ui.resources import QT_TRANSLATE_NOOP

FILTER_PLACEHOLDER = QT_TRANSLATE_NOOP(
    "TokenFilter", "Filter by name, or the last 4 characters of a token"
)
FILTER_DELAY_MS = 250


def filter_box(owner: QWidget, apply: Callable[[], None]) -> tuple[QLineEdit, QTimer]:
    """The box, and the timer that calls ``apply`` once typing pauses (Enter at once)."""
    box = QLineEdit()
    box.setObjectName("tokenFilter")
    box.setPlaceholderText(QCoreApplication.translate("TokenFilter", FILTER_PLACEHOLDER))
    box.setAccessibleName(QCoreApplication.translate("TokenFilter", "Filter tokens"))
    box.setClearButtonEnabled(True)
    delay = QTimer(owner)
    delay.setSingleShot(True)
    delay.setInterval(FILTER_DELAY_MS)
    delay.timeout.connect(apply)
    box.textChanged.connect(lambda _text: delay.start())
    box.returnPressed.connect(apply)
    return box, delay
