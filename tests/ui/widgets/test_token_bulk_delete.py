"""Deleting several tokens at once: the one confirmation lists them (a dozen at most),
says how many a pipeline used lately, and revokes nothing unless Delete is clicked.
(The pane's journey through it: tests/ui/pages/test_tokens_bulk_delete.py.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QWidget

from app.records import TokenRecord
from tests.support.ui import button, click
from ui.widgets.token_bulk_delete import LISTED, confirm_delete_many, listed, recent_use

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def record(index: int, used: timedelta | None = None) -> TokenRecord:
    return TokenRecord(
        id=index,
        project="web",
        name=f"ci {index}",
        preview=f"mldt_…{index:04}",
        created_at=NOW - timedelta(days=30),
        created_by="alice",
        last_used_at=None if used is None else NOW - used,
    )


def test_each_token_is_listed_by_name_preview_and_last_use():
    said = listed([record(1), record(2, timedelta(days=2))], NOW)
    assert said.splitlines() == [
        "\u2022 ci 1 (mldt_…0001), never used",
        "\u2022 ci 2 (mldt_…0002), last used 2 days ago",
    ]


def test_a_long_list_stops_at_a_dozen_and_says_how_many_more():
    lines = listed([record(index) for index in range(LISTED + 3)]).splitlines()
    assert len(lines) == LISTED + 1
    assert lines[-1] == "…and 3 more tokens"
    assert listed([record(index) for index in range(LISTED + 1)]).splitlines()[-1] == (
        "…and 1 more token"
    )


def test_recent_use_counts_the_tokens_used_within_a_day():
    assert recent_use([record(1), record(2, timedelta(days=2))], NOW) == (
        "None of them was used in the last 24 hours."
    )
    used = [record(1, timedelta(hours=1)), record(2, timedelta(hours=23)), record(3)]
    assert recent_use(used, NOW) == (
        "Used in the last 24 hours: 2 tokens. A pipeline may still depend on them."
    )


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_confirmation_defaults_to_cancel_and_deletes_only_on_delete(qtbot, parent):
    deleted: list[bool] = []
    records = [record(1, timedelta(hours=1)), record(2)]
    box = confirm_delete_many(parent, records, lambda: deleted.append(True), NOW)
    assert box.text().startswith("Delete 2 deployment tokens?\n\n\u2022 ci 1")
    assert box.informativeText().startswith("Used in the last 24 hours: 1 token.")
    assert box.defaultButton() is button(box, "Cancel")
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Cancel"))
    assert deleted == []
    box = confirm_delete_many(parent, records, lambda: deleted.append(True), NOW)
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Delete"))
    assert deleted == [True]
