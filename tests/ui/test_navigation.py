"""The way between the pages: the window's title follows the open project, which is
remembered to reopen at the next start, and forgotten once it is gone."""

from __future__ import annotations

from tests.support.ui import (
    click_list_item,
    click_row_with_text,
    sidebar,
)
from ui.main_window import APP_NAME, LAST_PROJECT_KEY


def open_project(qtbot, window, name: str) -> None:
    click_list_item(qtbot, sidebar(window), "Projects")
    click_row_with_text(qtbot, window.projects_page().table(), name)
    assert window.current_page() is window.project_page()


def test_an_opened_project_is_titled_remembered_and_reopened(
    qtbot, make_window, settings, service, web_project
):
    window = make_window()
    assert settings.value(LAST_PROJECT_KEY) is None
    assert window.current_page() is window.projects_page()
    assert window.windowTitle() == APP_NAME
    open_project(qtbot, window, "web")
    assert window.windowTitle() == f"web \N{EN DASH} {APP_NAME}"
    assert settings.value(LAST_PROJECT_KEY) == "web"
    click_list_item(qtbot, sidebar(window), "Projects")
    assert window.current_page() is window.projects_page()
    assert window.windowTitle() == APP_NAME
    assert settings.value(LAST_PROJECT_KEY) == "web"  # still the one to reopen

    reopened = make_window()
    assert reopened.current_page() is reopened.project_page()
    assert reopened.project_page().project.name == "web"


def test_a_remembered_project_that_is_gone_opens_the_projects_page(qtbot, make_window, settings):
    settings.setValue(LAST_PROJECT_KEY, "deleted long ago")
    window = make_window()
    assert window.current_page() is window.projects_page()


def test_the_project_to_reopen_follows_a_rename_and_is_forgotten_once_deleted(
    qtbot, window, settings, service, web_project
):
    open_project(qtbot, window, "web")
    window.project_page().project_renamed.emit(service.rename_project("web", "webshop"))
    assert settings.value(LAST_PROJECT_KEY) == "webshop"
    assert window.windowTitle() == f"webshop \N{EN DASH} {APP_NAME}"

    service.delete_project("webshop")
    window.project_page().project_deleted.emit("webshop")
    assert settings.value(LAST_PROJECT_KEY) is None
    assert window.current_page() is window.projects_page()


def test_deleting_another_project_keeps_the_one_to_reopen(
    qtbot, window, settings, service, web_project
):
    service.add_project("api")
    open_project(qtbot, window, "web")
    window.projects_page().project_deleted.emit("api")
    assert settings.value(LAST_PROJECT_KEY) == "web"
