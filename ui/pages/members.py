"""A project's Members: who may do what in it (PostgreSQL's levels), and, for its admins,
Grant… and Revoke….

Everyone who can see the project sees the pane: below admin it is read-only, saying why,
and lists what the database shows such a role (its own levels). On SQLite it says that
access control needs PostgreSQL instead of a table: the file's one user is admin of
everything.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeploymentTokensError
from app.records import AccessRecord
from ui import access
from ui.access import Permissions, level_name
from ui.background import WriteRunner
from ui.dialogs import messages
from ui.dialogs.grant_access import GrantAccessDialog
from ui.models.members import MembersModel
from ui.pages.list_page import (
    ListOrSentence,
    ProjectListPage,
    action_button,
    button_row,
    description_label,
    sentence_label,
)
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg
from ui.widgets.heading import heading
from ui.widgets.record_table import record_table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

MEMBERS = QT_TRANSLATE_NOOP("MembersPane", "Members")
GRANT = QT_TRANSLATE_NOOP("MembersPane", "Grant…")
REVOKE = QT_TRANSLATE_NOOP("MembersPane", "Revoke…")
DESCRIPTION = QT_TRANSLATE_NOOP(
    "MembersPane",
    "Who may do what in this project. Each person connects as their own PostgreSQL login "
    "role, and the database enforces their level: a viewer reads the tokens, environments, "
    "token policy and audit log; a manager also generates, rotates and deletes tokens; an "
    "admin also changes the policy, the environments and the members.",
)
NEEDS_POSTGRESQL = QT_TRANSLATE_NOOP(
    "MembersPane",
    "Access control needs PostgreSQL: an SQLite file has one user, you, who is admin of "
    "every project (see “Team set-up” in the README to share a database with a team).",
)


class MembersPane(ProjectListPage[MembersModel]):
    """Lists, grants and revokes the levels held on one project."""

    status_message = Signal(str)
    # A level on the project changed here: the page reads this role's level again.
    changed = Signal()

    def __init__(self, service: TokenService, parent: QWidget | None = None) -> None:
        super().__init__(service, parent, name="membersPane", notice_name="membersNotice")
        self._permissions: Permissions = access.everything(None)

        description = description_label(self.tr(DESCRIPTION))
        self._grant = action_button(self.tr(GRANT), "grantAccessButton", self.grant)
        self._revoke = action_button(self.tr(REVOKE), "revokeAccessButton", self.request_revoke)
        self._writes = WriteRunner(service, self, controls=[self._grant, self._revoke])
        self._writes.busy_changed.connect(self._update_buttons)

        self._model = MembersModel(self)
        self._table = self._members_table()

        needs_postgresql = sentence_label(self.tr(NEEDS_POSTGRESQL), "membersNeedPostgresql")
        self._stack = ListOrSentence(self._listed(description), needs_postgresql)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr(MEMBERS), "paneTitle"))
        layout.addWidget(self._stack, 1)
        self._update_buttons()

    def _members_table(self) -> QTableView:
        """One row a level held on the project; selecting one lets an admin revoke it."""
        table = record_table(self._model, "membersTable", self.tr(MEMBERS), self._update_buttons)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        return table

    def _listed(self, description: QLabel) -> QWidget:
        """The members of a database that has levels: what the levels mean, Grant… and
        Revoke…, the table. (On SQLite, the one sentence alone says what there is to
        know.)"""
        listed = QWidget()
        listed_layout = QVBoxLayout(listed)
        listed_layout.setContentsMargins(0, 0, 0, 0)
        listed_layout.addWidget(description)
        listed_layout.addWidget(self._notice)
        listed_layout.addLayout(button_row(self._grant, self._revoke))
        listed_layout.addWidget(self._table, 1)
        return listed

    # What tests and the page reach for (and, from ProjectListPage, table(), model(),
    # notice(), is_busy() and show_project())

    def members(self) -> list[AccessRecord]:
        return self._model.records()

    def grant_button(self) -> QPushButton:
        return self._grant

    def revoke_button(self) -> QPushButton:
        return self._revoke

    def needs_postgresql(self) -> QLabel | None:
        """The sentence shown instead of the table on SQLite (None on PostgreSQL)."""
        return self._stack.shown_sentence()

    # This role's level on the project

    def set_permissions(self, permissions: Permissions) -> None:
        """Below admin: read-only, saying why, Grant… and Revoke… disabled."""
        self._permissions = permissions
        self._refusal = permissions.refusal(access.ADMIN)
        self._stack.show_listing(permissions.controlled)
        if not permissions.controlled:
            return
        if self._refusal is None:
            self._notice.hide()
        else:
            said = arg(
                self.tr(
                    "You are %1 here: you see your own levels only, and only the project's "
                    "admins see and change everyone's."
                ),
                level_name(permissions.level),
            )
            if permissions.admins:
                said += " " + arg(self.tr("Ask an admin: %1."), ", ".join(permissions.admins))
            self._notice.setText(said)
            self._notice.show()
        self._update_buttons()

    def refresh(self) -> None:
        """Read the levels held on the project again. Raises the service's errors."""
        if self._project is None or not self._permissions.controlled:
            return
        selected = self._selected()
        self._model.set_members(self._service.list_access(self._project), self._service.actor)
        if selected is not None:
            self._select_row(self._model.row_of(selected.role, selected.project))
        self._update_buttons()

    # Grant and revoke

    def grant(self) -> GrantAccessDialog | None:
        """Ask which role and level, then grant it on the project."""
        if self._project is None or self._refusal is not None or self.is_busy():
            return None
        try:
            roles = self._service.login_roles()
        except DeploymentTokensError:
            roles = []  # nothing to complete from; the database still checks the name
        dialog = GrantAccessDialog(self._project, roles, self)
        dialog.chosen.connect(self._grant_level)
        dialog.open()
        return dialog

    def _grant_level(self, role: str, level: str) -> None:
        project = self._project
        if project is None:
            return

        def granted(record: AccessRecord) -> None:
            self._after_change(
                arg(
                    self.tr("Gave %1 the level %2 on %3."),
                    record.role,
                    level_name(record.level),
                    project,
                ),
                select=record,
            )

        self._writes.run(
            lambda: self._service.grant_access(role, project, level),
            granted,
            lambda error: self._failed(self.tr("Could not grant access"), error),
        )

    def request_revoke(self) -> None:
        """Ask (Cancel is the default), then take the selected role's level away."""
        record = self._selected()
        project = self._project
        if record is None or project is None or self._refusal is not None or self.is_busy():
            return
        if record.project is None:
            self.status_message.emit(self._all_projects_refusal())
            return
        messages.confirm_destructive(
            self,
            "confirmRevokeAccessBox",
            self.tr("Revoke access"),
            arg(
                self.tr("Take the level %1 on %2 away from %3?"),
                level_name(record.level),
                project,
                record.role,
            ),
            self.tr(
                "It takes effect at once, in every window and on the command line. A level "
                "the role holds on all projects stays."
            ),
            (self.tr("Revoke"), "revokeButton"),
            lambda: self._revoke_level(record),
        )

    def _revoke_level(self, record: AccessRecord) -> None:
        project = self._project
        if project is None:
            return
        self._writes.run(
            lambda: self._service.revoke_access(record.role, project),
            lambda revoked: self._after_change(
                arg(
                    self.tr("Took the level %1 on %2 away from %3."),
                    level_name(revoked.level),
                    project,
                    revoked.role,
                )
            ),
            lambda error: self._failed(self.tr("Could not revoke access"), error),
        )

    def _after_change(self, message: str, select: AccessRecord | None = None) -> None:
        self.status_message.emit(message)
        # This role's own level may be what changed: the page reads it again first.
        self.changed.emit()
        try:
            self.refresh()
        except DeploymentTokensError as error:
            messages.show_error(self, self.tr("Could not read the members"), error)
            return
        if select is not None:
            self._select_row(self._model.row_of(select.role, select.project))

    def _failed(self, action: str, error: Exception) -> None:
        messages.show_error(self, action, error)
        # Someone else may have changed the levels meanwhile (a revoke found none).
        self.changed.emit()
        with contextlib.suppress(DeploymentTokensError):
            self.refresh()  # the window's change check reports database trouble

    # Helpers

    def _selected(self) -> AccessRecord | None:
        row = self._selected_row()
        return None if row is None else self._model.record(row)

    def _all_projects_refusal(self) -> str:
        return self.tr(
            "This level is held on all projects: revoke it on the command line "
            "(access revoke ROLE --all-projects)."
        )

    def _update_buttons(self, *_: object) -> None:
        if self._writes.shows_busy():
            return  # the runner gives them back when the write is done
        access.show_refusal(self._grant, self._refusal)
        selected = self._selected()
        if self._refusal is not None:
            access.show_refusal(self._revoke, self._refusal)
        elif selected is not None and selected.project is None:
            access.show_refusal(self._revoke, self._all_projects_refusal())
        else:
            access.show_refusal(self._revoke, None)
            self._revoke.setEnabled(selected is not None)


def members_label() -> str:
    """The pane's name, in the user's language."""
    return QCoreApplication.translate("MembersPane", MEMBERS)
