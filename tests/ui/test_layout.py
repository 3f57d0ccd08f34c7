"""Layout as a release manager sees it: long names, small screens, restored windows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.support.ui import click_list_item, open_tokens_pane
from ui.main_window import GEOMETRY_KEY
from ui.models.tokens import Column


def test_a_restored_window_fits_the_screen_it_opens_on(make_window, settings):
    big = make_window()
    big.resize(2120, 1360)  # saved at 2x scale on another screen
    settings.setValue(GEOMETRY_KEY, big.saveGeometry())
    big.close()
    reopened = make_window()
    available = reopened.screen().availableGeometry()
    assert reopened.frameGeometry().width() <= available.width()
    assert reopened.frameGeometry().height() <= available.height()
    assert available.contains(reopened.frameGeometry().topLeft())


def test_a_long_project_name_is_cut_in_the_middle_and_never_widens_the_window(
    qtbot, make_window, service
):
    name = "payments platform " * 5 + "production"  # 100 characters
    service.add_project(name.strip())
    window = make_window()
    window.resize(800, 500)
    width = window.width()
    open_tokens_pane(qtbot, window, name.strip())
    qtbot.wait(50)
    assert window.width() == width
    heading = window.project_page().heading()
    shown = heading.shown_text()
    assert shown != heading.text()
    assert shown.startswith("payments")
    assert shown.endswith("production")
    assert "\N{HORIZONTAL ELLIPSIS}" in shown
    assert heading.toolTip() == name.strip()


def test_long_token_names_keep_their_distinguishing_end(qtbot, window, service, web_project):
    open_tokens_pane(qtbot, window, "web")
    table = window.project_page().tokens_pane().table()
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle


def test_at_800_by_500_the_trash_icon_is_in_view_without_scrolling(
    qtbot, make_window, service, web_project
):
    for index in range(3):
        service.generate("web", f"GitLab CI deploy job for tenant {index:03}")
    window = make_window()
    window.resize(800, 500)
    open_tokens_pane(qtbot, window, "web")
    assert window.width() == 800
    table = window.project_page().tokens_pane().table()
    qtbot.waitUntil(lambda: table.action_button(0) is not None)
    trash = table.action_button(0)
    qtbot.waitUntil(trash.isVisible)
    assert not table.horizontalScrollBar().isVisible()
    where = trash.mapTo(table.viewport(), trash.rect().topLeft())
    assert table.viewport().rect().contains(where)
    assert table.viewport().rect().contains(where + trash.rect().bottomRight())
    # Room is made by squeezing the columns, never by hiding some: the same columns show
    # at any width (only the two that are off until the user turns them on are hidden).
    off = [Column.EXPIRES_ON, Column.ENVIRONMENTS]
    assert table.hidden_columns() == off
    window.resize(1400, 800)
    qtbot.waitUntil(lambda: table.columnWidth(Column.NAME) > 300)
    assert table.hidden_columns() == off


def test_a_narrow_window_keeps_the_sidebars_icon_and_gives_the_content_the_width(
    qtbot, make_window, web_project
):
    window = make_window()
    window.resize(1120, 620)
    wide = window.sidebar().width()
    window.resize(800, 500)
    qtbot.waitUntil(lambda: window.sidebar().width() < 60)
    assert wide - window.sidebar().width() > 60
    # Still "Projects" to the keyboard, to screen readers and to the pointer.
    [projects] = window.sidebar().findItems("Projects", Qt.MatchFlag.MatchExactly)
    assert projects.toolTip() == "Projects"
    click_list_item(qtbot, window.sidebar(), "Projects")
    assert window.current_page() is window.projects_page()
    window.resize(1120, 620)
    qtbot.waitUntil(lambda: window.sidebar().width() == wide)


def test_a_narrow_window_shows_the_project_sidebar_as_icons_that_keep_their_labels(
    qtbot, make_window, service, web_project
):
    window = make_window()
    window.resize(1120, 620)
    open_tokens_pane(qtbot, window, "web")
    page = window.project_page()
    wide = page.sidebar().width()
    assert not page.is_compact()
    window.resize(800, 500)
    qtbot.waitUntil(page.is_compact)
    assert wide - page.sidebar().width() > 100  # the width went to the tokens table
    assert not page.sidebar().horizontalScrollBar().isVisible()
    # Every entry keeps its label for the keyboard, screen readers and the pointer.
    labels = [page.sidebar().item(row).text() for row in range(page.sidebar().count())]
    assert labels == [
        "Settings",
        "Deployment Tokens",
        "Token policy",
        "Environments",
        "Audit log",
        "Notifications",
        "Trusted deployers",
        "Members",
        "Destinations",
    ]
    for row in range(page.sidebar().count()):
        item = page.sidebar().item(row)
        assert item.toolTip() == item.text()
        assert not item.icon().isNull()
    # The spec's path still works with the icons alone.
    click_list_item(qtbot, page.sidebar(), "Settings")
    assert page.current_pane() is page.settings_pane()
    click_list_item(qtbot, page.sidebar(), "Deployment Tokens")
    assert page.current_pane() is page.tokens_pane()
    window.resize(1120, 620)
    qtbot.waitUntil(lambda: not page.is_compact())
    assert page.sidebar().width() == wide


def test_the_sidebars_never_scroll_sideways_after_the_window_narrows(
    qtbot, make_window, web_project
):
    window = make_window()
    window.resize(1120, 620)
    open_tokens_pane(qtbot, window, "web")
    page = window.project_page()
    window.resize(800, 500)
    qtbot.waitUntil(page.is_compact)
    qtbot.waitUntil(lambda: window.sidebar().width() < 60)
    for sidebar in (window.sidebar(), page.sidebar()):
        bar = sidebar.horizontalScrollBar()
        # No bar, and nothing to scroll to either: the icons cannot slide out of sight.
        qtbot.waitUntil(lambda bar=bar: not bar.isVisible() and bar.maximum() == 0)
