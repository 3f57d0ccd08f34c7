"""Settings > Token policy: how long a project's new tokens live by default and at most."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import lifecycle
from app.lifecycle import TokenPolicy
from ui import access
from ui.access import Permissions
from ui.background import WriteRunner
from ui.dialogs import messages
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import duration, no_expiry
from ui.widgets.heading import heading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

TOKEN_POLICY = QT_TRANSLATE_NOOP("TokenPolicyPane", "Token policy")
SAVE = QT_TRANSLATE_NOOP("TokenPolicyPane", "Save policy")
DESCRIPTION = QT_TRANSLATE_NOOP(
    "TokenPolicyPane",
    "How long new deployment tokens of this project live. The default applies when "
    "Generate is clicked without choosing an expiry; a maximum refuses anything longer, "
    "and No expiry with it. Tokens already made keep their expiry.",
)
# None: No expiry as the default, no maximum.
DEFAULT_CHOICES = (*lifecycle.LIFETIME_CHOICES, None)
MAXIMUM_CHOICES = (None, *lifecycle.MAXIMUM_LIFETIME_CHOICES)


class TokenPolicyPane(QWidget):
    """Shows and changes one project's token policy."""

    changed = Signal()  # the policy was saved: Generate's choices follow it
    status_message = Signal(str)

    def __init__(self, service: TokenService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenPolicyPane")
        self._service = service
        self._project: str | None = None
        # Changing the policy needs admin on the project.
        self._refusal: str | None = None

        description = QLabel(self.tr(DESCRIPTION))
        description.setWordWrap(True)
        self._default = QComboBox()
        self._default.setObjectName("defaultLifetime")
        self._maximum = QComboBox()
        self._maximum.setObjectName("maximumLifetime")
        self._maximum.currentIndexChanged.connect(self._maximum_chosen)
        self._allow_no_expiry = QCheckBox(self.tr("Allow tokens that never expire"))
        self._allow_no_expiry.setObjectName("allowNoExpiry")
        self._save = QPushButton(self.tr(SAVE))
        self._save.setObjectName("savePolicyButton")
        self._save.clicked.connect(self.save)
        # Saved off the GUI thread; Save waits while a save is slow.
        self._writes = WriteRunner(service, self, controls=[self._save])
        self._writes.busy_changed.connect(self._write_done)

        form = QFormLayout()
        # Choices as wide as their longest entry, not the whole pane.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("Default lifetime:"), self._default)
        form.addRow(self.tr("Maximum lifetime:"), self._maximum)
        form.addRow("", self._allow_no_expiry)
        buttons = QHBoxLayout()
        buttons.addWidget(self._save)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr(TOKEN_POLICY), "paneTitle"))
        layout.addWidget(description)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def set_permissions(self, permissions: Permissions) -> None:
        """Below admin, the choices and Save stay visible but disabled, saying which
        level they need and whom to ask."""
        self._refusal = permissions.refusal(access.ADMIN)
        for control in (self._default, self._maximum, self._save):
            access.show_refusal(control, self._refusal)
        self._maximum_chosen()

    def _write_done(self, busy: bool) -> None:
        if not busy:  # the runner gave Save back: keep it as the level allows
            access.show_refusal(self._save, self._refusal)

    def save_button(self) -> QPushButton:
        return self._save

    def show_project(self, project_name: str) -> None:
        self._project = project_name
        self.refresh()

    def refresh(self) -> None:
        """Show the stored policy. Raises the service's errors."""
        if self._project is None:
            return
        self._show(self._service.token_policy(self._project))

    def policy(self) -> TokenPolicy:
        """The policy as chosen on screen (saved or not)."""
        return TokenPolicy(
            default_lifetime=self._default.currentData(),
            max_lifetime=self._maximum.currentData(),
            allow_no_expiry=self._allow_no_expiry.isChecked(),
        )

    def default_choice(self) -> QComboBox:
        return self._default

    def maximum_choice(self) -> QComboBox:
        return self._maximum

    def allow_no_expiry(self) -> QCheckBox:
        return self._allow_no_expiry

    def is_busy(self) -> bool:
        """Whether the policy is still being saved."""
        return self._writes.is_busy()

    def save(self) -> None:
        if self._project is None or self._refusal is not None:
            return
        project, policy = self._project, self.policy()

        def saved(stored: TokenPolicy) -> None:
            if project == self._project:
                self._show(stored)
            self.changed.emit()
            self.status_message.emit(
                self.tr("Saved the token policy of %1.").replace("%1", project)
            )

        self._writes.run(
            lambda: self._service.set_token_policy(project, policy),
            saved,
            lambda error: messages.show_error(
                self, self.tr("Could not save the token policy"), error
            ),
        )

    def _show(self, policy: TokenPolicy) -> None:
        _fill(self._default, DEFAULT_CHOICES, policy.default_lifetime, no_expiry())
        none = QCoreApplication.translate("TokenPolicyPane", "None", "no maximum lifetime")
        _fill(self._maximum, MAXIMUM_CHOICES, policy.max_lifetime, none)
        self._allow_no_expiry.setChecked(policy.allow_no_expiry)
        self._maximum_chosen()

    def _maximum_chosen(self) -> None:
        # A maximum cannot go with tokens that never expire.
        limited = self._maximum.currentData() is not None
        if limited:
            self._allow_no_expiry.setChecked(False)
        access.show_refusal(self._allow_no_expiry, self._refusal)
        self._allow_no_expiry.setEnabled(not limited and self._refusal is None)


def _fill(
    box: QComboBox,
    choices: tuple[timedelta | None, ...],
    current: timedelta | None,
    none_text: str,
) -> None:
    """Offer ``choices`` (and ``current``, if it is another), with ``current`` selected."""
    box.blockSignals(True)
    box.clear()
    offered = list(choices)
    if current not in offered:
        offered.insert(len(offered) - 1 if None in offered[-1:] else len(offered), current)
    for choice in offered:
        box.addItem(none_text if choice is None else duration(choice), choice)
    box.setCurrentIndex(offered.index(current))
    box.blockSignals(False)
