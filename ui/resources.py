"""Icons and other files Qt loads at run time, from ``resources/`` (see app.desktop_entry)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QEvent
from PySide6.QtGui import QIcon

from app.desktop_entry import APP_ICON, DESKTOP_FILE, ICONS, RESOURCES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# The app's window icon is needed before the first paint; drawing the line icons is not,
# and QPalette alone costs several milliseconds to import, so they load on first use.

__all__ = ["APP_ICON", "DESKTOP_FILE", "ICONS", "RESOURCES", "app_icon", "icon"]

# Rendered at each size a toolbar, a table row or a high-density screen asks for.
_ICON_SIZES = (16, 20, 24, 32, 48)


def is_palette_change(event: QEvent) -> bool:
    """Whether ``event`` says the colours changed (the desktop switched to dark mode)."""
    return event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


def repolish(widget: QWidget) -> None:
    """Make a widget with a style sheet take up a new palette (the desktop switched to
    dark mode while the app runs): Qt keeps the colours it resolved when first polished."""
    widget.setStyleSheet(widget.styleSheet())


def app_icon() -> QIcon:
    return QIcon(str(APP_ICON))


def icon(name: str) -> QIcon:
    """The named line icon, drawn in the palette's text colour so it suits dark mode too."""
    from PySide6.QtGui import QGuiApplication, QPalette

    palette = QGuiApplication.palette()
    return _tinted_icon(
        name,
        palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText).name(),
        palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText).name(),
    )


@cache
def _tinted_icon(name: str, colour: str, disabled_colour: str) -> QIcon:
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QPixmap

    source = (ICONS / f"{name}.svg").read_text(encoding="utf-8")
    result = QIcon()
    for mode, tint in ((QIcon.Mode.Normal, colour), (QIcon.Mode.Disabled, disabled_colour)):
        svg = QByteArray(source.replace("currentColor", QColor(tint).name()).encode())
        for size in _ICON_SIZES:
            pixmap = QPixmap(size, size)
            pixmap.fill(QColor(0, 0, 0, 0))
            if not pixmap.loadFromData(svg, "SVG"):
                raise FileNotFoundError(f"cannot render icon {name!r}")
            result.addPixmap(pixmap.scaled(size, size), mode)
    return result
