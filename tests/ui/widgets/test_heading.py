"""ElidedHeading and heading(): a bold, larger title cut in the middle, never widening
its window; the whole name in the tooltip when cut."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from ui.widgets.heading import PAGE_TITLE_SCALE, PROJECT_HEADING_SCALE, ElidedHeading, heading


def test_a_name_that_fits_is_shown_whole_without_a_tooltip(qtbot):
    title = ElidedHeading("web")
    qtbot.addWidget(title)
    title.resize(400, 30)
    assert title.shown_text() == "web"
    assert title.toolTip() == ""


def test_a_long_name_is_cut_in_the_middle_keeping_both_ends(qtbot):
    name = "payments-" + "x" * 200 + "-production"
    title = ElidedHeading(name)
    qtbot.addWidget(title)
    title.resize(200, 30)
    title.show()  # the tooltip follows resize events, which a hidden label is not sent
    shown = title.shown_text()
    assert "…" in shown
    assert len(shown) < len(name)
    assert shown.startswith("pay")
    assert shown.endswith("ion")
    assert title.toolTip() == name
    title.resize(10_000, 30)  # room again: whole, and the tooltip goes
    assert title.shown_text() == name
    assert title.toolTip() == ""


def test_a_long_name_asks_for_no_width(qtbot):
    title = ElidedHeading("x" * 500)
    qtbot.addWidget(title)
    assert title.minimumSizeHint().width() == 1
    assert title.minimumWidth() == 1


@pytest.mark.parametrize("scale", [PAGE_TITLE_SCALE, PROJECT_HEADING_SCALE])
def test_heading_is_bold_larger_and_named(qtbot, scale):
    body = QLabel().font().pointSizeF()
    title = heading("Projects", "pageTitle", scale)
    qtbot.addWidget(title)
    assert title.objectName() == "pageTitle"
    assert title.text() == "Projects"
    assert title.font().bold()
    assert title.font().pointSizeF() == pytest.approx(body * scale)
