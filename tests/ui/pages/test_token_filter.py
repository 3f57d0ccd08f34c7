"""The token table's filter: by name or the preview's last characters, in the database."""

from __future__ import annotations

from app import tokens
from tests.support.data import generated_at_once
from tests.support.ui import button, click, copy_and_close, open_tokens_pane
from ui.models.paged import PAGE_SIZE


def names(pane) -> list[str]:
    model = pane.model()
    return [model.record(row).name for row in range(model.rowCount())]


def test_the_filter_finds_tokens_by_name_or_preview_across_pages(
    qtbot, window, service, web_project
):
    # More than a page: the filter must find what is not loaded.
    made = generated_at_once(service, "web", [f"tenant {index:03}" for index in range(250)])
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    qtbot.keyClicks(pane.filter_box(), "TENANT 00")
    qtbot.waitUntil(lambda: len(names(pane)) == 10)
    assert sorted(names(pane)) == [f"tenant 00{i}" for i in range(10)]

    oldest, _ = made["tenant 000"]  # on the last page unfiltered
    pane.filter_box().setText(oldest.preview[-4:])
    qtbot.waitUntil(lambda: "tenant 000" in names(pane))

    pane.filter_box().setText("no such token")
    # Once the filter's pause is over, not at the next periodic refresh.
    qtbot.waitUntil(lambda: pane.empty_state().isVisible(), timeout=3000)
    assert pane.empty_state().text() == "No token matches the filter."
    pane.filter_box().clear()
    qtbot.waitUntil(lambda: len(names(pane)) == PAGE_SIZE)  # the first page again


def test_a_pasted_token_is_replaced_by_what_the_table_shows_of_it(
    qtbot, window, service, web_project
):
    record, plaintext = service.generate("web", "ci")
    service.generate("web", "other")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    pane.filter_box().setText(f"TOKEN={plaintext}")
    qtbot.waitUntil(lambda: names(pane) == ["ci"])
    assert pane.filter_box().text() == record.preview[-4:]
    assert plaintext not in pane.filter_box().text()
    assert not tokens.contains_token(pane.filter_box().text())


def test_generating_while_filtered_shows_the_new_token(qtbot, window, service, web_project):
    service.generate("web", "ci-main")
    service.generate("web", "other")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    # A '-' no preview holds: "ci" alone is in one random preview of three hundred.
    pane.filter_box().setText("ci-")
    qtbot.waitUntil(lambda: names(pane) == ["ci-main"])
    click(qtbot, button(window, "Generate deployment token"))
    copy_and_close(qtbot)
    qtbot.waitUntil(lambda: len(names(pane)) == 3)
    assert pane.filter_box().text() == ""
    qtbot.wait(400)  # past the filter's typing delay: nothing filters it away again
    assert len(names(pane)) == 3
