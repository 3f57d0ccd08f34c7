"""The app's style: Fusion with radio buttons and check boxes that stand out 3:1 in every
palette; a style the user chose (not Fusion) is left alone."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleFactory, QStyleOptionButton

from tests.support.ui import dark_palette
from ui.style import (
    MIN_INDICATOR_CONTRAST,
    IndicatorStyle,
    fusion_outline,
    indicator_outline,
    install_style,
)
from ui.widgets.hint import contrast_ratio


class App:
    """What install_style asks of the application: its style, and a new one."""

    def __init__(self, name: str) -> None:
        self.current = QStyleFactory.create(name)
        self.given: list[object] = []

    def style(self):
        return self.current

    def setStyle(self, style) -> None:
        self.given.append(style)
        self.current = style


def test_under_fusion_the_indicator_style_is_installed_once(qapp):
    app = App("fusion")
    install_style(app)
    assert len(app.given) == 1
    assert isinstance(app.given[0], IndicatorStyle)
    install_style(app)  # already ours: nothing more
    assert len(app.given) == 1


def test_nothing_is_installed_under_a_style_that_is_not_fusion(qapp):
    app = App("windows")
    install_style(app)
    assert app.given == []


def test_in_a_dark_palette_the_ring_stands_out_where_fusions_does_not(qapp):
    palette = dark_palette()
    window = palette.color(QPalette.ColorRole.Window)
    base = palette.color(QPalette.ColorRole.Base)
    assert contrast_ratio(fusion_outline(palette), window) < 3
    ring = indicator_outline(palette)
    assert ring is not None
    assert contrast_ratio(ring, window) >= MIN_INDICATOR_CONTRAST
    assert contrast_ratio(ring, base) >= MIN_INDICATOR_CONTRAST


def test_in_a_light_palette_the_ring_is_no_louder_than_it_must_be(qapp):
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    window = palette.color(QPalette.ColorRole.Window)
    ring = indicator_outline(palette)
    assert ring is not None
    assert contrast_ratio(ring, window) >= MIN_INDICATOR_CONTRAST
    assert contrast_ratio(ring, palette.color(QPalette.ColorRole.Base)) >= MIN_INDICATOR_CONTRAST
    # A blend toward the text, not the text itself: quieter than black on the window.
    assert contrast_ratio(ring, window) < contrast_ratio(QColor("#000000"), window)


def test_an_unchecked_radio_button_is_drawn_with_the_ring_in_a_dark_palette(qapp):
    def drawn(style: QStyle) -> QImage:
        image = QImage(20, 20, QImage.Format.Format_ARGB32)
        image.fill(dark_palette().color(QPalette.ColorRole.Window))
        option = QStyleOptionButton()
        option.rect = QRect(2, 2, 16, 16)
        option.palette = dark_palette()
        option.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Off
        painter = QPainter(image)
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorRadioButton, option, painter)
        painter.end()
        return image

    fusion = drawn(QStyleFactory.create("fusion"))
    ours = drawn(IndicatorStyle(QStyleFactory.create("fusion")))
    assert fusion != ours
    window = dark_palette().color(QPalette.ColorRole.Window)
    ring = max(contrast_ratio(ours.pixelColor(x, y), window) for x in range(20) for y in range(20))
    assert ring >= 3
