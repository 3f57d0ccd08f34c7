"""A missing salt is said on every page, with the fix one click away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QToolButton

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


def test_the_user_guide_explains_the_salt_warning(qtbot, window):
    from ui.dialogs.user_guide import UserGuideDialog

    window.show_user_guide()
    qtbot.waitUntil(lambda: window.findChild(UserGuideDialog) is not None)
    guide = window.findChild(UserGuideDialog)
    assert "The token salt warning" in guide.text()
    assert "Tokens cannot be generated: token salt" in guide.text()  # as the status bar says
    assert "ML_DEPLOYMENT_TOKEN_SALT" in guide.text()
    guide.close()


def test_help_token_salt_with_the_salt_fine_says_so_without_a_warning(qtbot, window):
    [action] = [a for a in window.menuBar().actions() if a.text() == "&Help"]
    [salt] = [a for a in action.menu().actions() if a.text() == "Token &salt…"]
    salt.trigger()
    box = message_box(qtbot)
    assert box.icon() == QMessageBox.Icon.Information
    assert box.text() == "The token salt is set: tokens can be generated."
    said = f"{box.text()} {box.informativeText()}"
    assert "restart" not in said  # nothing to do, so no instructions to do it
    assert "secrets.token_urlsafe" not in said
    click(qtbot, button(box, "OK"))


def test_the_status_bar_salt_indicator_is_a_button_that_says_what_it_does(
    qtbot, make_window, monkeypatch
):
    monkeypatch.setenv(config.SALT_ENV, "too short")
    window = make_window()
    status = salt_status(window)
    assert status is not None
    # Explains itself on hover and to a screen reader, and looks clickable.
    assert "at least 32 characters" in status.toolTip()
    assert "Click" in status.toolTip()
    assert "Help > Token salt…" in status.toolTip()
    assert status.accessibleDescription() == status.toolTip()
    assert status.cursor().shape() == Qt.CursorShape.PointingHandCursor
    # A click opens what Help > Token salt… opens.
    click(qtbot, status)
    box = message_box(qtbot)
    from_status = (box.icon(), box.text(), box.informativeText())
    click(qtbot, button(box, "OK"))
    window.explain_salt()
    box = message_box(qtbot)
    assert (box.icon(), box.text(), box.informativeText()) == from_status
    assert box.icon() == QMessageBox.Icon.Warning
    click(qtbot, button(box, "OK"))
