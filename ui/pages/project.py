"""A project's page: its sidebar (Settings, and under it Deployment Tokens, Token policy
and Environments; then Audit log) and the pane chosen there."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
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
from ui import resources
from ui.background import WriteRunner
from ui.clipboard import SecretClipboard
from ui.dialogs import messages, project_actions
from ui.dialogs.project_actions import DELETE_PROJECT, RENAME_PROJECT
from ui.pages.audit_log import AUDIT_LOG, AuditPane
from ui.pages.environments import ENVIRONMENTS, EnvironmentsPane
from ui.pages.token_policy import TOKEN_POLICY, TokenPolicyPane
from ui.pages.tokens import TokensPane
from ui.relative_time import exact
from ui.widgets.buttons import ActionButton
from ui.widgets.heading import PROJECT_HEADING_SCALE, ElidedHeading, heading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

SETTINGS = "Settings"
DEPLOYMENT_TOKENS = "Deployment Tokens"


# How deep an entry of the project sidebar sits, and how far each level is indented.
_LEVEL_ROLE = Qt.ItemDataRole.UserRole + 1
_INDENT = 16
_COMPACT_INDENT = 8


# Each entry's line icon (resources/icons): beside the label, or alone when compact.
_ICONS = {
    SETTINGS: "settings",
    DEPLOYMENT_TOKENS: "key",
    TOKEN_POLICY: "clock",
    ENVIRONMENTS: "server",
    AUDIT_LOG: "list",
}


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


class SettingsPane(QWidget):
    """The project's settings at a glance, each section one click (or Enter) away."""

    # The section the user chose here, by its sidebar label.
    section_chosen = Signal(str)
    rename_requested = Signal()
    delete_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPane")
        title = heading(SETTINGS, "paneTitle")
        self._name = QLabel()
        self._name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long name wraps rather than widening the window (names have no spaces to
        # break at sometimes: anywhere will do).
        self._name.setWordWrap(True)
        self._name.setTextFormat(Qt.TextFormat.PlainText)
        self._created = QLabel()
        form = QFormLayout()
        form.addRow("Project:", self._name)
        form.addRow("Created:", self._created)
        self._rename_button = ActionButton(RENAME_PROJECT)
        self._rename_button.setObjectName("renameProjectButton")
        self._rename_button.clicked.connect(self.rename_requested)
        self._delete_button = ActionButton(DELETE_PROJECT)
        self._delete_button.setObjectName("deleteProjectButton")
        self._delete_button.clicked.connect(self.delete_requested)
        project_actions = QHBoxLayout()
        project_actions.addWidget(self._rename_button)
        project_actions.addWidget(self._delete_button)
        project_actions.addStretch(1)
        form.addRow("", project_actions)
        self._section_buttons: dict[str, ActionButton] = {}
        sections = QFormLayout()
        for section, what in (
            (DEPLOYMENT_TOKENS, "generate, rotate and delete the tokens pipelines deploy with"),
            (TOKEN_POLICY, "how long new tokens live, at most and by default"),
            (ENVIRONMENTS, "where this project deploys, and which tokens may deploy where"),
            (AUDIT_LOG, "who generated, rotated and revoked which token, and when"),
        ):
            button = ActionButton(section)
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
            "count unknown"
            if token_count is None
            else f"{token_count} live token{'' if token_count == 1 else 's'}"
        )
        self._section_buttons[DEPLOYMENT_TOKENS].setText(f"{DEPLOYMENT_TOKENS} ({count})")


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

        self._heading = heading("", "projectHeading", PROJECT_HEADING_SCALE)
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
        layout = QVBoxLayout(self)
        layout.addWidget(self._heading)
        layout.addLayout(body, 1)

    def _project_sidebar(self) -> QListWidget:
        """A flat list drawn as a tree: Deployment Tokens is indented under Settings, and
        every entry is a plain row that keyboard, screen reader and tests reach alike."""
        sidebar = QListWidget()
        sidebar.setObjectName("projectSidebar")
        sidebar.setAccessibleName("Project sidebar")
        sidebar.setStyleSheet("::item { padding: 5px 4px; }")
        sidebar.setIconSize(QSize(20, 20))
        # Its width is set to fit the entries (see set_compact): never a scroll bar.
        sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._delegate = _IndentingDelegate(sidebar)
        sidebar.setItemDelegate(self._delegate)
        self._settings_item = QListWidgetItem(SETTINGS)
        self._tokens_item = QListWidgetItem(DEPLOYMENT_TOKENS)
        self._policy_item = QListWidgetItem(TOKEN_POLICY)
        self._environments_item = QListWidgetItem(ENVIRONMENTS)
        for item in (self._tokens_item, self._policy_item, self._environments_item):
            item.setData(_LEVEL_ROLE, 1)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, f"in {SETTINGS}")
        self._audit_item = QListWidgetItem(AUDIT_LOG)
        for item in (
            self._settings_item,
            self._tokens_item,
            self._policy_item,
            self._environments_item,
            self._audit_item,
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
        for pane in (
            self._settings_pane,
            self._tokens_pane,
            self._policy_pane,
            self._environments_pane,
            self._audit_pane,
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
        labels = (
            0 if compact else self._sidebar.fontMetrics().horizontalAdvance(DEPLOYMENT_TOKENS) + 8
        )
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
            item.setIcon(resources.icon(_ICONS[item.text()]))

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

    def current_pane(self) -> QWidget:
        return cast("QWidget", self._panes.currentWidget())

    def show_project(self, project: ProjectRecord, pane: str = SETTINGS) -> None:
        """Open ``project`` on its Settings pane (or on ``pane``)."""
        self._project = project
        self._heading.setText(project.name)
        self._heading.setAccessibleName(f"Project {project.name}")
        self._tokens_loaded_for = None
        self._audit_loaded_for = None
        items = {
            DEPLOYMENT_TOKENS: self._tokens_item,
            TOKEN_POLICY: self._policy_item,
            ENVIRONMENTS: self._environments_item,
            AUDIT_LOG: self._audit_item,
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
        self.show_project(project, current.text() if current is not None else SETTINGS)

    def forget_project(self) -> None:
        """The open project is gone (deleted elsewhere): hold nothing of it."""
        self._project = None
        self._tokens_loaded_for = None
        self._audit_loaded_for = None

    def refresh(self) -> None:
        """Show what other clients changed in the visible pane. Raises the service's errors."""
        pane = self.current_pane()
        if pane is self._tokens_pane:
            self._tokens_pane.refresh()
        elif pane is self._audit_pane:
            self._audit_pane.refresh()
        elif pane is self._policy_pane:
            self._policy_pane.refresh()
        elif pane is self._environments_pane:
            self._environments_pane.refresh()
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
                messages.show_error(self, f"Could not read the {item.text().lower()}", error)
            self._panes.setCurrentWidget(pane)
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
        if self._project is None or self.is_busy():
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
        if project is None or self.is_busy():
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
