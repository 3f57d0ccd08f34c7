"""A project's Trusted deployers pane: its bindings with their issuer, claims in words,
lifetime and last exchange; a banner for each weak one; Add… (the presets and the
generic form, the service's warnings shown) and Remove… (asked first) for its admins;
read-only, saying why, for everyone else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

from app.oidc import bindings
from tests.support.ui import click, click_list_item, project_sidebar
from ui.dialogs.add_deployer import AddDeployerDialog
from ui.models.deployers import DeployerColumn

AUDIENCE = "deployment-tokens:deploy.example.com"


def open_deployers(qtbot, window, project="web"):
    window.open_project(window.service.find_project(project))
    click_list_item(qtbot, project_sidebar(window), "Trusted deployers")
    page = window.project_page()
    assert page.current_pane() is page.deployers_pane()
    return page.deployers_pane()


def rows(pane):
    model = pane.model()
    return [[model.index(r, c).data() for c in DeployerColumn] for r in range(model.rowCount())]


def add_github(service, project, environment="production"):
    issuer, claims, name = bindings.github_preset("acme/web", "123", "9", environment)
    return service.add_deployer(
        project,
        issuer=issuer,
        audience=AUDIENCE,
        claims=list(claims.items()),
        environments=[environment] if environment else [],
        name=name,
    )


def test_with_none_the_pane_says_what_trusted_deployers_are(qtbot, window, web_project):
    pane = open_deployers(qtbot, window)
    empty = pane.empty_state()
    assert empty is not None
    assert empty.isVisible()
    assert "ID token" in empty.text()
    assert not pane.table().isVisible()
    assert not pane.banner().isVisible()
    assert pane.add_button().isEnabled()
    assert not pane.remove_button().isEnabled()
    page = window.project_page()
    page.show_section("Settings")
    click(qtbot, page.settings_pane().section_button("Trusted deployers"))
    assert page.current_pane() is pane


def test_the_list_says_each_binding_in_words_and_warns_of_weak_ones(
    qtbot, window, service, web_project
):
    service.add_environment(web_project, "production")
    add_github(service, web_project)
    service.add_deployer(
        web_project,
        issuer="https://gitlab.example.com",
        audience=AUDIENCE,
        claims=[("project_id", "42")],
        lifetime=timedelta(hours=1),
        name="GitLab gitlab.example.com project 42",
    )
    pane = open_deployers(qtbot, window)
    assert pane.empty_state() is None
    assert rows(pane) == [
        ["GitHub Actions", "GitHub acme/web (id 123), environment production", "production",
         "15 min", "Never"],
        ["GitLab gitlab.example.com", "project 42", "every environment", "1 h", "Never"],
    ]  # fmt: skip
    banner = pane.banner()
    assert banner.isVisible()
    assert banner.text().startswith("project 42 is weak: no environment or protected ref")
    assert "acme/web" not in banner.text()
    assert banner.accessibleDescription() == banner.text()


def test_the_list_follows_changes_made_elsewhere(qtbot, window, service, web_project):
    pane = open_deployers(qtbot, window)
    window.check_for_changes()
    add_github(service, web_project, environment=None)
    window.check_for_changes()
    assert [row[0] for row in rows(pane)] == ["GitHub Actions"]
    assert pane.banner().isVisible()


def test_add_with_the_github_preset(qtbot, window, service, web_project):
    service.add_environment(web_project, "production")
    pane = open_deployers(qtbot, window)
    dialog = pane.add()
    assert isinstance(dialog, AddDeployerDialog)
    assert dialog.kind() == "github"
    assert not dialog.add_button().isEnabled()
    dialog.field("repository").setText("acme/web")
    dialog.field("repositoryId").setText("123")
    dialog.field("ownerId").setText("9")
    dialog.field("githubEnvironment").setText("production")
    dialog.field("audience").setText(AUDIENCE)
    assert dialog.field("lifetime").text() == "15m"
    click(qtbot, dialog.add_button())
    qtbot.waitUntil(lambda: len(pane.deployers()) == 1)
    [record] = service.list_deployers(web_project)
    assert record.issuer == bindings.GITHUB_ISSUER
    assert dict(record.claims) == {
        "repository_id": "123",
        "repository_owner_id": "9",
        "environment": "production",
    }
    assert record.environments == ("production",)
    assert record.lifetime == timedelta(minutes=15)
    assert window.statusBar().currentMessage() == (
        "Added the trusted deployer GitHub acme/web (id 123), environment production."
    )
    assert QApplication.activeModalWidget() is None  # nothing weak: nothing to say
    assert not pane.banner().isVisible()
    assert pane.table().currentIndex().row() == 0
    assert pane.remove_button().isEnabled()


def test_add_with_the_gitlab_preset_shows_the_services_warnings(
    qtbot, window, service, web_project
):
    pane = open_deployers(qtbot, window)
    dialog = pane.add()
    dialog.choose_kind("gitlab")
    dialog.field("gitlabUrl").setText("https://gitlab.example.com/")
    dialog.field("gitlabProjectId").setText("42")
    dialog.protected_check().setChecked(False)
    dialog.field("audience").setText(AUDIENCE)
    dialog.field("lifetime").setText("30m")
    click(qtbot, dialog.add_button())
    qtbot.waitUntil(lambda: len(pane.deployers()) == 1)
    [record] = service.list_deployers(web_project)
    assert record.issuer == "https://gitlab.example.com"
    assert dict(record.claims) == {"project_id": "42"}
    assert record.lifetime == timedelta(minutes=30)
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    assert box.objectName() == "weakDeployerBox"
    assert box.text() == "Added project 42, but the binding is weak:"
    assert "No environment or protected ref is pinned" in box.informativeText()
    box.close()
    assert pane.banner().isVisible()
    assert "project 42 is weak" in pane.banner().text()


def test_add_with_the_generic_form(qtbot, window, service, web_project):
    service.add_environment(web_project, "staging")
    pane = open_deployers(qtbot, window)
    dialog = pane.add()
    dialog.choose_kind("generic")
    dialog.field("issuer").setText("https://oidc.example.com")
    dialog.field("audience").setText(AUDIENCE)
    assert not dialog.add_button().isEnabled()  # no claim yet
    dialog.claims_field().setPlainText("project_id=7\n\nref_protected=true\n")
    dialog.field("environments").setText("staging")
    click(qtbot, dialog.add_button())
    qtbot.waitUntil(lambda: len(pane.deployers()) == 1)
    [record] = service.list_deployers(web_project)
    assert record.issuer == "https://oidc.example.com"
    assert dict(record.claims) == {"project_id": "7", "ref_protected": "true"}
    assert record.environments == ("staging",)
    assert rows(pane)[0][:3] == ["oidc.example.com", "project 7, protected refs only", "staging"]


@pytest.mark.parametrize(
    ("field", "text", "said"),
    [
        ("issuer", "http://oidc.example.com", "must use https://"),
        ("lifetime", "2h", "from 1 minute to 1 hour"),
        ("environments", "nowhere", "nowhere"),
    ],
)
def test_bad_input_is_said_in_the_dialog_and_nothing_is_written(
    qtbot, window, service, web_project, field, text, said
):
    pane = open_deployers(qtbot, window)
    dialog = pane.add()
    dialog.choose_kind("generic")
    dialog.field("issuer").setText("https://oidc.example.com")
    dialog.field("audience").setText(AUDIENCE)
    dialog.claims_field().setPlainText("project_id=7")
    dialog.field(field).setText(text)
    click(qtbot, dialog.add_button())
    qtbot.waitUntil(lambda: dialog.problem() != "")
    assert said in dialog.problem()
    assert "\n" not in dialog.problem()
    assert dialog.isVisible()
    assert service.list_deployers(web_project) == []
    dialog.field(field).setText("x")  # typing again clears what was said
    assert dialog.problem() == ""
    dialog.reject()


def test_a_malformed_claim_is_said_in_the_dialog(qtbot, window, service, web_project):
    pane = open_deployers(qtbot, window)
    dialog = pane.add()
    dialog.choose_kind("generic")
    dialog.field("issuer").setText("https://oidc.example.com")
    dialog.field("audience").setText(AUDIENCE)
    dialog.claims_field().setPlainText("project_id 7")
    click(qtbot, dialog.add_button())
    assert dialog.problem().startswith("A claim is KEY=VALUE")
    assert dialog.add_button().accessibleDescription() == dialog.problem()
    assert service.list_deployers(web_project) == []
    dialog.reject()


def test_remove_asks_first_naming_the_binding_then_removes(qtbot, window, service, web_project):
    service.add_environment(web_project, "production")
    add_github(service, web_project)
    pane = open_deployers(qtbot, window)
    pane.table().selectRow(0)
    pane.request_remove()
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    assert box.objectName() == "confirmRemoveDeployerBox"
    assert box.defaultButton().objectName() == "cancelButton"
    assert box.escapeButton() is box.defaultButton()
    assert "GitHub acme/web (id 123), environment production" in box.text()
    assert "Last exchange: Never." in box.informativeText()
    click(qtbot, box.findChild(QAbstractButton, "cancelButton"))
    assert len(service.list_deployers(web_project)) == 1
    pane.request_remove()
    box = QApplication.activeModalWidget()
    click(qtbot, box.findChild(QAbstractButton, "removeButton"))
    qtbot.waitUntil(lambda: pane.deployers() == [])
    assert service.list_deployers(web_project) == []
    assert window.statusBar().currentMessage().startswith("Removed the trusted deployer GitHub")
    assert pane.empty_state() is not None


def test_the_keyboard_reaches_everything_in_reading_order(qtbot, window, service, web_project):
    add_github(service, web_project, environment=None)
    pane = open_deployers(qtbot, window)
    pane.table().selectRow(0)
    assert [pane.add_button().text(), pane.remove_button().text()] == ["&Add…", "&Remove…"]
    order = [pane.add_button()]
    widget = order[0]
    while len(order) < 3:  # what Tab stops at next: focusable, shown
        widget = widget.nextInFocusChain()
        focusable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        if focusable and widget.isVisible() and widget.isEnabled():
            order.append(widget)
    assert order[1:] == [pane.remove_button(), pane.table()]
    assert pane.table().accessibleName() == "Trusted deployers"


@pytest.mark.only_backend("postgresql")
def test_a_viewer_sees_the_list_read_only_and_why(qtbot, service, web_project, login_roles):
    alice = login_roles.role("alice")
    bob = login_roles.role("bob")
    service.grant_access(alice, "web", "admin")
    service.grant_access(bob, "web", "viewer")
    add_github(service, web_project, environment=None)
    window = login_roles.window(bob)
    pane = open_deployers(qtbot, window)
    assert [row[0] for row in rows(pane)] == ["GitHub Actions"]
    assert pane.banner().isVisible()
    assert pane.notice().isVisible()
    assert "You are viewer here" in pane.notice().text()
    assert alice in pane.notice().text()
    pane.table().selectRow(0)
    for button in (pane.add_button(), pane.remove_button()):
        assert not button.isEnabled()
        assert button.toolTip().startswith("Needs admin on web. Ask an admin: ")
        assert button.accessibleDescription() == button.toolTip()
    assert pane.add() is None


@pytest.mark.usefixtures("german")
def test_the_pane_speaks_german(qtbot, window, service, web_project):
    add_github(service, web_project, environment=None)
    window.open_project(window.service.find_project("web"))
    page = window.project_page()
    page.show_section("Trusted deployers")
    pane = page.deployers_pane()
    assert page.current_pane() is pane
    shown = rows(pane)[0]
    assert shown[4] == "Nie"
    assert shown[2] == "jede Umgebung"
    assert pane.add_button().text() != "&Add…"
