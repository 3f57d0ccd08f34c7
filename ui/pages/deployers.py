"""A project's Trusted deployers: the CI jobs (GitHub Actions, GitLab CI, any OIDC issuer)
that exchange their ID token for a short-lived token of the project, each binding with
its issuer, its claims in words, its tokens' environments and lifetime, and its last
exchange; a banner says what is weak about any of them. For the project's admins,
Add… and Remove…; below admin the pane is read-only, saying why.

The exchange itself is the verification service's (``POST /v1/exchange`` on serve).
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
from app.records import utc_now
from ui import access
from ui.access import Permissions
from ui.background import WriteRunner
from ui.dialogs import messages
from ui.dialogs.add_deployer import AddDeployerDialog
from ui.models.deployers import (
    DeployerColumn,
    DeployersModel,
    claims_in_words,
    issuer_name,
    weaknesses,
)
from ui.pages.list_page import (
    ListOrSentence,
    ProjectListPage,
    action_button,
    button_row,
    description_label,
    sentence_label,
)
from ui.pages.sections import TRUSTED_DEPLOYERS
from ui.relative_time import relative
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg
from ui.widgets.banner import WarningBanner
from ui.widgets.heading import heading
from ui.widgets.record_table import record_table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from app.service import TokenService
    from app.use_cases.deployers import DeployerRecord

ADD = QT_TRANSLATE_NOOP("DeployersPane", "&Add…")
REMOVE = QT_TRANSLATE_NOOP("DeployersPane", "&Remove…")
DESCRIPTION = QT_TRANSLATE_NOOP(
    "DeployersPane",
    "CI jobs trusted to deploy without a stored secret: a job presents its OIDC ID token "
    "to the verification service (POST /v1/exchange) and gets a deployment token that "
    "lives a few minutes. Bind immutable ids and an environment or protected ref.",
)
EMPTY = QT_TRANSLATE_NOOP(
    "DeployersPane",
    "No CI job is trusted to deploy this project by its ID token yet. Add a GitHub "
    "Actions repository, a GitLab CI project or another OIDC issuer: its jobs then need "
    "no stored token at all (see “Trusted deployers” in the user guide).",
)


class DeployersPane(ProjectListPage[DeployersModel]):
    """Lists, adds and removes one project's trusted deployers."""

    status_message = Signal(str)

    def __init__(self, service: TokenService, parent: QWidget | None = None) -> None:
        super().__init__(service, parent, name="deployersPane", notice_name="deployersNotice")
        description = description_label(self.tr(DESCRIPTION))
        self._banner = WarningBanner()
        self._banner.setObjectName("weakDeployersBanner")
        self._banner.setAccessibleName(self.tr("Weak bindings"))
        self._add = action_button(self.tr(ADD), "addDeployerButton", self.add)
        self._remove = action_button(self.tr(REMOVE), "removeDeployerButton", self.request_remove)
        self._writes = WriteRunner(service, self, controls=[self._add, self._remove])
        self._writes.busy_changed.connect(self._update_buttons)

        self._model = DeployersModel(self)
        self._table = self._deployers_table()
        self._stack = ListOrSentence(self._table, sentence_label(self.tr(EMPTY), "deployersEmpty"))

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr(TRUSTED_DEPLOYERS), "paneTitle"))
        layout.addWidget(description)
        layout.addWidget(self._notice)
        layout.addWidget(self._banner)
        layout.addLayout(button_row(self._add, self._remove))
        layout.addWidget(self._stack, 1)
        # Tab follows the reading order: Add…, Remove…, the table.
        self.setTabOrder(self._add, self._remove)
        self.setTabOrder(self._remove, self._table)
        self._update_buttons()

    def _deployers_table(self) -> QTableView:
        table = record_table(
            self._model,
            "deployersTable",
            self.tr(TRUSTED_DEPLOYERS),
            self._update_buttons,
            wrap=True,
        )
        header = table.horizontalHeader()
        # The claims in words wrap rather than being cut: they are what tells bindings
        # apart, and a project has a handful. The short columns as wide as they need,
        # the claims the width left.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DeployerColumn.CLAIMS, QHeaderView.ResizeMode.Stretch)
        return table

    # What tests and the page reach for (and, from ProjectListPage, table(), model(),
    # notice(), is_busy() and show_project())

    def deployers(self) -> list[DeployerRecord]:
        return self._model.records()

    def add_button(self) -> QPushButton:
        return self._add

    def remove_button(self) -> QPushButton:
        return self._remove

    def banner(self) -> WarningBanner:
        return self._banner

    def empty_state(self) -> QLabel | None:
        """The sentence shown instead of the table while there is nothing to list."""
        return self._stack.shown_sentence()

    # This role's level on the project

    def set_permissions(self, permissions: Permissions) -> None:
        """Below admin: read-only, saying why; Add… and Remove… disabled."""
        self._refusal = permissions.refusal(access.ADMIN)
        self._say_why_read_only(
            permissions,
            self.tr("You are %1 here: only the project's admins add and remove "
                    "trusted deployers."),
            no_member=self.tr("no member"),
            ask_admin=self.tr("Ask an admin: %1."),
        )  # fmt: skip
        self._update_buttons()

    def refresh(self) -> None:
        """Read the bindings again. Raises the service's errors."""
        if self._project is None:
            return
        selected = self._selected()
        self._model.set_deployers(self._service.list_deployers(self._project))
        self._model.refresh_times()
        self._stack.show_listing(self._model.rowCount() > 0)
        self._show_weak()
        if selected is not None:
            self._select_row(self._model.row_of(selected.id))
        self._update_buttons()

    def _show_weak(self) -> None:
        """One paragraph per weak binding: which, and what is weak about it."""
        weak = [(record, weaknesses(record)) for record in self._model.records()]
        said = [
            arg(
                self.tr("%1 is weak: %2"),
                claims_in_words(record.name, record.claims),
                "; ".join(found),
            )
            for record, found in weak
            if found
        ]
        self._banner.show_warning("\n\n".join(said) or None)

    # Add

    def add(self) -> AddDeployerDialog | None:
        """Ask for a binding; the dialog adds it."""
        project = self._project
        if project is None or self._refusal is not None or self.is_busy():
            return None

        def submit(**binding: Any) -> tuple[DeployerRecord, list[str]]:
            return self._service.add_deployer(project, **binding)

        dialog = AddDeployerDialog(project, submit, self._service, self)
        dialog.added.connect(self._added)
        dialog.open()
        return dialog

    def _added(self, record: DeployerRecord, warnings: list[str]) -> None:
        words = claims_in_words(record.name, record.claims)
        self._after_change(arg(self.tr("Added the trusted deployer %1."), words), record.id)
        if warnings:
            box = messages.show_message(
                self,
                self.tr("Weak trusted deployer"),
                arg(self.tr("Added %1, but the binding is weak:"), words),
                "\n\n".join(f"• {messages.sentence(warning)}" for warning in warnings),
            )
            box.setObjectName("weakDeployerBox")

    # Remove

    def request_remove(self) -> None:
        """Ask (Cancel is the default), then remove the selected binding."""
        record = self._selected()
        project = self._project
        if record is None or project is None or self._refusal is not None or self.is_busy():
            return
        words = claims_in_words(record.name, record.claims)
        last = relative(record.last_exchanged_at, utc_now())
        messages.confirm_destructive(
            self,
            "confirmRemoveDeployerBox",
            self.tr("Remove trusted deployer"),
            arg(
                self.tr("Remove the trusted deployer %1 (%2)?"),
                words,
                issuer_name(record.issuer),
            ),
            arg(self.tr("Last exchange: %1."), last)
            + "\n\n"
            + self.tr(
                "Its CI jobs can no longer exchange their ID token for a token of this "
                "project: a pipeline that deploys with it stops working at once. Tokens "
                "already exchanged live out their few minutes. This cannot be undone."
            ),
            (self.tr("Remove"), "removeButton"),
            lambda: self._remove_deployer(project, record),
        )

    def _remove_deployer(self, project: str, record: DeployerRecord) -> None:
        self._writes.run(
            lambda: self._service.remove_deployer(project, record.id),
            lambda removed: self._after_change(
                arg(
                    self.tr("Removed the trusted deployer %1."),
                    claims_in_words(removed.name, removed.claims),
                )
            ),
            lambda error: self._failed(self.tr("Could not remove the trusted deployer"), error),
        )

    # After a write

    def _after_change(self, message: str, select: int | None = None) -> None:
        self.status_message.emit(message)
        try:
            self.refresh()
        except DeploymentTokensError as error:
            messages.show_error(self, self.tr("Could not read the trusted deployers"), error)
            return
        if select is not None:
            self._select_row(self._model.row_of(select))

    def _failed(self, action: str, error: Exception) -> None:
        messages.show_error(self, action, error)
        with contextlib.suppress(DeploymentTokensError):
            self.refresh()  # the window's change check reports database trouble

    # Helpers

    def _selected(self) -> DeployerRecord | None:
        row = self._selected_row()
        return None if row is None else self._model.record(row)

    def _update_buttons(self, *_: object) -> None:
        if self._writes.shows_busy():
            return  # the runner gives them back when the write is done
        access.show_refusal(self._add, self._refusal)
        access.show_refusal(self._remove, self._refusal)
        if self._refusal is None:
            self._remove.setEnabled(self._selected() is not None)


def deployers_label() -> str:
    """The pane's name, in the user's language."""
    return QCoreApplication.translate("DeployersPane", TRUSTED_DEPLOYERS)
