"""The Projects page: listing, filtering, and its menu of actions on a project."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from tests.support.ui import button, click, click_list_item, message_box, sidebar
from ui.dialogs.new_project import RenameProjectDialog
from ui.widgets.hint import contrast_ratio


def test_the_filter_narrows_the_list_ignoring_case(qtbot, window, service):
    for name in ("payments-api", "Payments-Web", "search"):
        service.add_project(name)
    click_list_item(qtbot, sidebar(window), "Projects")
    page = window.projects_page()
    qtbot.keyClicks(page.filter_box(), "PAYMENTS")
    shown = [page.table().model().index(row, 0).data() for row in range(2)]
    assert page.table().model().rowCount() == 2
    (clear,) = [b for b in page.filter_box().findChildren(QToolButton) if b.isVisible()]
    assert clear.accessibleName() == "Clear the filter"
    assert shown == ["payments-api", "Payments-Web"]
    page.filter_box().setText("nothing like it")
    assert page.empty_state().isVisible()
    assert "No project matches" in page.empty_state().text()
    page.filter_box().clear()
    assert page.table().model().rowCount() == 3


def test_enter_in_the_filter_opens_the_first_match(qtbot, window, service):
    service.add_project("search")
    click_list_item(qtbot, sidebar(window), "Projects")
    page = window.projects_page()
    qtbot.keyClicks(page.filter_box(), "sea")
    qtbot.keyClick(page.filter_box(), Qt.Key.Key_Return)
    assert window.current_page() is window.project_page()
    assert window.project_page().project.name == "search"


def test_an_empty_database_says_how_to_start(qtbot, window):
    page = window.projects_page()
    assert page.empty_state().isVisible()
    assert "New project" in page.empty_state().text()


def test_projects_added_elsewhere_appear_when_projects_is_clicked(qtbot, window, service):
    service.add_project("late")
    click_list_item(qtbot, sidebar(window), "Projects")
    assert [p.name for p in window.projects_page().projects()] == ["late"]


def _select(qtbot, window, name):
    click_list_item(qtbot, sidebar(window), "Projects")
    page = window.projects_page()
    page.table().setFocus()
    page.table().selectRow(page.project_row(name))
    qtbot.waitUntil(lambda: page.current_project() is not None)
    return page


def test_the_context_menu_offers_open_rename_and_delete(qtbot, window, service):
    service.add_project("web")
    page = _select(qtbot, window, "web")
    menu = page.context_menu(page.current_project())
    labels = [(a.text(), a.shortcut().toString()) for a in menu.actions()]
    assert labels == [("Open", ""), ("Rename project…", "F2"), ("Delete project…", "Del")]
    menu.close()


def test_f2_on_a_project_renames_it_and_the_saved_project_follows(qtbot, window, service, settings):
    from ui.main_window import LAST_PROJECT_KEY

    service.add_project("web")
    settings.setValue(LAST_PROJECT_KEY, "web")
    page = _select(qtbot, window, "web")
    qtbot.keyClick(page.table(), Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RenameProjectDialog))
    dialog = QApplication.activeModalWidget()
    dialog.name_field().setText("storefront")
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog.name_field(), Qt.Key.Key_Return)
    assert [p.name for p in page.projects()] == ["storefront"]
    assert page.current_project().name == "storefront"  # still selected, under its new name
    assert settings.value(LAST_PROJECT_KEY) == "storefront"
    assert window.statusBar().currentMessage() == "Renamed project “web” to “storefront”."


def test_delete_on_a_project_asks_then_deletes_it_with_its_tokens(qtbot, window, service, settings):
    from ui.main_window import LAST_PROJECT_KEY

    service.add_project("web")
    service.add_project("api")
    _, plaintext = service.generate("web")
    settings.setValue(LAST_PROJECT_KEY, "web")
    page = _select(qtbot, window, "web")
    qtbot.keyClick(page.table(), Qt.Key.Key_Delete)
    box = message_box(qtbot)
    assert box.informativeText().startswith("Its 1 live deployment token is revoked at once")
    click(qtbot, button(box, "Delete project"))
    qtbot.waitUntil(lambda: [p.name for p in page.projects()] == ["api"])
    assert service.verify(plaintext) is None
    assert settings.value(LAST_PROJECT_KEY) is None
    assert window.statusBar().currentMessage() == "Deleted project “web”; its 1 token is revoked."


def test_a_right_click_shows_the_menu_and_does_not_open_the_project(
    qtbot, window, service, monkeypatch
):
    service.add_project("web")
    click_list_item(qtbot, sidebar(window), "Projects")
    page = window.projects_page()
    table = page.table()
    # Popped up, not shown: the offscreen platform warns about a popup's keyboard grab.
    shown = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, *where: shown.append(menu))
    where = table.visualRect(table.model().index(0, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.RightButton, pos=where)
    # What the platform sends on a right click (QTest's click alone does not).
    QApplication.sendEvent(
        table.viewport(),
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, where, table.viewport().mapToGlobal(where)
        ),
    )
    [menu] = shown
    assert [a.text() for a in menu.actions()] == ["Open", "Rename project…", "Delete project…"]
    assert window.current_page() is page  # a right click never opens the project
    assert page.current_project().name == "web"
    menu.actions()[0].trigger()
    assert window.current_page() is window.project_page()
    menu.deleteLater()


def test_the_table_shows_which_row_has_the_keyboard_focus(qtbot, window, service):
    for name in ("api", "web", "zeta"):
        service.add_project(name)
    click_list_item(qtbot, sidebar(window), "Projects")
    page = window.projects_page()
    table = page.table()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.selectRow(1)
    focused = table.viewport().grab().toImage()
    page.filter_box().setFocus()
    qtbot.waitUntil(page.filter_box().hasFocus)
    unfocused = table.viewport().grab().toImage()

    def row(number: int) -> QRect:
        width = table.viewport().width()
        return QRect(0, table.rowViewportPosition(number), width, table.rowHeight(number))

    # WCAG 2.2's focus appearance: pixels that change between the two states with a
    # contrast of 3:1 or more, at least as many as a 2-pixel line across the row. (A
    # selection a shade darker, Fusion's own sign of focus, is nowhere near.)
    current = row(1)
    changed = sum(
        contrast_ratio(QColor(focused.pixel(x, y)), QColor(unfocused.pixel(x, y))) >= 3
        for y in range(current.top(), current.bottom() + 1)
        for x in range(current.left(), current.right() + 1)
    )
    cells = sum(table.columnWidth(column) for column in range(table.model().columnCount()))
    assert changed >= 2 * cells
    # The other rows look the same either way.
    assert focused.copy(row(0)) == unfocused.copy(row(0))
    assert focused.copy(row(2)) == unfocused.copy(row(2))


def test_projects_sort_by_name_as_a_reader_expects(qtbot, window, service):
    for name in ("web", "Ünïcödé", "api", "proj10", "Proj9", "umbrella"):
        service.add_project(name)
    click_list_item(qtbot, sidebar(window), "Projects")
    table = window.projects_page().table()
    qtbot.waitUntil(lambda: table.model().rowCount() == 6)

    def shown() -> list[str]:
        return [table.model().index(row, 0).data() for row in range(table.model().rowCount())]

    # Accents beside their letter, case ignored, numbers by value.
    assert shown() == ["api", "Proj9", "proj10", "umbrella", "Ünïcödé", "web"]
    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert shown() == ["web", "Ünïcödé", "umbrella", "proj10", "Proj9", "api"]
