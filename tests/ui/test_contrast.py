"""Hints readable by everyone: WCAG 2 AA (4.5:1) in the light and the dark palette."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from ui.widgets.hint import contrast_ratio


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#f0f0f0"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Text, "#f0f0f0"),
        (QPalette.ColorRole.Button, "#3a3a3a"),
        (QPalette.ColorRole.ButtonText, "#f0f0f0"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp):
    original = QApplication.palette()
    if request.param == "dark":
        QApplication.setPalette(dark_palette())
    yield request.param
    QApplication.setPalette(original)


def test_the_empty_states_meet_aa_contrast(qtbot, window, service, palette):
    page = window.projects_page()
    hint = page.empty_state()
    qtbot.waitUntil(hint.isVisible)
    text = hint.palette().color(QPalette.ColorRole.WindowText)
    background = hint.parentWidget().palette().color(QPalette.ColorRole.Window)
    assert contrast_ratio(text, background) >= 4.5, (text.name(), background.name())
    # Quieter than body text all the same.
    body = hint.parentWidget().palette().color(QPalette.ColorRole.WindowText)
    assert contrast_ratio(text, background) < contrast_ratio(body, background)


def test_contrast_ratio_is_wcags():
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)
