"""A project's page: its sidebar (Settings, and under it Deployment Tokens, Token policy
and Environments; then Audit log and Members) and the pane chosen there, under the
project's heading and this role's level on it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeploymentTokensError
from app.records import ProjectRecord
from ui import access, resources
from ui.access import Permissions, level_meaning, level_name
from ui.background import WriteRunner
from ui.clipboard import SecretClipboard
from ui.dialogs import messages, project_actions
from ui.pages.audit_log import AUDIT_LOG, AuditPane
from ui.pages.environments import ENVIRONMENTS, EnvironmentsPane
from ui.pages.members import MEMBERS, MembersPane
from ui.pages.token_policy import TOKEN_POLICY, TokenPolicyPane
from ui.pages.tokens import TokensPane
from ui.relative_time import exact
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import counted
from ui.widgets.buttons import ActionButton
from ui.widgets.heading import PROJECT_HEADING_SCALE, ElidedHeading, heading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

# The sections of a project, by their English labels: what the panes are opened by
# (and tests find them by); shown, each is translated (section_label).
SETTINGS = QT_TRANSLATE_NOOP("ProjectPage", "Settings")
DEPLOYMENT_TOKENS = QT_TRANSLATE_NOOP("ProjectPage", "Deployment Tokens")
_SECTION_SOURCES = (
    QT_TRANSLATE_NOOP("ProjectPage", "Token policy"),
    QT_TRANSLATE_NOOP("ProjectPage", "Environments"),
    QT_TRANSLATE_NOOP("ProjectPage", "Audit log"),
    QT_TRANSLATE_NOOP("ProjectPage", "Members"),
)


# How deep an entry of the project sidebar sits, and how far each level is indented.
_LEVEL_ROLE = Qt.ItemDataRole.UserRole + 1
# Which section an entry of the project sidebar opens (its English label).
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
    MEMBERS: "check",
}


def section_label(section: str) -> str:
    """A section's label (SETTINGS, DEPLOYMENT_TOKENS…) in the user's language."""
    return QCoreApplication.translate("ProjectPage", section)


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


def _section_item(section: str) -> QListWidgetItem:
    """A project sidebar entry: the section's label, and the section it opens."""
    item = QListWidgetItem(section_label(section))
    item.setData(_SECTION_ROLE, section)
    return item


