"""Renaming and deleting a project: the rename dialog, and the confirmation that says
what happens to the project's tokens before it deletes them with it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import StorageError
from tests.support.ui import button, click, message_box
from ui.background import WriteRunner
from ui.dialogs import project_actions
from ui.dialogs.new_project import RenameProjectDialog


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_rename_asks_for_the_new_name_and_reports_the_record(qtbot, parent, service, web_project):
    renamed = []
    project = service.find_project("web")
    dialog = project_actions.ask_to_rename(parent, service, project, renamed.append)
    assert isinstance(dialog, RenameProjectDialog)
    dialog.name_field().setText("webshop")
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Rename"))
    assert [record.name for record in renamed] == ["webshop"]
    assert project_actions.renamed_message("web", renamed[0]) == (
        "Renamed project “web” to “webshop”."
    )


def test_rename_says_so_when_the_projects_cannot_be_read(qtbot, parent, service, web_project):
    project = service.find_project("web")

    def failing():
        raise StorageError("database is locked")

    service.list_projects = failing
    assert project_actions.ask_to_rename(parent, service, project, lambda _: None) is None
    box = message_box(qtbot)
    assert box.text().startswith("Could not rename the project: Database is locked")
    box.close()


@pytest.mark.parametrize(
    ("live", "said"),
    [
        (2, "Its 2 live deployment tokens are revoked at once"),
        (1, "Its 1 live deployment token is revoked at once"),
        (0, "It has no live deployment tokens."),
        (None, "Its deployment tokens, if any, are revoked at once."),
    ],
)
def test_delete_says_what_happens_to_the_tokens_and_cancel_keeps_it(
    qtbot, parent, service, web_project, live, said
):
    box = project_actions.ask_to_delete(
        parent,
        WriteRunner(service, parent),
        service,
        service.find_project("web"),
        live,
        lambda _: None,
    )
    assert isinstance(box, QMessageBox)
    assert said in box.informativeText()
    assert box.defaultButton() is button(box, "Cancel")
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Cancel"))
    assert [p.name for p in service.list_projects()] == ["web"]


def test_delete_deletes_and_says_how_many_tokens_went_with_it(qtbot, parent, service, web_project):
    for name in ("ci", "cd"):
        service.generate("web", name)
    said: list[str] = []
    box = project_actions.ask_to_delete(
        parent,
        WriteRunner(service, parent),
        service,
        service.find_project("web"),
        2,
        said.append,
    )
    click(qtbot, button(box, "Delete project"))
    qtbot.waitUntil(lambda: said != [])
    assert said == ["Deleted project “web”; its 2 tokens are revoked."]
    assert service.list_projects() == []
