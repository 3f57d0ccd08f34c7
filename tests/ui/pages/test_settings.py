"""A project's Settings pane: an overview whose sections are one click away."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.support.ui import (
    click,
    click_list_item,
    click_row_with_text,
    project_sidebar,
    sidebar,
)


@pytest.fixture
def settings_pane(qtbot, window, service, web_project):
    service.generate("web")
    click_list_item(qtbot, sidebar(window), "Projects")
    click_row_with_text(qtbot, window.projects_page().table(), "web")
    click_list_item(qtbot, project_sidebar(window), "Settings")
    page = window.project_page()
    assert page.current_pane() is page.settings_pane()
    return page.settings_pane()


def test_settings_says_how_many_tokens_and_leads_to_them(qtbot, window, settings_pane):
    tokens = settings_pane.section_button("Deployment Tokens")
    assert tokens.text() == "Deployment Tokens (1 live token)"
    click(qtbot, tokens)
    page = window.project_page()
    assert page.current_pane() is page.tokens_pane()
    assert project_sidebar(window).currentItem().text() == "Deployment Tokens"


@pytest.mark.parametrize("section", ["Token policy", "Environments", "Audit log"])
def test_every_section_is_reached_from_settings_by_keyboard(qtbot, window, settings_pane, section):
    button = settings_pane.section_button(section)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: project_sidebar(window).currentItem().text() == section)