class SettingsPane(QWidget):
    """The project's settings at a glance, each section one click (or Enter) away."""

    # The section the user chose here, by its English sidebar label (SETTINGS…).
    section_chosen = Signal(str)
    rename_requested = Signal()
    delete_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPane")
        title = heading(section_label(SETTINGS), "paneTitle")
        self._name = QLabel()
        self._name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long name wraps rather than widening the window (names have no spaces to
        # break at sometimes: anywhere will do).
        self._name.setWordWrap(True)
        self._name.setTextFormat(Qt.TextFormat.PlainText)
        self._created = QLabel()
        form = QFormLayout()
        form.addRow(self.tr("Project:"), self._name)
        form.addRow(self.tr("Created:"), self._created)
        self._rename_button = ActionButton(project_actions.rename_label())
        self._rename_button.setObjectName("renameProjectButton")
        self._rename_button.clicked.connect(self.rename_requested)
        self._delete_button = ActionButton(project_actions.delete_label())
        self._delete_button.setObjectName("deleteProjectButton")
        self._delete_button.clicked.connect(self.delete_requested)
        actions = QHBoxLayout()
        actions.addWidget(self._rename_button)
        actions.addWidget(self._delete_button)
        actions.addStretch(1)
        form.addRow("", actions)
        self._section_buttons: dict[str, ActionButton] = {}
        sections = QFormLayout()
        for section, what in (
            (
                DEPLOYMENT_TOKENS,
                self.tr("generate, rotate and delete the tokens pipelines deploy with"),
            ),
            (TOKEN_POLICY, self.tr("how long new tokens live, at most and by default")),
            (
                ENVIRONMENTS,
                self.tr("where this project deploys, and which tokens may deploy where"),
            ),
            (AUDIT_LOG, self.tr("who generated, rotated and revoked which token, and when")),
            (MEMBERS, self.tr("who may do what in this project: their levels")),
        ):
            button = ActionButton(section_label(section))
            button.setObjectName(f"section{section.title().replace(' ', '')}")
            button.clicked.connect(lambda _=False, chosen=section: self.section_chosen.emit(chosen))
            description = QLabel(what)
            description.setWordWrap(True)
            sections.addRow(button, description)
            self._section_buttons[section] = button
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addLayout(sections)
        layout.addStretch(1)

    def set_permissions(self, permissions: Permissions) -> None:
        """Renaming and deleting the project need admin: below it, disabled, saying so."""
        refusal = permissions.refusal(access.ADMIN)
        for button in (self._rename_button, self._delete_button):
            access.show_refusal(button, refusal)

    def section_button(self, section: str) -> ActionButton:
        return self._section_buttons[section]

    def rename_button(self) -> ActionButton:
        return self._rename_button

    def delete_button(self) -> ActionButton:
        return self._delete_button

    def show_project(self, project: ProjectRecord, token_count: int | None) -> None:
        self._name.setText(project.name)
        self._created.setText(exact(project.created_at))
        count = (
            self.tr("count unknown")
            if token_count is None
            else counted(
                self.tr("%n live token(s)", "", token_count),
                token_count,
            )
        )
        label = section_label(DEPLOYMENT_TOKENS)
        self._section_buttons[DEPLOYMENT_TOKENS].setText(f"{label} ({count})")


class ProjectPage(QWidget):
    """One project: the project sidebar on the left, the chosen pane beside it."""

    status_message = Signal(str)
    # The open project under its new name.
    project_renamed = Signal(object)
    # The name of the project just deleted: the window goes back to the list.
    project_deleted = Signal(str)

    def __init__(
        self, service: TokenService, clipboard: SecretClipboard, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("projectPage")
        self._service = service
        self._project: ProjectRecord | None = None
        # The project each lazy pane holds: loaded when the pane is first shown.
        self._tokens_loaded_for: str | None = None
        self._audit_loaded_for: str | None = None
        # This role's level on the open project: read when a project opens and when
        # the change counter moves (refresh), never per paint.
        self._permissions: Permissions = access.everything(None)
        self._permissions_for: str | None = None

        self._heading = heading("", "projectHeading", PROJECT_HEADING_SCALE)
        # Beside the heading: "You are manager" (PostgreSQL only: on SQLite the one
        # user is admin of everything, and saying so on every project would be noise).
        self._level = QLabel()
        self._level.setObjectName("projectLevel")
        self._level.hide()
        self._sidebar = self._project_sidebar()
        self._panes = self._build_panes(service, clipboard)
        # Renaming and deleting the project run off the GUI thread; their buttons wait.
        self._writes = WriteRunner(
            service,
            self,
            controls=[self._settings_pane.rename_button(), self._settings_pane.delete_button()],
        )

        body = QHBoxLayout()
        body.addWidget(self._sidebar)
        body.addWidget(self._panes, 1)
        top = QHBoxLayout()
        top.addWidget(self._heading, 1)
        top.addWidget(self._level)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)

    def _project_sidebar(self) -> QListWidget:
        """A flat list drawn as a tree: Deployment Tokens is indented under Settings, and
        every entry is a plain row that keyboard, screen reader and tests reach alike."""
        sidebar = QListWidget()
        sidebar.setObjectName("projectSidebar")
        sidebar.setAccessibleName(self.tr("Project sidebar"))
        sidebar.setStyleSheet("::item { padding: 5px 4px; }")
        sidebar.setIconSize(QSize(20, 20))
        # Its width is set to fit the entries (see set_compact): never a scroll bar.
        sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._delegate = _IndentingDelegate(sidebar)
        sidebar.setItemDelegate(self._delegate)
        self._settings_item = _section_item(SETTINGS)
        self._tokens_item = _section_item(DEPLOYMENT_TOKENS)
        self._policy_item = _section_item(TOKEN_POLICY)
        self._environments_item = _section_item(ENVIRONMENTS)
        for item in (self._tokens_item, self._policy_item, self._environments_item):
            item.setData(_LEVEL_ROLE, 1)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, self.tr("in Settings"))
        self._audit_item = _section_item(AUDIT_LOG)
        self._members_item = _section_item(MEMBERS)
        for item in (
            self._settings_item,
            self._tokens_item,
            self._policy_item,
            self._environments_item,
            self._audit_item,
            self._members_item,
        ):
            item.setToolTip(item.text())
            sidebar.addItem(item)
        self._sidebar = sidebar
        self._set_icons()
        self.set_compact(False)
        sidebar.currentItemChanged.connect(self._show_pane)
        sidebar.itemClicked.connect(self._show_pane)
        return sidebar

    def _build_panes(self, service: TokenService, clipboard: SecretClipboard) -> QStackedWidget:
        self._settings_pane = SettingsPane()
        self._settings_pane.section_chosen.connect(self.show_section)
        self._settings_pane.rename_requested.connect(self.rename_project)
        self._settings_pane.delete_requested.connect(self.delete_project)
        self._tokens_pane = TokensPane(service, clipboard)
        self._tokens_pane.status_message.connect(self.status_message)
        self._policy_pane = TokenPolicyPane(service)
        self._environments_pane = EnvironmentsPane(service)
        for settings_pane in (self._policy_pane, self._environments_pane):
            settings_pane.status_message.connect(self.status_message)
            # Generate's choices follow the project's settings.
            settings_pane.changed.connect(self._settings_changed)
        panes = QStackedWidget()
        self._audit_pane = AuditPane(service)
        self._members_pane = MembersPane(service)
        self._members_pane.status_message.connect(self.status_message)
        self._members_pane.changed.connect(self._members_changed)
        for pane in (
            self._settings_pane,
            self._tokens_pane,
            self._policy_pane,
            self._environments_pane,
            self._audit_pane,
            self._members_pane,
        ):
            panes.addWidget(pane)
        return panes

    @property
    def project(self) -> ProjectRecord | None:
        return self._project

    def set_compact(self, compact: bool) -> None:
        """Icons only (a narrow window: the panes get the width), or icons and labels."""
        self._delegate.compact = compact
        indent = _COMPACT_INDENT if compact else _INDENT
        widest = max(
            self._sidebar.fontMetrics().horizontalAdvance(self._sidebar.item(row).text())
            for row in range(self._sidebar.count())
        )
        labels = 0 if compact else widest + 8
        # The frame, the items' padding and the deepest entry's indent, then the icon.
        self._sidebar.setFixedWidth(2 * self._sidebar.frameWidth() + 16 + indent + 20 + labels)
        self._sidebar.viewport().update()

    def is_compact(self) -> bool:
        return self._delegate.compact

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if resources.is_palette_change(event):
            self._set_icons()  # drawn in the palette's text colour: dark mode redraws them
            resources.repolish(self._sidebar)

    def _set_icons(self) -> None:
        for row in range(self._sidebar.count()):
            item = self._sidebar.item(row)
            item.setIcon(resources.icon(_ICONS[item.data(_SECTION_ROLE)]))

    def sidebar(self) -> QListWidget:
        return self._sidebar

    def heading(self) -> ElidedHeading:
        return self._heading

    def tokens_pane(self) -> TokensPane:
        return self._tokens_pane

    def settings_pane(self) -> SettingsPane:
        return self._settings_pane

    def audit_pane(self) -> AuditPane:
        return self._audit_pane

    def policy_pane(self) -> TokenPolicyPane:
        return self._policy_pane

    def environments_pane(self) -> EnvironmentsPane:
        return self._environments_pane

    def members_pane(self) -> MembersPane:
        return self._members_pane

    def permissions(self) -> Permissions:
        """This role's level on the open project, as last read."""
        return self._permissions

    def level_label(self) -> QLabel:
        return self._level

    def current_pane(self) -> QWidget:
        return cast("QWidget", self._panes.currentWidget())

    def show_project(self, project: ProjectRecord, pane: str = SETTINGS) -> None:
        """Open ``project`` on its Settings pane (or on ``pane``)."""
        self._project = project
        self._heading.setText(project.name)
        self._heading.setAccessibleName(self.tr("Project %1").replace("%1", project.name))
        self._tokens_loaded_for = None
        self._audit_loaded_for = None
        if self._permissions_for != project.name:
            self._read_permissions()
        items = {
            DEPLOYMENT_TOKENS: self._tokens_item,
            TOKEN_POLICY: self._policy_item,
            ENVIRONMENTS: self._environments_item,
            AUDIT_LOG: self._audit_item,
            MEMBERS: self._members_item,
        }
        item = items.get(pane, self._settings_item)
        self._sidebar.setCurrentItem(item)
        self._show_pane(item)

    def show_section(self, section: str) -> None:
        """Go to a section of the open project, as its sidebar entry would."""
        if self._project is not None:
            self.show_project(self._project, section)
            self.current_pane().setFocus()

    def follow(self, project: ProjectRecord) -> None:
        """Keep showing the open project, renamed by another client: the same pane,
        read again under the new name."""
        current = self._sidebar.currentItem()
        self.show_project(project, current.data(_SECTION_ROLE) if current is not None else SETTINGS)

    def forget_project(self) -> None:
        """The open project is gone (deleted elsewhere): hold nothing of it."""
        self._project = None
        self._tokens_loaded_for = None
        self._audit_loaded_for = None
        self._permissions_for = None

    def refresh(self, *, levels: bool = True) -> None:
        """Show what other clients changed in the visible pane and, with ``levels`` (the
        change counter moved), this role's level: another admin may have granted or
        revoked it. Raises the service's errors."""
        if levels and self._project is not None:
            self._read_permissions(raising=True)
        pane = self.current_pane()
        if pane is self._tokens_pane:
            self._tokens_pane.refresh()
        elif pane is self._audit_pane:
            self._audit_pane.refresh()
        elif pane is self._policy_pane:
            self._policy_pane.refresh()
        elif pane is self._environments_pane:
            self._environments_pane.refresh()
        elif pane is self._members_pane:
            self._members_pane.refresh()
        elif self._project is not None:
            self._settings_pane.show_project(
                self._project, self._service.count_tokens(self._project.name)
            )

    def _show_pane(self, item: QListWidgetItem | None, *_: object) -> None:
        if self._project is None or item is None:
            return
        if item is self._tokens_item:
            if self._tokens_loaded_for != self._project.name:
                self._tokens_loaded_for = self._project.name
                self._tokens_pane.show_project(self._project.name)
            self._panes.setCurrentWidget(self._tokens_pane)
        elif item is self._policy_item or item is self._environments_item:
            pane = self._policy_pane if item is self._policy_item else self._environments_pane
            try:
                pane.show_project(self._project.name)
            except DeploymentTokensError as error:
                action = (
                    self.tr("Could not read the token policy")
                    if item is self._policy_item
                    else self.tr("Could not read the environments")
                )
                messages.show_error(self, action, error)
            self._panes.setCurrentWidget(pane)
        elif item is self._members_item:
            try:
                self._members_pane.show_project(self._project.name, self._permissions)
            except DeploymentTokensError as error:
                messages.show_error(self, self.tr("Could not read the members"), error)
            self._panes.setCurrentWidget(self._members_pane)
        elif item is self._audit_item:
            if self._audit_loaded_for != self._project.name:
                self._audit_loaded_for = self._project.name
                self._audit_pane.show_project(self._project.name)
            else:
                # Events were added since (by this window too): show them.
                self._refresh_quietly(self._audit_pane.refresh)
            self._panes.setCurrentWidget(self._audit_pane)
        else:
            self._settings_pane.show_project(self._project, self._live_token_count())
            self._panes.setCurrentWidget(self._settings_pane)

    def is_busy(self) -> bool:
        """Whether the project is still being deleted."""
        return self._writes.is_busy()

    def rename_project(self) -> QWidget | None:
        """Ask for the open project's new name; the dialog renames it."""
        if self._project is None or self.is_busy() or self._refused(access.ADMIN):
            return None
        return project_actions.ask_to_rename(self, self._service, self._project, self._renamed)

    def _renamed(self, renamed: ProjectRecord) -> None:
        old = self._project.name if self._project is not None else renamed.name
        self.show_project(renamed, SETTINGS)
        self.project_renamed.emit(renamed)
        self.status_message.emit(project_actions.renamed_message(old, renamed))

    def delete_project(self) -> QWidget | None:
        """Ask, saying what happens to its tokens, then delete the open project."""
        project = self._project
        if project is None or self.is_busy() or self._refused(access.ADMIN):
            return None
        return project_actions.ask_to_delete(
            self,
            self._writes,
            self._service,
            project,
            self._live_token_count(),
            lambda message: self._deleted(project, message),
        )

    def _deleted(self, project: ProjectRecord, message: str) -> None:
        self.status_message.emit(message)
        # A slow delete: the user may have opened another project meanwhile.
        if self._project is not None and self._project.id == project.id:
            self.forget_project()
            self.project_deleted.emit(project.name)

    # This role's level on the project

    def _read_permissions(self, *, raising: bool = False) -> None:
        """Read this role's level on the open project and show what it allows. A read
        that fails keeps what was shown (the window's change check reports it), unless
        ``raising`` (refresh: the caller reports it)."""
        if self._project is None:
            return
        try:
            permissions = access.read_project(self._service, self._project.name)
        except DeploymentTokensError:
            if raising:
                raise
            return
        self._permissions_for = self._project.name
        if permissions != self._permissions:
            self._permissions = permissions
            self._show_permissions()

    def _show_permissions(self) -> None:
        permissions = self._permissions
        self._level.setVisible(permissions.controlled)
        if permissions.controlled:
            shown = (
                self.tr("You are %1").replace("%1", level_name(permissions.level))
                if permissions.level is not None
                else self.tr("You hold no level here")
            )
            self._level.setText(shown)
            self._level.setToolTip(level_meaning(permissions.level))
            self._level.setAccessibleName(shown)
            self._level.setAccessibleDescription(level_meaning(permissions.level))
        self._settings_pane.set_permissions(permissions)
        self._tokens_pane.set_permissions(permissions)
        self._policy_pane.set_permissions(permissions)
        self._environments_pane.set_permissions(permissions)
        self._members_pane.set_permissions(permissions)

    def _refused(self, needed: str) -> bool:
        """Say in the status bar why this role may not, if it may not."""
        refusal = self._permissions.refusal(needed)
        if refusal is not None:
            self.status_message.emit(refusal)
        return refusal is not None

    def _members_changed(self) -> None:
        """A level was granted or revoked here: this role's own may be the one."""
        self._refresh_quietly(lambda: self._read_permissions(raising=True))

    def _settings_changed(self) -> None:
        if self._tokens_loaded_for is not None:
            self._tokens_pane.reload_choices()

    @staticmethod
    def _refresh_quietly(refresh: Callable[[], None]) -> None:
        with contextlib.suppress(DeploymentTokensError):
            refresh()  # The window's change check reports database trouble.

    def _live_token_count(self) -> int | None:
        if self._project is None:
            return None
        try:
            return self._service.count_tokens(self._project.name)
        except DeploymentTokensError:
            return None  # The tokens pane reports database trouble; here a blank will do.
