"""The tokens table's sorting: a click on a header sorts by its column, as the service
orders the tokens; a column that is no sort key leaves the order alone. (Its columns:
test_token_columns.py; its keyboard focus and keyboard delete: test_token_table_focus.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt

from app.lifecycle import Expiry
from app.service import TokenService
from tests.support.ui import open_tokens_pane
from ui.models.tokens import Column

pytestmark = pytest.mark.usefixtures("no_clipboard_left")


def test_expires_on_sorts_as_expires_does(qtbot, window, service: TokenService, web_project):
    for name, days in (("thirty", 30), ("seven", 7), ("never", None), ("ninety", 90)):
        expiry = Expiry.no_expiry() if days is None else Expiry.after(timedelta(days=days))
        service.generate("web", name, expiry=expiry)
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    table = pane.table()
    table.show_column(Column.EXPIRES_ON, True)
    header = table.horizontalHeader()

    def click_header(column: Column) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    def names() -> list[str]:
        model = pane.model()
        return [model.index(row, Column.NAME).data() for row in range(model.rowCount())]

    click_header(Column.EXPIRES_ON)
    assert header.sortIndicatorSection() == Column.EXPIRES_ON
    assert names() == ["seven", "thirty", "ninety", "never"]
    click_header(Column.EXPIRES_ON)
    assert names() == ["never", "ninety", "thirty", "seven"]
    # Environments is no sort key: a click there leaves the order and its arrow alone.
    table.show_column(Column.ENVIRONMENTS, True)
    click_header(Column.ENVIRONMENTS)
    assert header.sortIndicatorSection() == Column.EXPIRES_ON
    assert names() == ["never", "ninety", "thirty", "seven"]
