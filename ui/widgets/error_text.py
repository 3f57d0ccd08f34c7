"""The colour of a sentence that says something failed (a dialog's problem line, a
test's or push's outcome), readable on light and dark windows alike."""

from __future__ import annotations

from PySide6.QtGui import QPalette


def error_colour(palette: QPalette) -> str:
    """A red that reads on the window's background, light or dark (the same two reds as
    Add trusted deployer's)."""
    return "#ff8a80" if palette.color(QPalette.ColorRole.Window).lightness() < 128 else "#c62828"
