"""The project page: renaming and deleting the open project, from its Settings pane."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.errors import NotFoundError
from tests.support.ui import (
    button,
    click,
    click_list_item,
    click_row_with_text,
    message_box,
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


def _active_dialog(qtbot, object_name: str) -> QWidget:
    qtbot.waitUntil(
        lambda: getattr(QApplication.activeModalWidget(), "objectName", lambda: "")() == object_name
    )
    return QApplication.activeModalWidget()


def test_rename_project_from_settings_keeps_the_tokens_and_follows_the_name(
    qtbot, window, service, settings_pane
):
    click(qtbot, settings_pane.rename_button())
    dialog = _active_dialog(qtbot, "renameProjectDialog")
    field = dialog.name_field()
    assert field.text() == "web"
    assert not dialog.submit_button().isEnabled()  # unchanged: nothing to rename yet
    field.selectAll()
    qtbot.keyClicks(field, "storefront")
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    page = window.project_page()
    assert page.heading().text() == "storefront"
    assert window.windowTitle().startswith("storefront")
    assert "Renamed project “web” to “storefront”." in window.statusBar().currentMessage()
    assert [p.name for p in service.list_projects()] == ["storefront"]
    # The tokens pane now works on the renamed project.
    click_list_item(qtbot, project_sidebar(window), "Deployment Tokens")
    assert page.tokens_pane().table().model().rowCount() == 1


def test_rename_project_refuses_a_taken_name_beside_the_field(
    qtbot, window, service, settings_pane
):
    service.add_project("api")
    click(qtbot, settings_pane.rename_button())
    dialog = _active_dialog(qtbot, "renameProjectDialog")
    dialog.name_field().setText("API")
    assert not dialog.submit_button().isEnabled()
    assert dialog.error_text() == "A project named “api” already exists (names ignore case)."
    dialog.name_field().setText("Web")  # its own name in another case is fine
    assert dialog.submit_button().isEnabled()
    dialog.reject()


def test_delete_project_says_what_happens_to_its_tokens_and_cancel_keeps_it(
    qtbot, window, service, settings_pane
):
    click(qtbot, settings_pane.delete_button())
    box = message_box(qtbot)
    assert box.objectName() == "confirmDeleteProjectBox"
    assert box.text() == "Delete the project “web”?"
    assert box.informativeText().startswith(
        "Its 1 live deployment token is revoked at once: every CI/CD pipeline"
    )
    assert "its audit log stays in the audit trail, for export" in box.informativeText()
    # Cancel is the default: a stray Enter deletes nothing.
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert [p.name for p in service.list_projects()] == ["web"]


def test_delete_project_revokes_its_tokens_and_goes_back_to_the_list(
    qtbot, window, service, settings_pane
):
    [token] = service.list_tokens("web")
    click(qtbot, settings_pane.delete_button())
    box = message_box(qtbot)
    click(qtbot, button(box, "Delete project"))
    qtbot.waitUntil(lambda: window.current_page() is window.projects_page())
    assert service.list_projects() == []
    assert window.projects_page().projects() == []
    assert window.statusBar().currentMessage() == ("Deleted project “web”; its 1 token is revoked.")
    with pytest.raises(NotFoundError):
        service.token_by_id(token.id)  # revoked with its project
