"""The watch for other clients' changes: when the change counter moves, the visible page
reads again; the open project follows a rename made elsewhere, or gives way to the list
when it was deleted; a check that fails says so in the status bar, never in a box."""

from __future__ import annotations

from app.errors import UnavailableError
from tests.support.ui import click_list_item, click_row_with_text, sidebar


def names(window) -> list[str]:
    return [project.name for project in window.projects_page().projects()]


def test_a_project_added_by_another_client_appears_on_the_next_check(window, service):
    window.check_for_changes()  # the counter as the window found it
    assert names(window) == []
    service.add_project("api")  # another workstation
    window.check_for_changes()
    assert names(window) == ["api"]


def test_an_unmoved_counter_reads_nothing_again(window, service, web_project):
    window.check_for_changes()
    reloads: list[bool] = []
    page = window.projects_page()
    page.reload = lambda: reloads.append(True)
    window.check_for_changes()
    assert reloads == []
    window.check_for_changes(always=True)  # the window was activated again
    assert reloads == [True]


def test_the_open_project_follows_a_rename_made_elsewhere(qtbot, window, service, web_project):
    click_list_item(qtbot, sidebar(window), "Projects")
    click_row_with_text(qtbot, window.projects_page().table(), "web")
    window.check_for_changes()
    service.rename_project("web", "webshop")
    window.check_for_changes()
    assert window.project_page().project.name == "webshop"
    assert "webshop" in window.windowTitle()
    assert window.statusBar().currentMessage() == (
        "The project “web” was renamed to “webshop” elsewhere."
    )


def test_the_open_project_deleted_elsewhere_gives_way_to_the_list(
    qtbot, window, service, web_project
):
    click_list_item(qtbot, sidebar(window), "Projects")
    click_row_with_text(qtbot, window.projects_page().table(), "web")
    window.check_for_changes()
    service.delete_project("web")
    window.check_for_changes()
    assert window.current_page() is window.projects_page()
    assert window.statusBar().currentMessage() == (
        "The project “web” was deleted by another client."
    )


def test_a_failed_check_says_so_in_the_status_bar_and_then_that_it_is_back(
    window, service, monkeypatch
):
    window.check_for_changes()
    watched = window.service  # the window's own connection is the one checked
    checked = watched.revision

    def unreachable() -> int:
        raise UnavailableError("the server does not answer; host db.example")

    monkeypatch.setattr(watched, "revision", unreachable)
    window.check_for_changes()
    said = window.statusBar().currentMessage()
    assert said.startswith("Cannot check for changes: the server does not answer.")
    assert window.statusBar().toolTip() == "the server does not answer; host db.example"
    monkeypatch.setattr(watched, "revision", checked)
    window.check_for_changes()
    assert window.statusBar().currentMessage() == "The database is reachable again."
    assert window.statusBar().toolTip() == ""
