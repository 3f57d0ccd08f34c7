"""The count line under the tokens filter: "Showing N of M tokens", "N of M match 'x'"."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from ui.models.tokens import TokenTableModel
from ui.widgets.token_count import TokenCount, count_text


def test_count_text_says_singular_and_plural():
    assert count_text(1, 1) == "Showing 1 of 1 token"
    assert count_text(40, 120) == "Showing 40 of 120 tokens"
    assert count_text(3, 120, "ci") == "3 of 120 match \u2018ci\u2019"
    assert count_text(1, 120, "ci") == "1 of 120 matches \u2018ci\u2019"


def test_with_more_matches_to_read_it_says_at_least():
    assert count_text(100, 300, "ci", more=True) == "At least 100 of 300 match \u2018ci\u2019"
    assert count_text(40, 120, more=True) == "Showing 40 of 120 tokens"  # no filter: exact


def test_the_line_follows_its_model_and_hides_when_the_empty_state_speaks(
    qtbot, service, web_project
):
    count = TokenCount()
    qtbot.addWidget(count)
    model = TokenTableModel(service, "web", page_size=2)
    count.watch(model)
    model.reload()
    assert count.isHidden()
    assert count.text() == ""

    for index in range(3):
        service.generate("web", f"ci {index}")
    model.reload()
    assert not count.isHidden()
    assert count.text() == "Showing 2 of 3 tokens"
    model.fetchMore(QModelIndex())
    assert count.text() == "Showing 3 of 3 tokens"

    model.set_search("ci 1")
    assert count.text() == "1 of 3 matches \u2018ci 1\u2019"
    model.set_search("")
    assert count.text() == "Showing 2 of 3 tokens"


def test_a_filter_that_matches_nothing_says_none_match(qtbot, service, web_project):
    """The empty page inserts no row: the line must still learn the end was reached,
    instead of "At least 0 of 3 match"."""
    count = TokenCount()
    qtbot.addWidget(count)
    model = TokenTableModel(service, "web", page_size=2)
    for index in range(3):
        service.generate("web", f"ci {index}")
    count.watch(model)
    model.set_search("nothing like it")
    if model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())  # what the view does at once
    assert count.text() == "0 of 3 match \u2018nothing like it\u2019"
