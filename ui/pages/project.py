"""A project's page: its sidebar (``ui.pages.project_sidebar``: Settings, and under it
Deployment Tokens, Token policy and Environments; then Audit log, Notifications, Trusted
deployers, Members and Destinations) and the pane chosen there, under the project's heading and this
role's level on it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TypeVar, cast

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
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
from ui.pages.environments import ENVIRONMENTS, EnvironmentsPane
from ui.pages.members import MEMBERS, MembersPane
from ui.pages.project_sidebar import DEPLOYMENT_TOKENS, SETTINGS, ProjectSidebar
from ui.pages.sections import AUDIT_LOG, DESTINATIONS, NOTIFICATIONS, TRUSTED_DEPLOYERS
from ui.pages.settings import SettingsPane
from ui.pages.token_policy import TOKEN_POLICY, TokenPolicyPane
from ui.pages.tokens import TokensPane
from ui.widgets.heading import PROJECT_HEADING_SCALE, ElidedHeading, heading

_Pane = TypeVar("_Pane", bound=QWidget)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService
    from ui.pages.audit_log import AuditPane
    from ui.pages.deployers import DeployersPane
    from ui.pages.destinations import DestinationsPane
    from ui.pages.notifications import NotificationsPane

# The sections a project is opened on come with the page (navigation, tests, scripts).
__all__ = ["DEPLOYMENT_TOKENS", "SETTINGS", "ProjectPage"]


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
        self._sidebar = ProjectSidebar()
        self._sidebar.currentItemChanged.connect(self._show_pane)
        self._sidebar.itemClicked.connect(self._show_pane)
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
        # Built when first opened (audit_pane() and the two below): a window restored to
        # a project's tokens need not load, or lay out, the pages nobody looks at yet.
        self._clipboard = clipboard
        self._audit_pane: AuditPane | None = None
        self._notifications_pane: NotificationsPane | None = None
        self._deployers_pane: DeployersPane | None = None
        self._destinations_pane: DestinationsPane | None = None
        self._members_pane = MembersPane(service)
        self._members_pane.status_message.connect(self.status_message)
        self._members_pane.changed.connect(self._members_changed)
        for pane in (
            self._settings_pane,
            self._tokens_pane,
            self._policy_pane,
            self._environments_pane,
            self._members_pane,
        ):
            panes.addWidget(pane)
        return panes

    @property
    def project(self) -> ProjectRecord | None:
        return self._project

    def set_compact(self, compact: bool) -> None:
        """Icons only (a narrow window: the panes get the width), or icons and labels."""
        self._sidebar.set_compact(compact)

    def is_compact(self) -> bool:
        return self._sidebar.is_compact()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if resources.is_palette_change(event):
            self._sidebar.update_icons()  # in the palette's text colour: dark mode redraws
            resources.repolish(self._sidebar)

    def sidebar(self) -> QListWidget:
        return self._sidebar

    def heading(self) -> ElidedHeading:
        return self._heading

    def tokens_pane(self) -> TokensPane:
        return self._tokens_pane

    def settings_pane(self) -> SettingsPane:
        return self._settings_pane

    def audit_pane(self) -> AuditPane:
        if self._audit_pane is None:
            from ui.pages.audit_log import AuditPane

            self._audit_pane = self._added(AuditPane(self._service))
        return self._audit_pane

    def policy_pane(self) -> TokenPolicyPane:
        return self._policy_pane

    def environments_pane(self) -> EnvironmentsPane:
        return self._environments_pane

    def notifications_pane(self) -> NotificationsPane:
        if self._notifications_pane is None:
            from ui.pages.notifications import NotificationsPane

            pane = self._added(NotificationsPane(self._service, self._clipboard))
            pane.set_permissions(self._permissions)
            self._notifications_pane = pane
        return self._notifications_pane

    def deployers_pane(self) -> DeployersPane:
        if self._deployers_pane is None:
            from ui.pages.deployers import DeployersPane

            pane = self._added(DeployersPane(self._service))
            pane.set_permissions(self._permissions)
            self._deployers_pane = pane
        return self._deployers_pane

    def destinations_pane(self) -> DestinationsPane:
        if self._destinations_pane is None:
            from ui.pages.destinations import DestinationsPane

            pane = self._added(DestinationsPane(self._service))
            pane.set_permissions(self._permissions)
            # Send to and Rotate offer the project's destinations.
            pane.changed.connect(self._settings_changed)
            self._destinations_pane = pane
        return self._destinations_pane

    def _added(self, pane: _Pane) -> _Pane:
        """A pane built when first opened, wired and stacked like the others."""
        pane.status_message.connect(self.status_message)  # type: ignore[attr-defined]
        self._panes.addWidget(pane)
        return pane

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
        opened = (
            DEPLOYMENT_TOKENS,
            TOKEN_POLICY,
            ENVIRONMENTS,
            AUDIT_LOG,
            NOTIFICATIONS,
            TRUSTED_DEPLOYERS,
            MEMBERS,
            DESTINATIONS,
        )
        item = self._sidebar.item_of(pane if pane in opened else SETTINGS)
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
        self.show_project(
            project, self._sidebar.section_of(current) if current is not None else SETTINGS
        )

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
        elif pane is self._audit_pane is not None:
            self.audit_pane().refresh()
        elif pane is self._policy_pane:
            self._policy_pane.refresh()
        elif pane is self._environments_pane:
            self._environments_pane.refresh()
        elif pane is self._notifications_pane is not None:
            self.notifications_pane().refresh()
        elif pane is self._deployers_pane is not None:
            self.deployers_pane().refresh()
        elif pane is self._destinations_pane is not None:
            self.destinations_pane().refresh()
        elif pane is self._members_pane:
            self._members_pane.refresh()
        elif self._project is not None:
            self._settings_pane.show_project(
                self._project, self._service.count_tokens(self._project.name)
            )

    def _show_pane(self, item: QListWidgetItem | None, *_: object) -> None:
        if self._project is None or item is None:
            return
        section = self._sidebar.section_of(item)
        if section == DEPLOYMENT_TOKENS:
            if self._tokens_loaded_for != self._project.name:
                self._tokens_loaded_for = self._project.name
                self._tokens_pane.show_project(self._project.name)
            self._panes.setCurrentWidget(self._tokens_pane)
        elif section in (TOKEN_POLICY, ENVIRONMENTS):
            pane = self._policy_pane if section == TOKEN_POLICY else self._environments_pane
            try:
                pane.show_project(self._project.name)
            except DeploymentTokensError as error:
                action = (
                    self.tr("Could not read the token policy")
                    if section == TOKEN_POLICY
                    else self.tr("Could not read the environments")
                )
                messages.show_error(self, action, error)
            self._panes.setCurrentWidget(pane)
        elif section == NOTIFICATIONS:
            notifications = self.notifications_pane()
            try:
                notifications.show_project(self._project.name, self._permissions)
            except DeploymentTokensError as error:
                messages.show_error(self, self.tr("Could not read the notifications"), error)
            self._panes.setCurrentWidget(notifications)
        elif section == TRUSTED_DEPLOYERS:
            deployers = self.deployers_pane()
            try:
                deployers.show_project(self._project.name, self._permissions)
            except DeploymentTokensError as error:
                messages.show_error(self, self.tr("Could not read the trusted deployers"), error)
            self._panes.setCurrentWidget(deployers)
        elif section == DESTINATIONS:
            destinations = self.destinations_pane()
            try:
                destinations.show_project(self._project.name, self._permissions)
            except DeploymentTokensError as error:
                messages.show_error(self, self.tr("Could not read the destinations"), error)
            self._panes.setCurrentWidget(destinations)
        elif section == MEMBERS:
            try:
                self._members_pane.show_project(self._project.name, self._permissions)
            except DeploymentTokensError as error:
                messages.show_error(self, self.tr("Could not read the members"), error)
            self._panes.setCurrentWidget(self._members_pane)
        elif section == AUDIT_LOG:
            audit = self.audit_pane()
            if self._audit_loaded_for != self._project.name:
                self._audit_loaded_for = self._project.name
                audit.show_project(self._project.name)
            else:
                # Events were added since (by this window too): show them.
                self._refresh_quietly(audit.refresh)
            self._panes.setCurrentWidget(audit)
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
        for built_when_opened in (
            self._notifications_pane,
            self._deployers_pane,
            self._destinations_pane,
        ):
            if built_when_opened is not None:
                built_when_opened.set_permissions(permissions)
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
