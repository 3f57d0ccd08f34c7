"""A project's sidebar: Settings, and under it Deployment Tokens, Token policy and
Environments; then Audit log, Notifications, Trusted deployers, Members and
Destinations. Each entry
opens the section of the project page it names."""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ui import resources
from ui.pages.environments import ENVIRONMENTS
from ui.pages.members import MEMBERS
from ui.pages.sections import AUDIT_LOG, DESTINATIONS, NOTIFICATIONS, TRUSTED_DEPLOYERS
from ui.pages.token_policy import TOKEN_POLICY
from ui.resources import QT_TRANSLATE_NOOP

# The sections of a project, by their English labels: what the panes are opened by
# (and tests find them by); shown, each is translated (section_label).
SETTINGS = QT_TRANSLATE_NOOP("ProjectSidebar", "Settings")
DEPLOYMENT_TOKENS = QT_TRANSLATE_NOOP("ProjectSidebar", "Deployment Tokens")
_SECTION_SOURCES = (
    QT_TRANSLATE_NOOP("ProjectSidebar", "Token policy"),
    QT_TRANSLATE_NOOP("ProjectSidebar", "Environments"),
    QT_TRANSLATE_NOOP("ProjectSidebar", "Audit log"),
    QT_TRANSLATE_NOOP("ProjectSidebar", "Notifications"),
    QT_TRANSLATE_NOOP("ProjectSidebar", "Trusted deployers"),
    QT_TRANSLATE_NOOP("ProjectSidebar", "Members"),
    QT_TRANSLATE_NOOP("ProjectSidebar", "Destinations"),
)
# The entries in their order; those under Settings are indented one level.
SECTIONS = (
    SETTINGS,
    DEPLOYMENT_TOKENS,
    TOKEN_POLICY,
    ENVIRONMENTS,
    AUDIT_LOG,
    NOTIFICATIONS,
    TRUSTED_DEPLOYERS,
    MEMBERS,
    DESTINATIONS,
)
_IN_SETTINGS = (DEPLOYMENT_TOKENS, TOKEN_POLICY, ENVIRONMENTS)

# How deep an entry sits, and how far each level is indented.
_LEVEL_ROLE = Qt.ItemDataRole.UserRole + 1
# Which section an entry opens (its English label).
_SECTION_ROLE = Qt.ItemDataRole.UserRole + 2
_INDENT = 16
_COMPACT_INDENT = 8

# Each entry's line icon (resources/icons): beside the label, or alone when compact.
_ICONS = {
    SETTINGS: "settings",
    DEPLOYMENT_TOKENS: "key",
    TOKEN_POLICY: "clock",
    ENVIRONMENTS: "server",
    AUDIT_LOG: "list",
    NOTIFICATIONS: "bell",
    TRUSTED_DEPLOYERS: "shield",
    MEMBERS: "check",
    # Tokens handed over to another place (no icon of its own yet).
    DESTINATIONS: "send",
}


def section_label(section: str) -> str:
    """A section's label (SETTINGS, DEPLOYMENT_TOKENS…) in the user's language."""
    return QCoreApplication.translate("ProjectSidebar", section)


class _IndentingDelegate(QStyledItemDelegate):
    """Indents the entries under Settings; draws icons alone while the sidebar is compact
    (the entries keep their labels for the keyboard, screen readers and tooltips)."""

    compact = False

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        level = index.data(_LEVEL_ROLE)
        if isinstance(level, int) and level > 0:
            option.rect.adjust(level * (_COMPACT_INDENT if self.compact else _INDENT), 0, 0, 0)
        if self.compact:
            option.text = ""


class ProjectSidebar(QListWidget):
    """A flat list drawn as a tree: the entries under Settings are indented, and every
    entry is a plain row that keyboard, screen reader and tests reach alike."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectSidebar")
        self.setAccessibleName(self.tr("Project sidebar"))
        self.setStyleSheet("::item { padding: 5px 4px; }")
        self.setIconSize(QSize(20, 20))
        # Its width is set to fit the entries (see set_compact): never a scroll bar.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._delegate = _IndentingDelegate(self)
        self.setItemDelegate(self._delegate)
        self._items: dict[str, QListWidgetItem] = {}
        for section in SECTIONS:
            item = QListWidgetItem(section_label(section))
            item.setData(_SECTION_ROLE, section)
            if section in _IN_SETTINGS:
                item.setData(_LEVEL_ROLE, 1)
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, self.tr("in Settings"))
            item.setToolTip(item.text())
            self.addItem(item)
            self._items[section] = item
        self.update_icons()
        self.set_compact(False)

    def item_of(self, section: str) -> QListWidgetItem:
        """The entry that opens ``section`` (one of SECTIONS)."""
        return self._items[section]

    @staticmethod
    def section_of(item: QListWidgetItem) -> str:
        """The section ``item`` opens, by its English label."""
        return str(item.data(_SECTION_ROLE))

    def set_compact(self, compact: bool) -> None:
        """Icons only (a narrow window: the panes get the width), or icons and labels."""
        self._delegate.compact = compact
        indent = _COMPACT_INDENT if compact else _INDENT
        widest = max(
            self.fontMetrics().horizontalAdvance(self.item(row).text())
            for row in range(self.count())
        )
        labels = 0 if compact else widest + 8
        # The frame, the items' padding and the deepest entry's indent, then the icon.
        self.setFixedWidth(2 * self.frameWidth() + 16 + indent + 20 + labels)
        self.viewport().update()

    def is_compact(self) -> bool:
        return self._delegate.compact

    def update_icons(self) -> None:
        """Draw the entries' icons in the palette's text colour (dark mode redraws them)."""
        for item in self._items.values():
            item.setIcon(resources.icon(_ICONS[self.section_of(item)]))
