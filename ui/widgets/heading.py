"""The heading style of pages and panes, one place for its size and weight."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

PAGE_TITLE_SCALE = 1.4
PROJECT_HEADING_SCALE = 1.2


def heading(text: str, object_name: str, scale: float = PAGE_TITLE_SCALE) -> QLabel:
    """A bold title, larger than body text by ``scale`` so it follows the user's font size."""
    label = QLabel(text)
    label.setObjectName(object_name)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label
