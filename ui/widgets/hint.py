"""Hints such as empty states: quieter than body text, still readable by everyone.

The disabled-text colour that drew them before measured about 1.6:1 against the window
in the default light palette; WCAG 2 AA asks text for 4.5:1. The hint's colour is the
text colour blended toward the background only as far as that contrast allows, worked
out again when the palette changes (dark mode).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QWidget

# WCAG 2 AA for normal text, with a margin for rounding to whole colour steps.
MIN_CONTRAST = 4.6


def relative_luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def contrast_ratio(one: QColor, other: QColor) -> float:
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def hint_colour(palette: QPalette) -> QColor:
    """The quietest blend of the palette's text toward its window colour that still has
    MIN_CONTRAST against the window."""
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    for step in range(50, -1, -5):  # from halfway toward the window, back to the text
        share = step / 100
        blend = QColor.fromRgbF(
            text.redF() + (window.redF() - text.redF()) * share,
            text.greenF() + (window.greenF() - text.greenF()) * share,
            text.blueF() + (window.blueF() - text.blueF()) * share,
        )
        if contrast_ratio(blend, window) >= MIN_CONTRAST:
            return blend
    return text


class HintLabel(QLabel):
    """A centred, wrapped hint in a quiet colour that keeps AA contrast."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._apply_colour()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ParentChange):
            self._apply_colour()

    def text_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def _apply_colour(self) -> None:
        # From the surroundings' palette: this label's own holds the blend already.
        parent = self.parentWidget()
        wanted = hint_colour(parent.palette() if parent is not None else QGuiApplication.palette())
        palette = self.palette()
        if palette.color(QPalette.ColorRole.WindowText) != wanted:
            palette.setColor(QPalette.ColorRole.WindowText, wanted)
            self.setPalette(palette)
