"""The tokens table's columns: the same at any width and row count, chosen by the user
(the header's context menu, or Columns in the table's), remembered in the settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDateTime, QLocale, QPoint, Qt
from PySide6.QtWidgets import QMenu

from app.lifecycle import Expiry
from app.service import TokenService
from tests.support.ui import open_tokens_pane
from ui.models.tokens import Column
from ui.widgets.token_columns import COLUMNS_KEY

pytestmark = pytest.mark.usefixtures("no_clipboard_left")

DEFAULT_HIDDEN = [Column.EXPIRES_ON, Column.ENVIRONMENTS]


@pytest.fixture
def popped(monkeypatch) -> list[QMenu]:
    """The menus popped up (recorded, not shown: the offscreen platform warns about a
    popup's keyboard grab)."""
    shown: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, *where: shown.append(menu))
    return shown


def test_the_columns_stay_the_same_at_any_width_and_row_count(
    qtbot, make_window, service: TokenService, web_project
):
    for index in range(40):
        service.generate("web", f"GitLab CI deploy job for tenant {index:03}")
    window = make_window()
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    table = pane.table()
    # At the window's default size: Created by too (the README says the table shows
    # who made each token), and Created, the column the rows are sorted by.
    assert table.hidden_columns() == DEFAULT_HIDDEN
    for size in ((800, 500), (1400, 900), (800, 500)):
        window.resize(*size)
        qtbot.waitUntil(lambda size=size: window.width() == size[0])
        assert table.verticalScrollBar().isVisible()  # more rows than fit
        assert table.hidden_columns() == DEFAULT_HIDDEN
    # Filtered to one row, the scroll bar goes; the columns stay.
    pane.filter_box().setText("tenant 007")
    pane.filter_box().returnPressed.emit()
    assert pane.model().rowCount() == 1
    qtbot.waitUntil(lambda: not table.verticalScrollBar().isVisible())
    assert table.hidden_columns() == DEFAULT_HIDDEN
    # At 800x500 the trash icon is still in view, the columns squeezed to fit.
    assert not table.horizontalScrollBar().isVisible()


def test_the_header_menu_chooses_the_columns_and_they_are_remembered(
    qtbot, make_window, settings, service: TokenService, web_project, popped
):
    service.add_environment("web", "production")
    service.add_environment("web", "staging")
    service.generate("web", "everywhere", expiry=Expiry.no_expiry())
    limited, _ = service.generate(
        "web", "limited", expiry=Expiry.after(timedelta(days=30)), environments=["production"]
    )
    window = make_window()
    open_tokens_pane(qtbot, window, "web")
    table = window.project_page().tokens_pane().table()
    header = table.horizontalHeader()
    header.customContextMenuRequested.emit(QPoint(10, 5))  # a right click on the header
    [menu] = popped
    entries = {action.text(): action for action in menu.actions()}
    assert list(entries) == [
        "Name",
        "Token",
        "Created",
        "Last used",
        "Expires",
        "Expires on",
        "Environments",
        "Created by",
        "Actions",
    ]
    # The spec's path needs the preview and the trash icon: those cannot be hidden.
    for fixed in ("Name", "Token", "Actions"):
        assert entries[fixed].isChecked()
        assert not entries[fixed].isEnabled()
    assert [text for text, action in entries.items() if not action.isChecked()] == [
        "Expires on",
        "Environments",
    ]
    entries["Environments"].trigger()
    entries["Expires on"].trigger()
    entries["Created by"].trigger()
    assert table.hidden_columns() == [Column.CREATED_BY]
    model = table.model()
    row = model.row_of(limited.id)
    other = 1 - row
    assert model.index(row, Column.ENVIRONMENTS).data() == "production"
    assert model.index(other, Column.ENVIRONMENTS).data() == "All"
    day = QDateTime.fromMSecsSinceEpoch(round(limited.expires_at.timestamp() * 1000))
    expected = QLocale().toString(day.toLocalTime().date(), QLocale.FormatType.ShortFormat)
    assert model.index(row, Column.EXPIRES_ON).data() == expected
    assert model.index(other, Column.EXPIRES_ON).data() == "No expiry"
    assert table.isColumnHidden(Column.CREATED_BY)
    assert settings.value(COLUMNS_KEY)

    # The next window (the app started again) shows the same columns.
    again = make_window()
    open_tokens_pane(qtbot, again, "web")
    assert again.project_page().tokens_pane().table().hidden_columns() == [Column.CREATED_BY]


def test_the_columns_are_chosen_from_the_keyboard_too(qtbot, window, service, web_project, popped):
    service.generate("web", "token 00")
    open_tokens_pane(qtbot, window, "web")
    table = window.project_page().tokens_pane().table()
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    [menu] = popped
    [columns] = [a.menu() for a in menu.actions() if a.menu() is not None]
    assert columns.title() == "Columns"
    [environments] = [a for a in columns.actions() if a.text() == "Environments"]
    environments.trigger()
    assert Column.ENVIRONMENTS not in table.hidden_columns()
