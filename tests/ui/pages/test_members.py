"""A project's Members pane: on SQLite one sentence (access control needs PostgreSQL);
on PostgreSQL the levels held on the project, Grant… and Revoke… for its admins, and a
read-only list, saying why, for everyone else."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

from tests.support.ui import click, click_list_item, project_sidebar
from ui.dialogs.grant_access import GrantAccessDialog
from ui.models.members import MemberColumn


def open_members(qtbot, window, project="web"):
    window.open_project(window.service.find_project(project))
    click_list_item(qtbot, project_sidebar(window), "Members")
    page = window.project_page()
    assert page.current_pane() is page.members_pane()
    return page.members_pane()


@pytest.mark.only_backend("sqlite")
def test_on_sqlite_the_pane_says_access_control_needs_postgresql(qtbot, window, web_project):
    pane = open_members(qtbot, window)
    sentence = pane.needs_postgresql()
    assert sentence is not None
    assert sentence.isVisible()
    assert sentence.text().startswith("Access control needs PostgreSQL")
    assert "Team set-up" in sentence.text()
    assert not pane.table().isVisible()
    assert not pane.grant_button().isVisible()
    # Settings leads there too.
    page = window.project_page()
    page.show_section("Settings")
    click(qtbot, page.settings_pane().section_button("Members"))
    assert page.current_pane() is pane


@pytest.mark.only_backend("postgresql")
def test_an_admin_grants_a_level_with_the_role_completed_and_revokes_it(
    qtbot, service, web_project, login_roles
):
    alice = login_roles.role("alice")
    bob = login_roles.role("bob")
    service.grant_access(alice, "web", "admin")
    service.grant_access(alice, None, "viewer")
    window = login_roles.window(alice)
    pane = open_members(qtbot, window)
    assert pane.needs_postgresql() is None
    assert not pane.notice().isVisible()
    assert window.project_page().level_label().text() == "You are admin"
    model = pane.model()
    shown = [[model.index(r, c).data() for c in MemberColumn] for r in range(model.rowCount())]
    # The level on all projects is listed too, marked, after the role's own on the project.
    assert shown == [
        [f"{alice} (you)", "admin", "web"],
        [f"{alice} (you)", "viewer", "All projects"],
    ]
    assert "all projects" in model.index(1, MemberColumn.WHERE).data(3)  # its tooltip

    assert pane.grant_button().isEnabled()
    dialog = pane.grant()
    assert isinstance(dialog, GrantAccessDialog)
    completer = dialog.role_field().completer()
    completer.setCompletionPrefix(bob[-8:])
    assert completer.currentCompletion() == bob
    dialog.role_field().setText("nobody-of-that-name")
    assert "no login role named" in dialog.problem()
    assert not dialog.grant_button().isEnabled()
    dialog.role_field().setText(bob)
    dialog.choose_level("manager")
    assert dialog.grant_button().isEnabled()
    click(qtbot, dialog.grant_button())
    qtbot.waitUntil(lambda: len(pane.members()) == 3)
    assert service.access_level("web") == "admin"  # the owner's, unchanged
    assert next(r for r in service.list_access("web") if r.role == bob).level == "manager"
    row = model.row_of(bob, "web")
    assert pane.table().currentIndex().row() == row
    assert model.index(row, MemberColumn.LEVEL).data() == "manager"

    # Revoke asks first; Cancel is the default and changes nothing.
    assert pane.revoke_button().isEnabled()
    pane.request_revoke()
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    assert box.objectName() == "confirmRevokeAccessBox"
    assert box.defaultButton().objectName() == "cancelButton"
    assert bob in box.text()
    click(qtbot, box.findChild(QAbstractButton, "cancelButton"))
    assert len(service.list_access("web")) == 3
    pane.request_revoke()
    box = QApplication.activeModalWidget()
    click(qtbot, box.findChild(QAbstractButton, "revokeButton"))
    qtbot.waitUntil(lambda: len(pane.members()) == 2)
    assert bob not in {r.role for r in service.list_access("web")}

    # A level on all projects is not revoked from one project's page.
    pane.table().selectRow(model.row_of(alice, None))
    assert not pane.revoke_button().isEnabled()
    assert "--all-projects" in pane.revoke_button().toolTip()


@pytest.mark.only_backend("postgresql")
def test_below_admin_the_list_is_read_only_and_says_why(qtbot, service, web_project, login_roles):
    alice = login_roles.role("alice")
    bob = login_roles.role("bob")
    service.grant_access(alice, "web", "admin")
    service.grant_access(bob, "web", "manager")
    window = login_roles.window(bob)
    pane = open_members(qtbot, window)
    # The database shows a role below admin its own levels only.
    assert [(r.role, r.level) for r in pane.members()] == [(bob, "manager")]
    assert pane.notice().isVisible()
    assert "You are manager here" in pane.notice().text()
    assert alice in pane.notice().text()
    for button in (pane.grant_button(), pane.revoke_button()):
        assert button.isVisible()
        assert not button.isEnabled()
        assert button.toolTip().startswith("Needs admin on web. Ask an admin: ")
        assert alice in button.toolTip()
        assert button.accessibleDescription() == button.toolTip()
    assert pane.grant() is None
