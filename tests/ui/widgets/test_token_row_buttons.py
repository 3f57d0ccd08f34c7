"""The rotate and trash buttons of the tokens table's rows: made for the rows near the
viewport only, each asking for its own token, disabled saying why when the token or the
role does not allow it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QToolButton

from app.records import TokenRecord
from ui.models.tokens import TokenTableModel
from ui.widgets.token_table import TokenTableView

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
TOKENS = 60  # one page: scrolling reads no more


def made(token_id: int, *, expired: bool = False) -> TokenRecord:
    """A token made ``token_id`` minutes before NOW, alive for 90 days (or expired)."""
    created = NOW - timedelta(minutes=token_id) - (timedelta(days=100) if expired else timedelta())
    return TokenRecord(
        id=token_id,
        project="web",
        name=f"token {token_id:03}",
        preview=f"mldt_…{token_id:04}",
        created_at=created,
        created_by="release-bot",
        last_used_at=None,
        expires_at=created + timedelta(days=90),
    )


class Listed:
    """A token source that lists the given records in their order, as the service would."""

    def __init__(self, records: list[TokenRecord]) -> None:
        self.records = records

    def token_page(self, project_name, *, offset=0, limit=100, **_order):
        return self.records[offset : offset + limit]

    def count_tokens(self, project_name):
        return len(self.records)


@pytest.fixture
def table(qtbot) -> TokenTableView:
    """A shown table of TOKENS tokens, the third of them expired."""
    records = [made(token_id, expired=token_id == 3) for token_id in range(1, TOKENS + 1)]
    view = TokenTableView()
    qtbot.addWidget(view)
    view.resize(800, 300)
    model = TokenTableModel(Listed(records), "web", clock=lambda: NOW, parent=view)
    view.setModel(model)
    model.fetchMore(QModelIndex())
    view.show()
    qtbot.waitExposed(view)
    return view


def rows_with_buttons(table: TokenTableView) -> list[int]:
    return [row for row in range(table.model().rowCount()) if table.action_button(row)]


def test_only_the_rows_near_the_viewport_have_buttons(qtbot, table):
    near_the_top = rows_with_buttons(table)
    assert near_the_top == list(range(len(near_the_top)))
    assert len(near_the_top) < 30
    assert len(table.viewport().findChildren(QToolButton, "rotateTokenButton")) == len(near_the_top)
    table.scrollToBottom()
    last = table.model().rowCount() - 1
    qtbot.waitUntil(lambda: table.action_button(last) is not None)
    assert table.action_button(0) is None
    assert table.rotate_button(last) is not None


def test_each_button_asks_for_its_own_token(qtbot, table):
    model = table.model()
    with qtbot.waitSignal(table.rotate_requested) as rotated:
        table.rotate_button(1).click()
    assert rotated.args == [model.record(1).id]
    with qtbot.waitSignal(table.delete_requested) as deleted:
        table.action_button(4).click()
    assert deleted.args == [model.record(4).id]


def test_the_buttons_are_named_for_what_they_do(table):
    rotate, trash = table.rotate_button(0), table.action_button(0)
    assert (rotate.accessibleName(), rotate.toolTip()) == ("Rotate token", "Rotate token")
    assert (trash.accessibleName(), trash.toolTip()) == ("Delete token", "Delete token")


def test_an_expired_tokens_rotate_button_says_why_and_its_trash_button_still_works(table):
    expired = table.model().row_of(3)
    rotate = table.rotate_button(expired)
    assert not rotate.isEnabled()
    assert rotate.toolTip() == "Expired: generate a new token instead."
    assert rotate.accessibleDescription() == rotate.toolTip()
    assert table.action_button(expired).isEnabled()


def test_a_role_that_may_not_write_sees_both_buttons_disabled_saying_why(table):
    reason = "Needs manager on web. Ask an admin: alice."
    table.set_write_refusal(reason)
    for button in (table.rotate_button(0), table.action_button(0)):
        assert not button.isEnabled()
        assert button.toolTip() == reason
        assert button.accessibleDescription() == reason
    table.set_write_refusal(None)
    assert table.rotate_button(0).isEnabled()
    assert table.action_button(0).toolTip() == "Delete token"
    assert table.action_button(0).accessibleDescription() == ""
