"""Buttons that behave as keyboard users expect outside dialogs too."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPushButton


class ActionButton(QPushButton):
    """A push button that Enter presses when it has focus, as Space does.

    In a dialog, Qt gives Enter to the default button; on a page, a focused QPushButton
    ignores Enter, so a keyboard user who tabbed to "Generate deployment token" and
    pressed Enter got nothing.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.animateClick()
            event.accept()
            return
        super().keyPressEvent(event)
