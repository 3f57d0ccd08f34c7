"""The window as a PostgreSQL login role below admin: who it is (the status bar), its
level (beside the project's heading), what is above it (visible, disabled, saying which
level it needs and whom to ask), and all of it following the grants another admin
changes while the window is open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.support.ui import open_tokens_pane
from ui.models.tokens import Column

pytestmark = pytest.mark.only_backend("postgresql")


@pytest.fixture
def team(service, login_roles):
    """web with a token and an environment; alice its admin, bob a viewer of it."""
    service.add_project("web")
    service.add_project("api")
    service.add_environment("web", "staging")
    service.generate("web", "ci")
    alice, bob = login_roles.role("alice"), login_roles.role("bob")
    service.grant_access(alice, "web", "admin")
    service.grant_access(bob, "web", "viewer")
    return alice, bob


def test_a_viewer_sees_who_it_is_and_every_change_disabled_saying_why(
    qtbot, service, login_roles, team
):
    alice, bob = team
    window = login_roles.window(bob)
    label = window.findChild(QLabel, "identityStatus")
    assert label.text() == f"Role: {bob}"
    assert "Your levels: viewer on web." in label.toolTip()
    assert window.service.location in label.toolTip()
    # api reads as unknown to bob: only web is listed.
    assert [p.name for p in window.projects_page().projects()] == ["web"]
    # New project needs admin on all projects.
    assert not window.projects_page().new_button().isEnabled()
    assert window.projects_page().new_button().toolTip() == "Needs admin on all projects."
    new_project = window.findChild(type(window.menuBar().actions()[0]), "newProjectAction")
    assert not new_project.isEnabled()
    assert window.projects_page().new_project() is None

    menu = window.projects_page().context_menu(window.projects_page().projects()[0])
    entries = {a.text(): a for a in menu.actions()}
    for text in ("Rename project…", "Delete project…"):
        assert not entries[text].isEnabled()
        assert entries[text].toolTip().startswith("Needs admin on web. Ask an admin: ")
        assert alice in entries[text].toolTip()
    menu.close()

    open_tokens_pane(qtbot, window, "web")
    page = window.project_page()
    assert page.level_label().isVisible()
    assert page.level_label().text() == "You are viewer"
    assert "changes nothing" in page.level_label().toolTip()
    pane = page.tokens_pane()
    wanted = "Needs manager on web. Ask an admin: "
    generate = pane.generate_button()
    # The spec's label stays; the button stays visible.
    assert generate.text() == "Generate deployment token"
    assert generate.isVisible()
    assert not generate.isEnabled()
    assert generate.toolTip().startswith(wanted)
    # The project's admins: its own, and the database's owner (admin of everything).
    assert alice in generate.toolTip()
    assert service.actor in generate.toolTip()
    assert generate.accessibleDescription() == generate.toolTip()
    assert not pane.options().isEnabled()
    assert pane.options().toolTip() == generate.toolTip()
    table = pane.table()
    for button in (table.action_button(0), table.rotate_button(0)):
        assert button.isVisible()
        assert not button.isEnabled()
        assert button.toolTip().startswith(wanted)
        assert button.accessibleDescription() == button.toolTip()
    assert table.action_button(0).accessibleName() == "Delete token"
    assert not pane.model().flags(pane.model().index(0, Column.NAME)) & Qt.ItemFlag.ItemIsEditable
    menu = table.context_menu(0)
    entries = {a.text(): a for a in menu.actions()}
    for text in ("Rename", "Rotate…", "Delete token…"):
        assert not entries[text].isEnabled(), text
        assert entries[text].toolTip().startswith(wanted), text
    menu.close()
    # The keyboard says why instead of asking.
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    table.selectRow(0)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert messages
    assert messages[-1].startswith(wanted)
    assert len(service.list_tokens("web")) == 1
    assert not pane.delete_selected_button().isEnabled()

    settings = page.settings_pane()
    for button in (settings.rename_button(), settings.delete_button()):
        assert not button.isEnabled()
        assert button.toolTip().startswith("Needs admin on web.")
    assert page.rename_project() is None
    assert page.delete_project() is None
    page.show_section("Environments")
    environments = page.environments_pane()
    assert environments.names() == ["staging"]  # read, not changed
    environments.list_widget().setCurrentRow(0)
    for control in (environments.name_field(), environments.add_button()):
        assert not control.isEnabled()
    assert not environments.remove_button().isEnabled()
    assert environments.remove_button().toolTip().startswith("Needs admin on web.")
    page.show_section("Token policy")
    policy = page.policy_pane()
    for control in (policy.default_choice(), policy.maximum_choice(), policy.save_button()):
        assert not control.isEnabled()
        assert control.toolTip().startswith("Needs admin on web.")


def test_a_leaked_token_of_a_project_below_manager_cannot_be_revoked_here(
    qtbot, service, login_roles, team
):
    _, bob = team
    _, found = service.generate("web", "leaked")
    window = login_roles.window(bob)
    leak = window.report_leak()
    leak.text_field().setPlainText(f"seen in a log: {found}")
    del found
    leak.find_tokens()
    qtbot.waitUntil(lambda: leak.findings_table().rowCount() == 1)
    revoke = leak.revoke_button()
    assert not revoke.isEnabled()
    assert revoke.toolTip().startswith("Needs manager on web.")
    assert leak.confirm_revoke() is None
    leak.reject()


def test_the_window_follows_grants_made_elsewhere(qtbot, service, login_roles, team):
    alice, bob = team
    window = login_roles.window(bob)
    open_tokens_pane(qtbot, window, "web")
    page = window.project_page()
    pane = page.tokens_pane()
    assert not pane.generate_button().isEnabled()
    window.check_for_changes()  # the first check: the counter as the window found it
    reads = []
    access_level = window.service.access_level
    window.service.access_level = lambda name: reads.append(name) or access_level(name)
    # Nothing changed: painting, checking, coming back to the window read no level.
    window.check_for_changes()
    window.check_for_changes(always=True)
    pane.table().viewport().repaint()
    page.show_section("Settings")
    page.show_section("Deployment Tokens")
    assert reads == []

    # Another admin makes bob a manager: the next check shows it.
    service.grant_access(bob, "web", "manager")
    window.check_for_changes()
    assert reads == ["web"]
    assert page.level_label().text() == "You are manager"
    assert pane.generate_button().isEnabled()
    assert pane.generate_button().toolTip() == "Generate deployment token (Ctrl+G)"
    assert pane.table().action_button(0).isEnabled()
    assert pane.model().flags(pane.model().index(0, Column.NAME)) & Qt.ItemFlag.ItemIsEditable
    # Still below admin: the Settings pane's project actions stay disabled.
    assert not page.settings_pane().rename_button().isEnabled()
    label = window.findChild(QLabel, "identityStatus")
    assert "manager on web" in label.toolTip()

    # Made admin of every project: New project too, and the Members pane lists everyone.
    service.grant_access(bob, None, "admin")
    window.check_for_changes()
    assert window.projects_page().new_button().isEnabled()
    assert page.level_label().text() == "You are admin"
    page.show_section("Members")
    members = page.members_pane()
    assert {r.role for r in members.members()} >= {alice, bob}
    assert members.grant_button().isEnabled()
    service.revoke_access(bob, None)
    window.check_for_changes()
    assert [(r.role, r.level) for r in members.members()] == [(bob, "manager")]
    assert not members.grant_button().isEnabled()

    # Every level on web taken away: the project reads as unknown, the window leaves it.
    service.revoke_access(bob, "web")
    window.check_for_changes()
    assert window.current_page() is window.projects_page()
    assert "revoked your access" in window.statusBar().currentMessage()
    assert window.projects_page().projects() == []
