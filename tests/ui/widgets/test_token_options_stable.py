"""The choices above Generate: choosing does not move Generate, the environments menu
stays open while ticking, and each token starts from the project's defaults."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.service import TokenService
from tests.support.ui import button, click, copy_and_close, open_tokens_pane

pytestmark = pytest.mark.usefixtures("no_clipboard_left")


@pytest.fixture
def environments(service: TokenService, web_project: str) -> list[str]:
    names = ["eu-central-disaster-recovery", "production", "staging"]  # as listed
    for name in names:
        service.add_environment(web_project, name)
    return names


@pytest.mark.parametrize("size", [(800, 500), (1280, 800)])
def test_generate_stays_put_whatever_is_chosen(qtbot, make_window, environments, size):
    window = make_window()
    window.resize(*size)
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    options = pane.options()
    generate = pane.generate_button()

    def where() -> QPoint:
        QApplication.processEvents()
        return generate.mapTo(window, QPoint(0, 0))

    before = where()
    expires = options.expires_choice()
    expires.setCurrentIndex(expires.findText("A date…"))
    assert options.expiry_date_field().isVisible()
    assert where() == before
    for action in options.environment_actions()[1:]:  # every one: the longest text
        action.trigger()
    assert options.environments() == environments
    assert where() == before
    expires.setCurrentIndex(0)
    entry(options, "All environments").trigger()
    assert where() == before


def entry(options, text: str):
    [action] = [a for a in options.environment_actions() if a.text() == text]
    return action


# A real popup, shown: the offscreen platform says it cannot raise it or grab the keyboard.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_the_environments_menu_stays_open_while_ticking(qtbot, window, environments):
    open_tokens_pane(qtbot, window, "web")
    options = window.project_page().tokens_pane().options()
    menu = options.environments_menu()
    menu.popup(options.environments_button().mapToGlobal(QPoint(0, 0)))
    qtbot.waitUntil(menu.isVisible)
    everywhere = entry(options, "All environments")
    production, staging = entry(options, "production"), entry(options, "staging")
    for action in (production, staging):
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
        assert menu.isVisible()  # still open for the next tick
    assert options.environments() == ["production", "staging"]
    assert not everywhere.isChecked()
    # Space ticks the highlighted entry from the keyboard, also without closing.
    menu.setActiveAction(staging)
    qtbot.keyClick(menu, Qt.Key.Key_Space)
    assert menu.isVisible()
    assert options.environments() == ["production"]
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert options.environments_button().text() == "production"


def test_each_token_starts_from_the_projects_defaults(
    qtbot, window, service: TokenService, environments
):
    open_tokens_pane(qtbot, window, "web")
    options = window.project_page().tokens_pane().options()
    expires = options.expires_choice()
    default = expires.currentText()
    assert default == "90 days (default)"
    expires.setCurrentIndex(expires.findText("7 days"))
    entry(options, "production").trigger()  # production only
    click(qtbot, button(window, "Generate deployment token"))
    copy_and_close(qtbot)
    [token] = service.list_tokens("web")
    assert list(token.environments) == ["production"]
    assert token.expires_at - token.created_at == timedelta(days=7)
    # The next token is not silently limited to production for 7 days: the choices are
    # back to the defaults, and say so.
    assert expires.currentText() == default
    assert options.environments() == []
    assert options.environments_button().text() == "All environments"
    assert not options.expiry_date_field().isVisible()
