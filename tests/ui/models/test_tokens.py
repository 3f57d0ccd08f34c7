"""The token table model: Qt's own consistency checks, lazy loading, sorting, renaming."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from PySide6.QtCore import QDate, QLocale, QModelIndex, Qt

from tests.support.data import filled
from tests.support.ui import open_tokens_pane
from ui.models.tokens import DELETE_TOKEN, Column, TokenTableModel


def test_token_model_passes_qt_model_tests_empty_and_full(qtmodeltester, stepping_service):
    stepping_service.add_project("empty")
    qtmodeltester.check(TokenTableModel(stepping_service, "empty"), force_py=True)
    filled(stepping_service, 7)
    model = TokenTableModel(stepping_service, "web", page_size=3)
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=True)


def test_tokens_load_a_page_at_a_time_newest_first(stepping_service):
    filled(stepping_service, 7)
    model = TokenTableModel(stepping_service, "web", page_size=3)
    assert model.rowCount() == 0
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 3
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 7
    assert not model.canFetchMore(QModelIndex())
    names = [model.index(row, Column.NAME).data() for row in range(7)]
    assert names == [f"token {index:02}" for index in reversed(range(7))]


def test_every_column_but_actions_sorts_and_keeps_every_token(stepping_service):
    filled(stepping_service, 5)
    model = TokenTableModel(stepping_service, "web", page_size=2)
    for column in (Column.NAME, Column.TOKEN, Column.CREATED, Column.LAST_USED, Column.CREATED_BY):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            while model.canFetchMore(QModelIndex()):
                model.fetchMore(QModelIndex())
            assert model.rowCount() == 5
    model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [model.index(r, 0).data() for r in range(5)] == [f"token {i:02}" for i in range(5)]
    before = [model.record(r).id for r in range(5)]
    model.sort(Column.ACTIONS, Qt.SortOrder.DescendingOrder)  # not a sort key: ignored
    assert [model.record(r).id for r in range(5)] == before


def test_times_are_relative_with_the_exact_time_as_tooltip(stepping_service):
    filled(stepping_service, 1)
    now = datetime(2026, 1, 4, 0, 1, tzinfo=UTC)
    model = TokenTableModel(stepping_service, "web", clock=lambda: now)
    model.fetchMore(QModelIndex())
    created = model.index(0, Column.CREATED)
    assert created.data() == "3 days ago"
    # The date as the user's locale writes it, in their time zone.
    local = model.record(0).created_at.astimezone()
    day = QDate(local.year, local.month, local.day)
    long_date = QLocale().toString(day, QLocale.FormatType.LongFormat)
    assert long_date in created.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, Column.LAST_USED).data() == "Never"
    actions = model.index(0, Column.ACTIONS)
    assert actions.data(Qt.ItemDataRole.ToolTipRole) == DELETE_TOKEN
    assert actions.data(Qt.ItemDataRole.AccessibleTextRole) == DELETE_TOKEN


def test_only_the_name_is_editable_and_an_edit_asks_for_the_rename(qtbot, stepping_service):
    filled(stepping_service, 1)
    model = TokenTableModel(stepping_service, "web")
    model.fetchMore(QModelIndex())
    editable = [
        column
        for column in Column
        if model.flags(model.index(0, column)) & Qt.ItemFlag.ItemIsEditable
    ]
    assert editable == [Column.NAME]
    record = model.record(0)
    # The model only asks: the pane writes off the GUI thread, then shows the answer.
    with qtbot.waitSignal(model.rename_requested) as asked:
        assert model.setData(model.index(0, Column.NAME), "GitHub Actions")
    assert asked.args == [record.id, "GitHub Actions"]
    assert model.index(0, Column.NAME).data() == "token 00"
    with qtbot.assertNotEmitted(model.rename_requested):
        assert model.setData(model.index(0, Column.NAME), " token 00 ")  # unchanged
    model.replace(stepping_service.rename_token("web", record.id, "GitHub Actions"))
    assert model.index(0, Column.NAME).data() == "GitHub Actions"


def test_renaming_in_place_through_the_table(qtbot, window, web_project, service):
    service.generate("web", "old name")
    open_tokens_pane(qtbot, window, "web")
    table = window.project_page().tokens_pane().table()
    index = table.model().index(0, Column.NAME)
    table.setCurrentIndex(index)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.indexWidget(index) or table.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "deploy-bot")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits through a queued call, and the pane writes off the GUI thread.
    qtbot.waitUntil(lambda: index.data() == "deploy-bot")
    assert service.list_tokens("web")[0].name == "deploy-bot"


def test_returning_none_from_data_does_not_leak_references_to_none(stepping_service):
    """PySide6 6.12.0 on Python 3.11 lost a reference to None per data() call returning
    None, and aborted after about 50,000 (DESIGN.md, Known traps)."""
    filled(stepping_service, 1)
    model = TokenTableModel(stepping_service, "web")
    model.fetchMore(QModelIndex())
    index = model.index(0, Column.ACTIONS)  # DisplayRole is None there
    assert index.data() is None
    before = sys.getrefcount(None)
    for _ in range(60_000):
        index.data()  # through C++, as a view calls it
    assert abs(sys.getrefcount(None) - before) < 1_000


def test_adding_a_token_a_refresh_already_showed_does_not_show_it_twice(stepping_service):
    filled(stepping_service, 2)
    model = TokenTableModel(stepping_service, "web")
    model.fetchMore(QModelIndex())
    record, _ = stepping_service.generate("web", "new")
    assert model.refresh()  # the periodic check saw the commit first
    model.add(record)  # then the Generate that made it reports back
    assert [model.record(row).id for row in range(model.rowCount())].count(record.id) == 1
    assert model.rowCount() == 3
