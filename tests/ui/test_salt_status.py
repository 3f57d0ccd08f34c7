"""A missing salt is said on every page, with the fix one click away."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton

from app import config
from tests.support.ui import button, click, message_box, open_tokens_pane
from ui.dialogs.new_project import NewProjectDialog


def salt_status(window) -> QToolButton | None:
    return window.statusBar().findChild(QToolButton, "saltStatusButton")


def test_a_missing_salt_shows_in_the_status_bar_of_every_page(
    qtbot, make_window, service, web_project, monkeypatch
):
    monkeypatch.delenv(config.SALT_ENV)
    window = make_window()
    status = salt_status(window)
    assert status is not None
    assert status.isVisible()  # on the Projects page already
    assert status.accessibleName() == "Tokens cannot be generated: token salt"
    click(qtbot, status)
    box = message_box(qtbot)
    assert "ML_DEPLOYMENT_TOKEN_SALT" in box.informativeText()
    assert "secrets.token_urlsafe" in box.informativeText()
    assert "restart the app" in box.informativeText()
    click(qtbot, button(box, "OK"))

    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    assert status.isVisible()  # still, on the project's pages
    assert "restarted" in pane.banner().text()
    assert "Click" not in pane.empty_state().text()  # no advice that cannot work


def test_with_the_salt_set_the_status_bar_says_nothing_of_it(window):
    status = salt_status(window)
    assert status is None or not status.isVisible()


def test_the_menus_reach_every_action(qtbot, window, web_project):
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert [a.text() for a in menus["&File"].actions() if not a.isSeparator()] == [
        "&New project…",
        "Report a &leaked token…",
        "&Quit",
    ]
    assert [a.text() for a in menus["&Help"].actions()] == [
        "&User guide",
        "Token &salt…",
        "&About Deployment Tokens",
    ]
    [new_project] = [a for a in menus["&File"].actions() if a.text() == "&New project…"]
    new_project.trigger()
    qtbot.waitUntil(lambda: window.findChild(NewProjectDialog) is not None)


def test_the_user_guide_is_the_installed_readme(qtbot, window):
    from ui.dialogs.user_guide import UserGuideDialog

    window.show_user_guide()
    qtbot.waitUntil(lambda: window.findChild(UserGuideDialog) is not None)
    guide = window.findChild(UserGuideDialog)
    assert "Set the salt first" in guide.text()  # the README's own words
    assert "ML_DEPLOYMENT_TOKEN_SALT" in guide.text()
    guide.close()
