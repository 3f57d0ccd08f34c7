"""HintLabel: quieter than body text, still 4.5:1 against the window (WCAG 2 AA), in a
light palette and a dark one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from tests.support.ui import dark_palette
from ui.widgets.hint import MIN_CONTRAST, HintLabel, contrast_ratio, hint_colour


def test_contrast_ratio_is_wcags():
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("palette", [QPalette(), dark_palette()], ids=["light", "dark"])
def test_the_hint_colour_is_quieter_than_the_text_yet_aa(qapp, palette):
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    hint = hint_colour(palette)
    assert contrast_ratio(hint, window) >= MIN_CONTRAST
    assert contrast_ratio(hint, window) < contrast_ratio(text, window)


def test_a_palette_with_no_room_to_spare_keeps_the_text_colour(qapp):
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#707070"))  # 4.9:1, no blend fits
    assert hint_colour(palette) == QColor("#707070")


def test_the_label_is_centred_wrapped_and_follows_its_parents_palette(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    hint = HintLabel("No projects yet", parent)
    assert hint.text() == "No projects yet"
    assert hint.wordWrap()
    assert hint.alignment() == Qt.AlignmentFlag.AlignCenter
    assert hint.text_colour() == hint_colour(QApplication.palette())
    parent.setPalette(dark_palette())
    assert hint.text_colour() == hint_colour(dark_palette())
