"""Hints readable by everyone: WCAG 2 AA (4.5:1) in the light and the dark palette."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QRadioButton

from tests.support.ui import dark_palette
from ui.widgets.hint import contrast_ratio


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


def test_sidebars_follow_a_switch_to_dark_mode_while_the_app_runs(
    qtbot, window, service, web_project
):
    """A desktop that turns dark while the app is open: the sidebars (which carry a style
    sheet, and so keep the colours resolved when first shown) must turn dark too."""
    from tests.support.ui import open_tokens_pane

    open_tokens_pane(qtbot, window, "web")
    sidebars = [window.sidebar(), window.project_page().sidebar()]
    original = QApplication.palette()
    try:
        QApplication.setPalette(dark_palette())
        for sidebar in sidebars:
            qtbot.waitUntil(
                lambda sidebar=sidebar: _background(sidebar) == QColor("#1e1e1e").name()
            )
            icon = sidebar.item(0).icon().pixmap(16, 16).toImage()
            drawn = {
                icon.pixelColor(x, y).name()
                for x in range(16)
                for y in range(16)
                if icon.pixelColor(x, y).alpha() == 255
            }
            assert drawn == {"#f0f0f0"}  # the icons are redrawn in the light text colour
    finally:
        QApplication.setPalette(original)


def _background(sidebar) -> str:
    """The colour of the sidebar's empty area, below its entries."""
    viewport = sidebar.viewport()
    image = viewport.grab().toImage()
    return image.pixelColor(viewport.width() // 2, viewport.height() - 3).name()


def _indicator_contrast(button) -> float:
    """The strongest contrast any pixel of ``button``'s indicator (the circle or box) has
    against the window colour around it: what lets the control be seen at all."""
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    option = QStyleOptionButton()
    button.initStyleOption(option)
    element = (
        QStyle.SubElement.SE_RadioButtonIndicator
        if isinstance(button, QRadioButton)
        else QStyle.SubElement.SE_CheckBoxIndicator
    )
    area = button.style().subElementRect(element, option, button)
    image = button.grab().toImage()
    window = button.palette().color(QPalette.ColorRole.Window)
    return max(
        contrast_ratio(image.pixelColor(x, y), window)
        for x in range(area.left(), area.right() + 1)
        for y in range(area.top(), area.bottom() + 1)
    )


def test_unchecked_radio_buttons_and_check_boxes_can_be_seen(
    qtbot, window, service, web_project, palette
):
    """The Rotate dialog's grace choices and the token policy's check box, unchecked, in
    the light and the dark palette: their outline stands 3:1 from the window (WCAG 2.1,
    non-text contrast). Fusion's own outline is about 1.2:1 in a dark palette."""
    from datetime import UTC, datetime, timedelta

    from app.records import TokenRecord
    from ui.dialogs.rotate_token import RotateTokenDialog
    from ui.pages.project import SETTINGS

    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    record = TokenRecord(
        id=1,
        project="web",
        name="Nightly",
        preview="mldt_…x1Yz",
        created_at=now - timedelta(days=80),
        created_by="release-bot",
        last_used_at=None,
        expires_at=now + timedelta(days=10),
        replaced_by=None,
    )
    dialog = RotateTokenDialog(record, lambda grace: None, now)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    radios = [radio for radio in dialog.findChildren(QRadioButton) if not radio.isChecked()]
    assert len(radios) >= 2
    for radio in radios:
        assert _indicator_contrast(radio) >= 3.0, radio.text()
    dialog.reject()

    project = next(p for p in window.projects_page().projects() if p.name == web_project)
    window.open_project(project, SETTINGS)
    page = window.project_page()
    page.show_section("Token policy")
    box = page.policy_pane().allow_no_expiry()
    box.setChecked(False)
    window.show()
    qtbot.waitExposed(window)
    assert _indicator_contrast(box) >= 3.0
