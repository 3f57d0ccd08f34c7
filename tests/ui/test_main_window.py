"""The main window's own frame: the geometry it restores is fitted to the screen, its
title bar and status bar included."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMargins, QRect, QSettings, QSize
from PySide6.QtWidgets import QStyle

from ui.main_window import GEOMETRY_KEY, MainWindow, fitted

# A window manager's frame at 2x scale, in device-independent pixels: a 60-pixel title bar
# and 2-pixel borders on a 1600x1000 screen whose panel leaves 800x486 available.
SCALED_FRAME = QMargins(1, 30, 1, 1)
SCALED_AVAILABLE = QRect(0, 14, 800, 486)


def test_the_fitted_frame_title_bar_and_status_bar_included_lies_inside_the_screen():
    for wanted in (QRect(0, 0, 1060, 680), QRect(300, 200, 700, 480), QRect(-50, 0, 790, 480)):
        client = fitted(SCALED_AVAILABLE, wanted, SCALED_FRAME)
        frame = client.marginsAdded(SCALED_FRAME)
        assert SCALED_AVAILABLE.contains(frame), (wanted, frame)
        # It shrinks only what does not fit.
        assert client.width() == min(wanted.width(), 800 - 2)
        assert client.height() == min(wanted.height(), 486 - 31)


def test_a_window_that_already_fits_with_its_frame_is_left_where_it_is():
    wanted = QRect(100, 100, 500, 300)
    assert fitted(SCALED_AVAILABLE, wanted, SCALED_FRAME) == wanted


def test_the_fitted_window_is_never_smaller_than_its_minimum():
    client = fitted(SCALED_AVAILABLE, QRect(0, 0, 1060, 680), SCALED_FRAME, QSize(900, 300))
    assert client.width() == 900
    assert client.marginsAdded(SCALED_FRAME).left() == SCALED_AVAILABLE.left()


def test_a_window_fitted_before_it_is_shown_leaves_room_for_its_title_bar(
    qtbot, service, settings: QSettings, clipboard
):
    # Before it is shown, no platform has told the window its frame: it must not take the
    # whole available height, or the title bar pushes the status bar off the bottom.
    big = MainWindow(service, settings, clipboard)
    qtbot.addWidget(big)
    big.resize(2120, 1360)
    geometry: QByteArray = big.saveGeometry()
    settings.setValue(GEOMETRY_KEY, geometry)
    restored = MainWindow(service, settings, clipboard)
    qtbot.addWidget(restored)
    restored.resize(2120, 1360)  # as another screen's saved geometry may leave it
    restored.fit_to_screen()
    available = restored.screen().availableGeometry()
    title = restored.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight, None, restored)
    assert title > 0
    assert restored.height() + title <= available.height()
    assert restored.width() <= available.width()
