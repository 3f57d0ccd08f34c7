"""The choices beside Generate: the new token's name, when it expires, and where it may
deploy. Each has a default, so Generate alone (the spec's click path) needs none of them."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
)

from app import lifecycle
from app.lifecycle import Expiry, TokenPolicy
from app.names import NAME_MAX_LENGTH
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import duration, no_expiry
from ui.widgets.flow_layout import FlowLayout, flow_group

# In English, as tests find them; shown in the user's language.
TOKEN_NAME = QT_TRANSLATE_NOOP("TokenOptions", "Token name")
EXPIRES = QT_TRANSLATE_NOOP("TokenOptions", "Expires")
ENVIRONMENTS = QT_TRANSLATE_NOOP("TokenOptions", "Environments")
ALL_ENVIRONMENTS = QT_TRANSLATE_NOOP("TokenOptions", "All environments")
A_DATE = QT_TRANSLATE_NOOP("TokenOptions", "A date…")
NO_EXPIRY = lifecycle.NO_EXPIRY
# The lifetimes offered (and the policy's default, if it is another).
LIFETIMES = lifecycle.LIFETIME_CHOICES
# What each Expires entry stands for: a lifetime, a date, or never.
_DATE = "date"
_NEVER = "never"


class ChecklistMenu(QMenu):
    """A menu of checkable entries that stays open while they are ticked (a click, Space
    or Enter), so that several environments are chosen in one visit; Esc or a click
    outside closes it. (A plain QMenu closes on each tick.)"""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self.activeAction()
        if (
            event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and action is not None
            and action.isCheckable()
            and action.isEnabled()
        ):
            action.trigger()
            event.accept()
            return
        super().keyPressEvent(event)


class TokenOptions(QWidget):
    """Token name, Expires and Environments, reset to the project's defaults on demand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenOptions")

        self._name = self._name_field()
        # Beside the name field once it is full: the field keeps no more, and says so.
        self._limit_reached = self.tr("At most %1 characters; more is left out").replace(
            "%1", str(NAME_MAX_LENGTH)
        )
        self._name_limit = QLabel(self._limit_reached)
        self._name_limit.setObjectName("tokenNameLimit")
        self._name_limit.setVisible(False)
        self._name.textChanged.connect(self._name_changed)

        self._expires = QComboBox()
        self._expires.setObjectName("expiresChoice")
        self._expires.setAccessibleName(self.tr(EXPIRES))
        self._expires.currentIndexChanged.connect(self._expiry_chosen)
        self._day = self._expiry_date_field()

        self._environments = self._environments_button()
        self._menu = ChecklistMenu(self._environments)
        self._menu.setObjectName("environmentsMenu")
        self._environments.setMenu(self._menu)
        # Owned by this widget: QMenu.clear() deletes the actions the menu owns.
        self._all = QAction(self.tr(ALL_ENVIRONMENTS), self)
        self._all.setCheckable(True)
        self._all.toggled.connect(self._all_toggled)
        self._choices: list[QAction] = []
        # The Expires entry the project's policy makes the default.
        self._default_expiry: object = None
        # The width the Environments button has for its text (set_choices fixes it).
        self._environments_room = 0

        self._lay_out()
        self.set_choices(TokenPolicy(), [])

    def _name_field(self) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName("tokenNameField")
        field.setAccessibleName(self.tr(TOKEN_NAME))
        field.setPlaceholderText(self.tr("Deployment token N"))
        field.setToolTip(self.tr("A name to recognise the token by; empty for a numbered default"))
        field.setMaxLength(NAME_MAX_LENGTH)
        field.setMinimumWidth(140)
        return field

    def _expiry_date_field(self) -> QDateEdit:
        """The day the token stops working, shown when "A date…" is chosen."""
        day = QDateEdit()
        day.setObjectName("expiryDate")
        day.setAccessibleName(self.tr("Expiry date"))
        day.setCalendarPopup(True)
        day.setDisplayFormat("yyyy-MM-dd")
        day.setToolTip(self.tr("The token stops working at the start of this day (UTC)"))
        day.setVisible(False)
        # Its room is kept while it is hidden: choosing "A date…" must not reflow the
        # options and move Generate below them.
        policy = day.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        day.setSizePolicy(policy)
        return day

    def _environments_button(self) -> QToolButton:
        """Where the token may deploy: a button that opens the environments' checklist."""
        button = QToolButton()
        button.setObjectName("environmentsChoice")
        button.setAccessibleName(self.tr(ENVIRONMENTS))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def _lay_out(self) -> None:
        """On one line when the window is wide; wrapped when it is narrow, so the options
        never make the window wider than the widest of them."""
        layout = FlowLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Expires last: the room its date field keeps while hidden is at the end of the
        # line, not a gap between two choices.
        for label_text, field in (
            (self.tr("Token name:"), self._name),
            (self.tr("Environments:"), self._environments),
            (self.tr("Expires:"), self._expires),
        ):
            label = QLabel(label_text)
            label.setBuddy(field)
            extra: tuple[QWidget, ...] = ()
            if field is self._expires:
                extra = (self._day,)
            elif field is self._name:
                extra = (self._name_limit,)
            layout.addWidget(flow_group(label, field, *extra))

    # What the pane reads

    def name(self) -> str | None:
        """The name typed, or None for the numbered default."""
        return self._name.text().strip() or None

    def expiry(self) -> Expiry:
        choice = self._expires.currentData()
        if choice == _NEVER:
            return Expiry.no_expiry()
        if choice == _DATE:
            chosen = self._day.date()
            return Expiry.on(date(chosen.year(), chosen.month(), chosen.day()))
        return Expiry.after(timedelta(hours=int(choice)))

    def environments(self) -> list[str]:
        """The environments chosen; empty for all of them."""
        if self._all.isChecked():
            return []
        return [action.text() for action in self._choices if action.isChecked()]

    def name_field(self) -> QLineEdit:
        return self._name

    def name_limit_note(self) -> QLabel:
        """Shown beside the name field while the name is as long as a name may be."""
        return self._name_limit

    def expires_choice(self) -> QComboBox:
        return self._expires

    def environment_actions(self) -> list[QAction]:
        """ "All environments" first, then one per environment of the project."""
        return [self._all, *self._choices]

    # What the pane sets

    def set_choices(self, policy: TokenPolicy, environments: list[str]) -> None:
        """Offer what ``policy`` allows, the default selected, and ``environments``."""
        self._expires.blockSignals(True)
        self._expires.clear()
        offered = [
            lifetime
            for lifetime in LIFETIMES
            if policy.max_lifetime is None or lifetime <= policy.max_lifetime
        ]
        default = policy.default_lifetime
        if default is not None and default not in offered:
            offered = sorted([*offered, default])
        for lifetime in offered:
            text = duration(lifetime)
            if lifetime == default:
                text = self.tr("%1 (default)").replace("%1", text)
            self._expires.addItem(text, int(lifetime.total_seconds() // 3600))
        self._expires.addItem(self.tr(A_DATE), _DATE)
        if policy.allow_no_expiry:
            text = no_expiry()
            if default is None:
                text = self.tr("%1 (default)").replace("%1", text)
            self._expires.addItem(text, _NEVER)
        self._default_expiry = _NEVER if default is None else int(default.total_seconds() // 3600)
        self._expires.setCurrentIndex(max(0, self._expires.findData(self._default_expiry)))
        self._expires.blockSignals(False)
        self._expiry_chosen()
        tomorrow = QDate.currentDate().addDays(1)
        self._day.setMinimumDate(tomorrow)
        if policy.max_lifetime is not None:
            self._day.setMaximumDate(
                QDate.currentDate().addDays(policy.max_lifetime // timedelta(days=1))
            )
        self._day.setDate(tomorrow.addDays(29))

        self._menu.clear()  # the environments' actions and the separator go with it
        self._menu.addAction(self._all)
        self._menu.addSeparator()
        self._choices = []
        for name in environments:
            action = QAction(name, self._menu)
            action.setCheckable(True)
            action.toggled.connect(self._environment_toggled)
            self._menu.addAction(action)
            self._choices.append(action)
        self._environments.setEnabled(bool(environments))
        self._all.setChecked(True)
        # As wide as "All environments" whatever is chosen (a longer choice is cut, and
        # whole in the tooltip): a wider button would reflow the options and move
        # Generate.
        button = self._environments
        button.setText(self.tr(ALL_ENVIRONMENTS))
        button.ensurePolished()
        metrics = button.fontMetrics()
        self._environments_room = metrics.horizontalAdvance(button.text()) + 4
        button.setFixedWidth(button.sizeHint().width() + 4)
        self._update_environments_text()

    def reset_choices(self) -> None:
        """Back to the project's defaults: its default lifetime, all environments."""
        self._expires.setCurrentIndex(max(0, self._expires.findData(self._default_expiry)))
        self._day.setDate(QDate.currentDate().addDays(30))
        self._all.setChecked(True)

    def clear_name(self) -> None:
        self._name.clear()

    def environments_button(self) -> QToolButton:
        return self._environments

    def environments_menu(self) -> QMenu:
        return self._menu

    def expiry_date_field(self) -> QDateEdit:
        return self._day

    # Helpers

    def _name_changed(self, text: str) -> None:
        # The field cuts typing and pasting at the limit; silently, unless this says so.
        full = len(text) >= NAME_MAX_LENGTH
        self._name_limit.setVisible(full)
        self._name.setAccessibleDescription(self._limit_reached if full else "")

    def _expiry_chosen(self) -> None:
        self._day.setVisible(self._expires.currentData() == _DATE)

    def _all_toggled(self, checked: bool) -> None:
        if checked:
            for action in self._choices:
                action.setChecked(False)
        elif not any(action.isChecked() for action in self._choices):
            self._all.setChecked(True)  # nothing chosen means all: say so
        self._update_environments_text()

    def _environment_toggled(self, checked: bool) -> None:
        if checked:
            self._all.setChecked(False)
        elif not any(action.isChecked() for action in self._choices):
            self._all.setChecked(True)
        self._update_environments_text()

    def _update_environments_text(self) -> None:
        chosen = self.environments()
        text = ", ".join(chosen) if chosen else self.tr(ALL_ENVIRONMENTS)
        button = self._environments
        text = button.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideRight, self._environments_room
        )
        button.setText(text)
        if not self._choices:
            button.setToolTip(
                self.tr(
                    "This project has no environments: tokens may deploy wherever it "
                    "deploys. Add them under Settings, Environments."
                )
            )
        else:
            button.setToolTip(
                self.tr("Where the token may deploy: %1").replace(
                    "%1", ", ".join(chosen) if chosen else self.tr(ALL_ENVIRONMENTS)
                )
            )
