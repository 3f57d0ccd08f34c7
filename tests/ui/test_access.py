"""Who may do what, as the window shows it (ui/access.py): what a disabled action says,
and the window on SQLite, where the one local user is admin of everything and the
window neither reads nor shows a level."""

from __future__ import annotations

import pytest

from app.records import AccessRecord, Identity
from tests.support.ui import open_tokens_pane
from ui import access
from ui.access import Permissions


def test_an_action_above_the_level_says_which_level_and_whom_to_ask():
    viewer = Permissions("web", "viewer", ("alice", "deploy_tokens"))
    assert viewer.allows("viewer")
    assert not viewer.allows("manager")
    assert viewer.refusal("viewer") is None
    assert viewer.refusal("manager") == "Needs manager on web. Ask an admin: alice, deploy_tokens."
    assert viewer.refusal("admin") == "Needs admin on web. Ask an admin: alice, deploy_tokens."
    assert Permissions("web", "admin").refusal("admin") is None
    # No level at all (a project read before the grant was revoked) allows nothing.
    assert Permissions("web", None, ("alice",)).refusal("viewer") == (
        "Needs viewer on web. Ask an admin: alice."
    )
    assert Permissions(None, "manager").refusal("admin") == "Needs admin on all projects."


def test_the_level_on_every_project_comes_from_whoami():
    levels = (
        AccessRecord("bob", None, "manager"),
        AccessRecord("bob", "web", "admin"),
    )
    identity = Identity("bob", "postgresql://bob@db/tokens", levels)
    assert access.everywhere(identity, controlled=True).level == "manager"
    assert access.everywhere(Identity("bob", "x", ()), controlled=True).level is None
    assert access.everywhere(identity, controlled=False).level == "admin"


@pytest.mark.only_backend("sqlite")
def test_on_sqlite_a_project_shows_no_level_and_refuses_nothing(
    qtbot, window, service, web_project
):
    service.generate("web", "ci")
    open_tokens_pane(qtbot, window, "web")
    page = window.project_page()
    # Everyone is admin of everything: "You are admin" on every project would be noise.
    assert not page.level_label().isVisible()
    assert page.permissions() == access.everything("web")
    pane = page.tokens_pane()
    assert pane.generate_button().isEnabled()
    assert pane.generate_button().toolTip() == "Generate deployment token (Ctrl+G)"
    assert pane.options().isEnabled()
    assert pane.table().action_button(0).isEnabled()
    assert pane.table().action_button(0).toolTip() == "Delete token"
    assert pane.model().is_editable()
    assert page.settings_pane().rename_button().isEnabled()
    page.show_section("Environments")
    page.environments_pane().name_field().setText("staging")
    assert page.environments_pane().add_button().isEnabled()
    page.show_section("Token policy")
    assert page.policy_pane().save_button().isEnabled()
