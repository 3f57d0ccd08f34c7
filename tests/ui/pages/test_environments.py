"""Settings > Environments: the project's environments listed, added and removed, and
Add and Remove enabled only when there is something to add or remove."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.support.ui import click
from ui.pages.environments import EnvironmentsPane


@pytest.fixture
def pane(qtbot, service, web_project) -> EnvironmentsPane:
    service.add_environment("web", "staging")
    pane = EnvironmentsPane(service)
    qtbot.addWidget(pane)
    pane.show_project("web")
    pane.show()
    return pane


def test_the_projects_environments_are_listed(pane):
    assert pane.names() == ["staging"]
    assert not pane.add_button().isEnabled()  # nothing typed
    assert not pane.remove_button().isEnabled()  # nothing chosen


def test_an_environment_typed_is_added_and_the_field_cleared(qtbot, pane, service):
    changed, said = [], []
    pane.changed.connect(lambda: changed.append(True))
    pane.status_message.connect(said.append)
    qtbot.keyClicks(pane.name_field(), " production ")
    assert pane.add_button().isEnabled()
    qtbot.keyClick(pane.name_field(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not pane.is_busy())
    assert sorted(pane.names()) == ["production", "staging"]
    assert sorted(e.name for e in service.list_environments("web")) == ["production", "staging"]
    assert pane.name_field().text() == ""
    assert changed == [True]
    assert said == ["Added environment production."]


def test_the_chosen_environment_is_removed(qtbot, pane, service):
    pane.list_widget().setCurrentRow(0)
    assert pane.remove_button().isEnabled()
    click(qtbot, pane.remove_button())
    qtbot.waitUntil(lambda: not pane.is_busy())
    assert pane.names() == []
    assert service.list_environments("web") == []


def test_a_refresh_shows_what_another_client_added(pane, service):
    service.add_environment("web", "production")
    pane.refresh()
    assert sorted(pane.names()) == ["production", "staging"]
