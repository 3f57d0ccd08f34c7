"""Issue 28 item 18: the pane's "Showing N of M" count, the top of the list after a sort,
and the reveal dialog repeating the expiry and environments just chosen (the count
line's own texts: tests/ui/widgets/test_token_count.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel

from app import tokens
from app.records import TokenRecord
from tests.support.ui import open_tokens_pane
from ui.clipboard import SecretClipboard
from ui.dialogs.reveal_token import RevealTokenDialog
from ui.models.paged import PAGE_SIZE
from ui.models.tokens import Column


def count_line(pane) -> QLabel:
    label = pane.findChild(QLabel, "tokenCount")
    assert label is not None, "the pane shows no count"
    return label


def test_the_pane_counts_loaded_rows_of_the_projects_tokens(qtbot, window, service, web_project):
    for index in range(PAGE_SIZE + 20):
        service.generate("web", f"tenant {index:03}")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    total = PAGE_SIZE + 20
    qtbot.waitUntil(lambda: count_line(pane).text() == f"Showing {PAGE_SIZE} of {total} tokens")
    assert count_line(pane).isVisible()

    calls = []
    counted = service.count_tokens
    service.count_tokens = lambda project: calls.append(project) or counted(project)
    pane.model().fetchMore(QModelIndex())  # a scroll: no count asked for
    assert count_line(pane).text() == f"Showing {total} of {total} tokens"
    assert calls == []

    pane.filter_box().setText("tenant 00")
    qtbot.waitUntil(lambda: count_line(pane).text() == f"10 of {total} match \u2018tenant 00\u2019")
    pane.filter_box().setText("tenant 119")
    qtbot.waitUntil(
        lambda: count_line(pane).text() == f"1 of {total} matches \u2018tenant 119\u2019"
    )


def test_sorting_scrolls_back_to_the_top(qtbot, window, service, web_project):
    for index in range(3 * PAGE_SIZE):
        service.generate("web", f"tenant {index:03}")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    table = pane.table()
    model = pane.model()
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    table.scrollTo(model.index(2 * PAGE_SIZE, 0))
    scroll = table.verticalScrollBar()
    assert scroll.value() > 0
    table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.record(0).name == "tenant 000")
    assert scroll.value() == 0
    assert table.rowAt(0) == 0


def record_with(expires_at, environments=()):
    plaintext = tokens.new_token()
    created = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    return plaintext, TokenRecord(
        id=1,
        project="web",
        name="ci",
        preview=tokens.preview(plaintext),
        created_at=created,
        created_by="release-bot",
        last_used_at=None,
        expires_at=None if expires_at is None else created + expires_at,
        environments=environments,
    )


def shown_text(qtbot, record, plaintext) -> str:
    dialog = RevealTokenDialog(record, plaintext, SecretClipboard())
    qtbot.addWidget(dialog)
    label = dialog.findChild(QLabel, "lifetimeSummary")
    assert label is not None
    text = label.text()
    dialog.done(0)
    return text


def test_the_reveal_dialog_repeats_the_expiry_and_environments(qtbot, no_clipboard_left):
    plaintext, record = record_with(timedelta(days=90))
    assert "Expires 4 March 2027 (in 90 days); any environment" in shown_text(
        qtbot, record, plaintext
    )
    plaintext, record = record_with(None, ("production", "staging"))
    assert "Never expires; only production, staging" in shown_text(qtbot, record, plaintext)
