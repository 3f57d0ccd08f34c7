"""A project with thousands of tokens opens at once and scrolls to its oldest token.

Thirty pages prove the paging: what it costs at 100,000 tokens (time to open the pane,
memory) is the benchmarks' to measure (`make bench`, benchmarks/pane.py), not the suite's.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex
from PySide6.QtWidgets import QToolButton

from app.store.models import DeploymentToken, Project
from tests.support.ui import open_tokens_pane
from ui.models.tokens import PAGE_SIZE, Column

TOKENS = 30 * PAGE_SIZE


def fill(service, project_name: str, count: int) -> None:
    """Rows shaped exactly like generate's, written in one transaction for speed."""
    service.add_project(project_name)
    start = datetime(2020, 1, 1)
    with service.storage.guard, service.storage.database.atomic():
        if not service.storage.is_sqlite:
            # Tokens without their events, as no client may write them (every token
            # change is audited, schema 9): the test's superuser turns the check off.
            service.storage.database.execute_sql("SET LOCAL session_replication_role = replica")
        project = Project.get(Project.name == project_name)
        rows = (
            {
                "project": project.id,
                "name": f"token {index:05}",
                "digest": hashlib.sha256(str(index).encode()).hexdigest(),
                "preview": f"mldt_…{index % 10_000:04}",
                "created_at": start + timedelta(minutes=index),
                "created_by": "bulk",
            }
            for index in range(count)
        )
        batch: list[dict[str, object]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 5_000:
                DeploymentToken.insert_many(batch).execute()
                batch.clear()
        if batch:
            DeploymentToken.insert_many(batch).execute()


def test_thousands_of_tokens_open_lazily_and_scroll_to_the_end(qtbot, window, service):
    fill(service, "big", TOKENS)
    open_tokens_pane(qtbot, window, "big")
    pane = window.project_page().tokens_pane()
    model, table = pane.model(), pane.table()
    # Opening reads the first page (the view may ask for one more to fill itself).
    assert PAGE_SIZE <= model.rowCount() <= 2 * PAGE_SIZE
    assert model.index(0, Column.NAME).data() == f"token {TOKENS - 1:05}"

    scroll_bar = table.verticalScrollBar()
    pages = 0
    while model.canFetchMore(QModelIndex()):
        scroll_bar.setValue(scroll_bar.maximum())  # the view asks for the next page
        qtbot.wait(0)
        pages += 1
        assert pages < TOKENS // PAGE_SIZE + 10, "scrolling stopped loading"
    scroll_bar.setValue(scroll_bar.maximum())
    assert model.rowCount() == TOKENS
    last = model.rowCount() - 1
    assert model.index(last, Column.NAME).data() == "token 00000"
    assert table.rowAt(table.viewport().height() - 1) in (last, -1)
    assert table.action_button(last) is not None
    # Trash buttons exist near the viewport only, not one per token. (Qt deletes the
    # ones it takes back with deleteLater; the event loop would have run by now.)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert len(table.viewport().findChildren(QToolButton)) < 100
