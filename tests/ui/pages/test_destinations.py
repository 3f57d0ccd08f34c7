"""A project's Destinations pane: its destinations with where they are and their last
push; Add destination… (three kinds, each saying its credential and least privilege),
Test (against a real OpenBao, in the background) and Remove… (asked first, with the
spec's Delete and Cancel); a banner for a credential missing from the environment."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

from app.destinations import github_target, vault_target
from tests.support.ui import click, click_list_item, project_sidebar
from ui.dialogs.add_destination import AddDestinationDialog
from ui.models.destinations import DestinationColumn

CREDENTIALS = ("VAULT_TOKEN", "BAO_TOKEN", "GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN")


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch):
    """Whatever the machine running the tests has set: none, unless a test sets one."""
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)


def open_destinations(qtbot, window, project="web"):
    window.open_project(window.service.find_project(project))
    click_list_item(qtbot, project_sidebar(window), "Destinations")
    page = window.project_page()
    assert page.current_pane() is page.destinations_pane()
    return page.destinations_pane()


def rows(pane):
    model = pane.model()
    return [[model.index(r, c).data() for c in DestinationColumn] for r in range(model.rowCount())]


def add_bao(service, project, openbao=None, name="bao"):
    url = openbao.url if openbao is not None else "https://bao.example.com"
    path = f"{openbao.path_prefix}/web" if openbao is not None else "secret/ci/web"
    return service.add_destination(project, name, vault_target(url, path))


def test_with_none_the_pane_says_what_destinations_are(qtbot, window, web_project):
    pane = open_destinations(qtbot, window)
    empty = pane.empty_state()
    assert empty is not None
    assert empty.isVisible()
    assert "OpenBao/Vault" in empty.text()
    assert pane.add_button().isEnabled()
    assert not pane.test_button().isEnabled()
    assert not pane.remove_button().isEnabled()
    assert not pane.banner().isVisible()
    page = window.project_page()
    page.show_section("Settings")
    click(qtbot, page.settings_pane().section_button("Destinations"))
    assert page.current_pane() is pane


def test_the_list_says_where_and_warns_of_a_missing_credential(
    qtbot, window, service, web_project, monkeypatch
):
    add_bao(service, web_project)
    service.add_destination(web_project, "gh", github_target("acme/web", "DEPLOY_TOKEN"))
    monkeypatch.setenv("GH_TOKEN", "set")
    pane = open_destinations(qtbot, window)
    assert [row[0] for row in rows(pane)] == ["bao", "gh"]
    assert rows(pane)[0][2] == "Never"
    assert "secret/ci/web" in rows(pane)[0][1]
    assert pane.banner().isVisible()
    assert pane.banner().text() == "bao: Set VAULT_TOKEN (or BAO_TOKEN) before pushing."
    model = pane.model()
    name = model.index(0, DestinationColumn.NAME)
    assert name.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "Set VAULT_TOKEN" in name.data(Qt.ItemDataRole.AccessibleTextRole)
    assert model.index(1, 0).data(Qt.ItemDataRole.DecorationRole) is None
    monkeypatch.setenv("BAO_TOKEN", "set")
    pane.refresh()
    assert not pane.banner().isVisible()


def test_add_an_openbao_destination(qtbot, window, service, web_project):
    pane = open_destinations(qtbot, window)
    dialog = pane.add()
    assert isinstance(dialog, AddDestinationDialog)
    assert dialog.kind() == "vault"
    assert "VAULT_TOKEN (or BAO_TOKEN)" in dialog.note()
    assert "create, read and update" in dialog.note()
    assert not dialog.add_button().isEnabled()
    dialog.field("name").setText("bao")
    dialog.field("vaultUrl").setText("https://bao.example.com")
    dialog.field("vaultPath").setText("secret/ci/web")
    assert dialog.add_button().isEnabled()
    with qtbot.waitSignal(dialog.added):
        click(qtbot, dialog.add_button())
    [record] = service.list_destinations(web_project)
    assert (record.name, record.kind) == ("bao", "vault")
    assert [row[0] for row in rows(pane)] == ["bao"]
    assert pane.table().currentIndex().row() == 0
    assert window.statusBar().currentMessage() == "Added the destination bao."


def test_bad_input_is_said_in_the_dialog_and_nothing_is_written(
    qtbot, window, service, web_project
):
    pane = open_destinations(qtbot, window)
    dialog = pane.add()
    dialog.choose_kind("github")
    assert "Secrets: write" in dialog.note()
    dialog.field("name").setText("gh")
    dialog.field("githubRepository").setText("not a repository")
    dialog.field("githubSecret").setText("DEPLOY_TOKEN")
    click(qtbot, dialog.add_button())
    assert dialog.isVisible()
    assert dialog.problem()
    assert dialog.add_button().accessibleDescription() == dialog.problem()
    assert service.list_destinations(web_project) == []
    dialog.field("githubRepository").setText("acme/web")
    assert dialog.problem() == ""
    with qtbot.waitSignal(dialog.added):
        click(qtbot, dialog.add_button())
    assert [d.name for d in service.list_destinations(web_project)] == ["gh"]


def test_a_gitlab_destination_and_a_name_taken(qtbot, window, service, web_project):
    add_bao(service, web_project, name="ci")
    pane = open_destinations(qtbot, window)
    dialog = pane.add()
    dialog.choose_kind("gitlab")
    assert "GITLAB_TOKEN" in dialog.note()
    assert "Maintainer" in dialog.note()
    for key, text in (
        ("name", "ci"),
        ("gitlabUrl", "https://gitlab.example.com"),
        ("gitlabProject", "42"),
        ("gitlabVariable", "DEPLOY_TOKEN"),
    ):
        dialog.field(key).setText(text)
    click(qtbot, dialog.add_button())
    qtbot.waitUntil(lambda: not dialog.is_busy())
    assert "already has a destination" in dialog.problem()
    dialog.field("name").setText("gitlab")
    with qtbot.waitSignal(dialog.added):
        click(qtbot, dialog.add_button())
    assert [row[0] for row in rows(pane)] == ["ci", "gitlab"]


def test_remove_asks_with_delete_and_cancel_then_removes(qtbot, window, service, web_project):
    add_bao(service, web_project)
    pane = open_destinations(qtbot, window)
    pane.table().selectRow(0)
    pane.request_remove()
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    assert box.objectName() == "confirmRemoveDestinationBox"
    assert box.windowTitle() == "Remove destination"
    assert box.defaultButton().objectName() == "cancelButton"
    assert box.defaultButton().text() == "Cancel"
    assert "bao" in box.text()
    assert "Last push: Never." in box.informativeText()
    click(qtbot, box.findChild(QAbstractButton, "cancelButton"))
    assert len(service.list_destinations(web_project)) == 1
    pane.request_remove()
    box = QApplication.activeModalWidget()
    delete = box.findChild(QAbstractButton, "deleteButton")
    assert delete.text() == "Delete"
    click(qtbot, delete)
    qtbot.waitUntil(lambda: pane.destinations() == [])
    assert service.list_destinations(web_project) == []
    assert window.statusBar().currentMessage() == "Removed the destination bao."
    assert pane.empty_state() is not None


def test_test_writes_a_marker_to_openbao_in_the_background(
    qtbot, window, service, web_project, openbao, monkeypatch
):
    monkeypatch.setenv("VAULT_TOKEN", openbao.root_token)
    add_bao(service, web_project, openbao)
    pane = open_destinations(qtbot, window)
    pane.table().selectRow(0)
    assert pane.test_button().isEnabled()
    click(qtbot, pane.test_button())
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=15_000)
    assert not pane.busy_indicator().isVisible()
    assert pane.test_result() == "bao works: a test value was written there and read back."
    assert "marker" in pane.test_result_detail()  # the service's own account
    assert rows(pane)[0][2].endswith(", tested")
    [record] = service.list_destinations(web_project)
    assert record.last_push_outcome == "checked"
    assert (
        pane.model().index(0, 2).data(Qt.ItemDataRole.ToolTipRole).endswith(record.last_push_detail)
    )


def test_a_test_without_the_credential_names_the_variable(qtbot, window, service, web_project):
    add_bao(service, web_project)
    pane = open_destinations(qtbot, window)
    pane.table().selectRow(0)
    click(qtbot, pane.test_button())
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=15_000)
    assert pane.test_result().startswith("Test of bao failed: Set VAULT_TOKEN (or BAO_TOKEN)")
    assert rows(pane)[0][2].endswith(", test failed")
    assert pane.test_button().isEnabled()


def test_the_keyboard_reaches_everything_in_reading_order(qtbot, window, service, web_project):
    add_bao(service, web_project)
    pane = open_destinations(qtbot, window)
    pane.table().selectRow(0)
    assert [b.text() for b in (pane.add_button(), pane.test_button(), pane.remove_button())] == [
        "&Add destination…",
        "&Test",
        "&Remove…",
    ]
    order = [pane.add_button()]
    widget = order[0]
    while len(order) < 4:  # what Tab stops at next: focusable, shown
        widget = widget.nextInFocusChain()
        focusable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        if focusable and widget.isVisible() and widget.isEnabled():
            order.append(widget)
    assert order[1:] == [pane.test_button(), pane.remove_button(), pane.table()]
    assert pane.table().accessibleName() == "Destinations"


@pytest.mark.only_backend("postgresql")
def test_a_viewer_sees_the_list_read_only_and_why(qtbot, service, web_project, login_roles):
    alice = login_roles.role("alice")
    bob = login_roles.role("bob")
    service.grant_access(alice, "web", "admin")
    service.grant_access(bob, "web", "viewer")
    add_bao(service, web_project)
    window = login_roles.window(bob)
    pane = open_destinations(qtbot, window)
    assert [row[0] for row in rows(pane)] == ["bao"]
    assert "You are viewer here" in pane.notice().text()
    pane.table().selectRow(0)
    for button in (pane.add_button(), pane.remove_button(), pane.test_button()):
        assert not button.isEnabled()
        assert button.toolTip().startswith("Needs ")
    assert pane.add() is None


def test_the_dialog_is_read_and_tabbed_in_order(qtbot, window, web_project):
    pane = open_destinations(qtbot, window)
    dialog = pane.add()
    qtbot.waitExposed(dialog)
    dialog.choose_kind("github")
    order = [dialog.field("name")]
    widget = order[0]
    for _ in range(200):  # what Tab stops at next: focusable, shown
        if len(order) == 7:
            break
        widget = widget.nextInFocusChain()
        focusable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        if focusable and widget.isVisible() and widget.isEnabled() and widget not in order:
            order.append(widget)
    assert order[1:5] == [
        dialog.kind_choice(),
        dialog.field("githubRepository"),
        dialog.field("githubSecret"),
        dialog.field("githubEnvironment"),
    ]
    for key in ("name", "githubRepository", "githubSecret", "githubEnvironment"):
        assert dialog.field(key).accessibleName()
    assert dialog.kind_choice().accessibleDescription() == dialog.note()
    dialog.reject()
