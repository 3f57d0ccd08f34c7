"""A project's sidebar: its sections in order, those under Settings indented and said to
be there, and a compact form that keeps only the icons on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.pages.project_sidebar import DEPLOYMENT_TOKENS, SECTIONS, SETTINGS, ProjectSidebar


def test_the_sections_are_listed_in_order_each_named_for_every_reader(qtbot):
    sidebar = ProjectSidebar()
    qtbot.addWidget(sidebar)
    assert sidebar.objectName() == "projectSidebar"
    assert sidebar.accessibleName() == "Project sidebar"
    items = [sidebar.item(row) for row in range(sidebar.count())]
    assert [item.text() for item in items] == [
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
    assert [sidebar.section_of(item) for item in items] == list(SECTIONS)
    under_settings = [
        item.text()
        for item in items
        if item.data(Qt.ItemDataRole.AccessibleDescriptionRole) == "in Settings"
    ]
    assert under_settings == ["Deployment Tokens", "Token policy", "Environments"]
    for item in items:
        assert item.toolTip() == item.text()
        assert not item.icon().isNull()
    assert sidebar.item_of(DEPLOYMENT_TOKENS) is items[1]


def test_compact_it_is_narrower_and_keeps_its_labels_for_the_keyboard(qtbot):
    sidebar = ProjectSidebar()
    qtbot.addWidget(sidebar)
    wide = sidebar.width()
    sidebar.set_compact(True)
    assert sidebar.is_compact()
    assert sidebar.width() < wide
    assert sidebar.item_of(SETTINGS).text() == "Settings"
    sidebar.set_compact(False)
    assert not sidebar.is_compact()
    assert sidebar.width() == wide
