"""The main window's global sidebar: Projects, its label beside its icon, or the icon
alone in a narrow window.

Part of the frame the window paints first, so it avoids what that paint does not need:
its icon and the settings that touch the Qt namespace wait for ``finish``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ui import resources
from ui.resources import QT_TRANSLATE_NOOP

# The English text is also what tests find the entry by; shown, it is translated.
PROJECTS = QT_TRANSLATE_NOOP("GlobalSidebar", "Projects")


class _SidebarDelegate(QStyledItemDelegate):
    """Draws the sidebar's entries without their label while the sidebar is compact."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: object) -> None:
        super().initStyleOption(option, index)  # type: ignore[arg-type]
        sidebar = self.parent()
        if isinstance(sidebar, GlobalSidebar) and sidebar.compact:
            option.text = ""


class GlobalSidebar(QListWidget):
    """The sidebar, its one entry Projects. ``projects_chosen`` when the user chooses it:
    a click, Enter, or the arrow keys. Taking focus makes Qt choose its first row when
    none is current; that is not the user choosing Projects, and must not leave their
    page."""

    projects_chosen = Signal()

    taking_focus = False
    compact = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("globalSidebar")
        self.setAccessibleName(self.tr("Global sidebar"))
        self.setIconSize(QSize(18, 18))
        self.setStyleSheet("::item { padding: 5px 4px; }")
        # Its icon is drawn in finish, after the first paint.
        projects = self.tr(PROJECTS)
        self._projects_item = QListWidgetItem(projects)
        self.addItem(self._projects_item)
        self.setItemDelegate(_SidebarDelegate(self))
        self._projects_item.setToolTip(projects)
        self.set_compact(False)
        # Click, Enter, or selection by any other means: each shows the Projects page.
        self.itemClicked.connect(self._chosen)
        self.itemActivated.connect(self._chosen)
        # Arrow keys choose too; but an item made current only because the list took
        # focus (Tab from a page: Qt makes the first row current) is not a choice.
        self.currentItemChanged.connect(self._moved)

    def finish(self) -> None:
        """What waits for the first paint: the icon, and a width that fits its entry
        (see set_compact), never a scroll bar; a label that does not fit (a larger
        font) is elided. Set here, after the first paint, which avoids the Qt namespace."""
        from PySide6.QtCore import Qt

        self.update_icon()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

    def update_icon(self) -> None:
        """Draw the icon in the palette's text colour (dark mode redraws it)."""
        self._projects_item.setIcon(resources.icon("projects"))

    def mark_projects_chosen(self, chosen: bool) -> None:
        """Mark Projects current (on the list) or nothing (on a project's page), without
        taking it for a user's choice (no signal)."""
        self.blockSignals(True)
        if chosen:
            self.setCurrentItem(self._projects_item)
        else:
            self.setCurrentRow(-1)
        self.blockSignals(False)

    def set_compact(self, compact: bool) -> None:
        """Icons only (a narrow window), or icons and labels."""
        self.compact = compact
        label = QCoreApplication.translate("GlobalSidebar", PROJECTS)
        labels = 0 if compact else self.fontMetrics().horizontalAdvance(label) + 20
        self.setFixedWidth(self.iconSize().width() + 26 + labels)
        # The items keep the width they were laid out with (the label's) until laid out again.
        self.doItemsLayout()
        self.viewport().update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.taking_focus = True
        try:
            super().focusInEvent(event)
        finally:
            self.taking_focus = False

    def _chosen(self, item: QListWidgetItem | None, *_: object) -> None:
        if item is self._projects_item:
            self.projects_chosen.emit()

    def _moved(self, item: QListWidgetItem | None, *_: object) -> None:
        if not self.taking_focus:
            self._chosen(item)
