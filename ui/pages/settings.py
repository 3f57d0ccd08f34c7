"""A project's Settings pane: the project at a glance (its name, when it was made, Rename
and Delete), and each of its sections one click (or Enter) away."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.records import ProjectRecord
from ui import access
from ui.access import Permissions
from ui.dialogs import project_actions
from ui.pages.environments import ENVIRONMENTS
from ui.pages.members import MEMBERS
from ui.pages.project_sidebar import DEPLOYMENT_TOKENS, SETTINGS, section_label
from ui.pages.sections import AUDIT_LOG, DESTINATIONS, NOTIFICATIONS, TRUSTED_DEPLOYERS
from ui.pages.token_policy import TOKEN_POLICY
from ui.relative_time import exact
from ui.translated import counted
from ui.widgets.buttons import ActionButton
from ui.widgets.heading import heading


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
        sections = self._sections()
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addLayout(sections)
        layout.addStretch(1)

    def _sections(self) -> QFormLayout:
        """A button for each of the project's sections, with what it is for."""
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
            (
                NOTIFICATIONS,
                self.tr("who is told before tokens expire, and of what happens to them"),
            ),
            (
                TRUSTED_DEPLOYERS,
                self.tr("the CI jobs that deploy with their OIDC ID token, no stored secret"),
            ),
            (MEMBERS, self.tr("who may do what in this project: their levels")),
            (
                DESTINATIONS,
                self.tr("where tokens are pushed: OpenBao/Vault, GitHub or GitLab secrets"),
            ),
        ):
            button = ActionButton(section_label(section))
            button.setObjectName(f"section{section.title().replace(' ', '')}")
            button.clicked.connect(lambda _=False, chosen=section: self.section_chosen.emit(chosen))
            description = QLabel(what)
            description.setWordWrap(True)
            sections.addRow(button, description)
            self._section_buttons[section] = button
        return sections

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
