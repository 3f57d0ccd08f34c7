"""The main window's global sidebar: Projects, chosen by a click, Enter or the arrow keys
but not by the sidebar taking the focus; compact, the icon alone."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from ui.global_sidebar import GlobalSidebar


def shown_label(sidebar: GlobalSidebar) -> str:
    """The text the sidebar's delegate draws for its entry."""
    option = QStyleOptionViewItem()
    index: QModelIndex = sidebar.model().index(0, 0)
    sidebar.itemDelegate().initStyleOption(option, index)
    return option.text


def test_projects_is_named_for_every_reader(qtbot):
    sidebar = GlobalSidebar()
    qtbot.addWidget(sidebar)
    assert sidebar.objectName() == "globalSidebar"
    assert sidebar.accessibleName() == "Global sidebar"
    [item] = [sidebar.item(row) for row in range(sidebar.count())]
    assert (item.text(), item.toolTip()) == ("Projects", "Projects")
    assert item.icon().isNull()  # drawn after the window's first paint
    sidebar.finish()
    assert not item.icon().isNull()
    assert sidebar.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_compact_it_draws_the_icon_alone_and_keeps_the_label_for_the_keyboard(qtbot):
    sidebar = GlobalSidebar()
    qtbot.addWidget(sidebar)
    wide = sidebar.width()
    assert shown_label(sidebar) == "Projects"
    sidebar.set_compact(True)
    assert sidebar.width() < wide
    assert shown_label(sidebar) == ""
    assert sidebar.item(0).text() == "Projects"
    sidebar.set_compact(False)
    assert sidebar.width() == wide


def test_a_click_or_enter_chooses_projects_but_marking_it_does_not(qtbot):
    sidebar = GlobalSidebar()
    qtbot.addWidget(sidebar)
    chosen: list[bool] = []
    sidebar.projects_chosen.connect(lambda: chosen.append(True))
    sidebar.mark_projects_chosen(True)
    assert sidebar.currentItem() is sidebar.item(0)
    sidebar.mark_projects_chosen(False)
    assert sidebar.currentItem() is None
    assert chosen == []
    sidebar.itemClicked.emit(sidebar.item(0))
    sidebar.itemActivated.emit(sidebar.item(0))
    assert chosen == [True, True]


def test_taking_the_focus_is_no_choice_but_the_arrow_keys_are(qtbot):
    sidebar = GlobalSidebar()
    qtbot.addWidget(sidebar)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    chosen: list[bool] = []
    sidebar.projects_chosen.connect(lambda: chosen.append(True))
    sidebar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(sidebar.hasFocus)
    # Qt may make the first row current as the list takes the focus: that is no choice.
    assert chosen == []
    sidebar.mark_projects_chosen(False)
    qtbot.keyClick(sidebar, Qt.Key.Key_Down)
    assert chosen == [True]
