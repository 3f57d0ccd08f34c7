"""A warning strip across the top of a pane, readable in light and dark palettes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from ui import resources


class WarningBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("warningBanner")
        # Translucent amber over whatever the window colour is: legible in both modes,
        # and the text keeps the palette's own colour.
        self.setStyleSheet(
            "#warningBanner { background: rgba(255, 179, 0, 0.18);"
            " border: 1px solid rgba(255, 179, 0, 0.7); border-radius: 6px; }"
        )
        self._icon = QLabel()
        self._icon.setPixmap(resources.icon("warning").pixmap(QSize(20, 20)))
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._text = QLabel()
        self._text.setObjectName("warningText")
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self._icon)
        layout.addWidget(self._text, 1)
        self.setAccessibleName(self.tr("Warning"))
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if resources.is_palette_change(event):
            self._icon.setPixmap(resources.icon("warning").pixmap(QSize(20, 20)))

    def text(self) -> str:
        return self._text.text()

    def show_warning(self, text: str | None) -> None:
        """Show ``text``, or hide the banner when it is None."""
        self._text.setText(text or "")
        self.setAccessibleDescription(text or "")
        self.setVisible(bool(text))
