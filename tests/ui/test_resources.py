"""Icons and the files Qt loads at run time: every shipped icon renders, in the
palette's text colour so that dark mode shows it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from tests.support.ui import darkest_opaque_pixel_lightness
from ui import resources


def test_every_icon_is_an_svg_that_renders(qapp):
    names = sorted(path.stem for path in resources.ICONS.glob("*.svg"))
    assert {"copy", "trash", "deployment-tokens"} <= set(names)
    for name in names:
        icon = resources.app_icon() if name == "deployment-tokens" else resources.icon(name)
        assert not icon.isNull(), name
        assert not icon.pixmap(QSize(24, 24)).toImage().isNull(), name


def test_icons_follow_the_palette_so_dark_mode_shows_them(qapp):
    original = QGuiApplication.palette()
    try:
        light = QPalette(original)
        light.setColor(QPalette.ColorRole.ButtonText, QColor("#111111"))
        QApplication.setPalette(light)
        assert darkest_opaque_pixel_lightness(resources.icon("trash")) < 60
        dark = QPalette(original)
        dark.setColor(QPalette.ColorRole.ButtonText, QColor("#eeeeee"))
        QApplication.setPalette(dark)
        assert darkest_opaque_pixel_lightness(resources.icon("trash")) > 200
    finally:
        QApplication.setPalette(original)


def test_an_icon_that_is_not_shipped_fails_loudly(qapp):
    with pytest.raises(FileNotFoundError):
        resources.icon("no-such-icon")


def test_the_disabled_icon_is_drawn_in_the_disabled_text_colour(qapp):
    original = QGuiApplication.palette()
    try:
        palette = QPalette(original)
        palette.setColor(QPalette.ColorRole.ButtonText, QColor("#111111"))
        palette.setColor(
            QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#eeeeee")
        )
        QApplication.setPalette(palette)
        trash = resources.icon("trash")
        disabled = trash.pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage()
        lightness = [
            disabled.pixelColor(x, y).lightness()
            for x in range(24)
            for y in range(24)
            if disabled.pixelColor(x, y).alpha() > 200
        ]
        assert lightness
        assert min(lightness) > 200
    finally:
        QApplication.setPalette(original)


def test_a_palette_change_is_recognised_as_one():
    assert resources.is_palette_change(QEvent(QEvent.Type.PaletteChange))
    assert resources.is_palette_change(QEvent(QEvent.Type.ApplicationPaletteChange))
    assert not resources.is_palette_change(QEvent(QEvent.Type.FontChange))


def test_a_translate_noop_marks_and_returns_the_text_unchanged():
    assert resources.QT_TRANSLATE_NOOP("Context", "Save policy") == "Save policy"
