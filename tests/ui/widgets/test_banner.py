"""WarningBanner: hidden until there is something to warn of, its text then."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from ui.widgets.banner import WarningBanner


def test_the_banner_shows_a_warning_and_hides_without_one(qtbot):
    banner = WarningBanner()
    qtbot.addWidget(banner)
    assert banner.isHidden()
    assert banner.text() == ""

    banner.show_warning("The token salt is not set.")
    assert not banner.isHidden()
    assert banner.text() == "The token salt is not set."
    assert banner.findChild(QLabel, "warningText").text() == "The token salt is not set."
    assert banner.accessibleName() == "Warning"
    assert banner.accessibleDescription() == "The token salt is not set."

    for nothing in (None, ""):
        banner.show_warning("again")
        banner.show_warning(nothing)
        assert banner.isHidden()
        assert banner.text() == ""
        assert banner.accessibleDescription() == ""


def test_the_banner_has_its_warning_icon(qtbot):
    banner = WarningBanner()
    qtbot.addWidget(banner)
    icons = [label for label in banner.findChildren(QLabel) if not label.pixmap().isNull()]
    assert len(icons) == 1
