"""Settings > Token policy: how long a project's new tokens live by default and at most,
and whether tokens pushed to a destination are rotated by themselves before they expire
(``rotate-due``, run by a timer), with how long the old token lives on."""

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
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import lifecycle
from app.lifecycle import TokenPolicy
from ui import access
from ui.access import Permissions
from ui.background import WriteRunner
from ui.dialogs import messages
from ui.dialogs.rotate_token import GRACE_CHOICES
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import duration, no_expiry
from ui.widgets.heading import heading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService
    from app.use_cases.destinations import RotationPolicyRecord

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
# The window before expiry offered when automatic rotation is turned on.
DEFAULT_ROTATE_BEFORE_DAYS = 14


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
        self._build_rotation()
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
        form.addRow(self.tr("Pushed tokens:"), self._rotate_row())
        form.addRow(self.tr("Old token stops:"), self._grace)
        buttons = QHBoxLayout()
        buttons.addWidget(self._save)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr(TOKEN_POLICY), "paneTitle"))
        layout.addWidget(description)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def _build_rotation(self) -> None:
        self._rotate = QCheckBox(self.tr("&Rotate automatically"))
        self._rotate.setObjectName("rotateAutomatically")
        said = self.tr(
            "Tokens pushed to a destination are rotated and the successor pushed there, "
            "this many days before they expire (rotate-due, run by a timer)."
        )
        self._rotate.setToolTip(said)
        self._rotate.setAccessibleName(self.tr("Rotate pushed tokens automatically"))
        self._rotate.setAccessibleDescription(said)
        self._rotate.toggled.connect(self._rotation_chosen)
        self._days = QSpinBox()
        self._days.setObjectName("rotateBeforeDays")
        self._days.setRange(1, 365)
        self._days.setValue(DEFAULT_ROTATE_BEFORE_DAYS)
        self._days.setAccessibleName(self.tr("Days before expiry"))
        self._grace = QComboBox()
        self._grace.setObjectName("rotationGrace")
        self._grace.setAccessibleName(self.tr("Old token stops after an automatic rotation"))
        for text, grace in GRACE_CHOICES:
            self._grace.addItem(QCoreApplication.translate("RotateTokenDialog", text), grace)

    def _rotate_row(self) -> QHBoxLayout:
        """ "[x] Rotate automatically [14] days before expiry"."""
        row = QHBoxLayout()
        row.addWidget(self._rotate)
        row.addWidget(self._days)
        after = QLabel(self.tr("days before expiry"))
        after.setBuddy(self._days)
        row.addWidget(after)
        row.addStretch(1)
        return row

    def rotation(self) -> tuple[int | None, timedelta]:
        """The rotation policy as chosen on screen: days before expiry (None: by hand),
        and the grace of the old token."""
        days = self._days.value() if self._rotate.isChecked() else None
        grace = self._grace.currentData()
        return days, grace if isinstance(grace, timedelta) else timedelta(0)

    def rotate_check(self) -> QCheckBox:
        return self._rotate

    def rotate_before_days(self) -> QSpinBox:
        return self._days

    def grace_choice(self) -> QComboBox:
        return self._grace

    def _show_rotation(self, policy: RotationPolicyRecord) -> None:
        self._rotate.setChecked(policy.rotate_before_days is not None)
        self._days.setValue(policy.rotate_before_days or DEFAULT_ROTATE_BEFORE_DAYS)
        # By value: findData compares Python objects by identity.
        offered = [self._grace.itemData(i) for i in range(self._grace.count())]
        index = offered.index(policy.grace) if policy.grace in offered else -1
        if index < 0:  # a grace set on the command line that the choices lack
            self._grace.addItem(duration(policy.grace), policy.grace)
            index = self._grace.count() - 1
        self._grace.setCurrentIndex(index)
        self._rotation_chosen()

    def _rotation_chosen(self, *_: object) -> None:
        for control in (self._days, self._grace):
            access.show_refusal(control, self._refusal)
            control.setEnabled(self._refusal is None and self._rotate.isChecked())

    def set_permissions(self, permissions: Permissions) -> None:
        """Below admin, the choices and Save stay visible but disabled, saying which
        level they need and whom to ask."""
        self._refusal = permissions.refusal(access.ADMIN)
        for control in (self._default, self._maximum, self._rotate, self._save):
            access.show_refusal(control, self._refusal)
        self._maximum_chosen()
        self._rotation_chosen()

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
        self._show_rotation(self._service.rotation_policy(self._project))

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
        days, grace = self.rotation()

        def save_both() -> tuple[TokenPolicy, RotationPolicyRecord]:
            # One Save: the lifetimes first, as before; the rotation policy after them.
            stored = self._service.set_token_policy(project, policy)
            return stored, self._service.set_rotation_policy(project, days, grace)

        def saved(both: tuple[TokenPolicy, RotationPolicyRecord]) -> None:
            stored, rotation = both
            if project == self._project:
                self._show(stored)
                self._show_rotation(rotation)
            self.changed.emit()
            self.status_message.emit(
                self.tr("Saved the token policy of %1.").replace("%1", project)
            )

        self._writes.run(
            save_both,
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
