"""The tokens table shows where the keyboard is, and a keyboard delete leaves a row
selected, so that Delete works again at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from app.service import TokenService
from tests.support.ui import button, click, dark_palette, message_box, open_tokens_pane, settle
from ui.widgets.hint import contrast_ratio

pytestmark = pytest.mark.usefixtures("no_clipboard_left")


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp) -> Iterator[str]:
    before = QPalette(QApplication.palette())
    if request.param == "dark":
        QApplication.setPalette(dark_palette())
    yield request.param
    QApplication.setPalette(before)


def test_the_table_shows_which_row_has_the_keyboard_focus(
    qtbot, window, service: TokenService, web_project, palette
):
    for index in range(3):
        service.generate("web", f"token {index:02}")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    table = pane.table()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.selectRow(1)
    focused = table.viewport().grab().toImage()
    pane.filter_box().setFocus()
    qtbot.waitUntil(pane.filter_box().hasFocus)
    unfocused = table.viewport().grab().toImage()

    def row(number: int) -> QRect:
        width = table.viewport().width()
        return QRect(0, table.rowViewportPosition(number), width, table.rowHeight(number))

    # WCAG 2.2's focus appearance: pixels that change between the two states with a
    # contrast of 3:1 or more, at least as many as a 2-pixel line across the row.
    current = row(1)
    changed = sum(
        contrast_ratio(QColor(focused.pixel(x, y)), QColor(unfocused.pixel(x, y))) >= 3
        for y in range(current.top(), current.bottom() + 1)
        for x in range(current.left(), current.right() + 1)
    )
    shown = sum(table.columnWidth(c) for c in table.shown_columns())
    assert changed >= 2 * min(shown, current.width())
    assert focused.copy(row(0)) == unfocused.copy(row(0))
    assert focused.copy(row(2)) == unfocused.copy(row(2))


def test_after_a_keyboard_delete_a_row_is_selected_and_delete_works_again(
    qtbot, window, service: TokenService, web_project
):
    for index in range(3):
        service.generate("web", f"token {index:02}")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    table = pane.table()
    model = pane.model()

    def delete_with_the_keyboard() -> None:
        qtbot.keyClick(table, Qt.Key.Key_Delete)
        click(qtbot, button(message_box(qtbot), "Delete"))
        settle(qtbot, window)

    table.setFocus()
    table.selectRow(1)  # token 01 (newest first: 02, 01, 00)
    delete_with_the_keyboard()
    assert [model.record(r).name for r in range(model.rowCount())] == ["token 02", "token 00"]
    assert table.selected_rows() == [1]  # the next one took its place
    # The table has the window's focus: the keyboard is there whenever the window is
    # active (which the platform makes it again after the box, later on a busy machine).
    assert window.focusWidget() is table
    delete_with_the_keyboard()  # at once, no click in between: the last row
    assert table.selected_rows() == [0]  # the previous one, now the last
    assert window.focusWidget() is table
    delete_with_the_keyboard()
    assert model.rowCount() == 0
    assert service.list_tokens("web") == []
