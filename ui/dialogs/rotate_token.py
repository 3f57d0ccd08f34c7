"""Rotate…: when the old token stops working, asked before its successor is made, and,
when the project has destinations, whether the successor is shown here or pushed to one
of them (then it is never shown)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.records import DestinationRecord, TokenRecord
from ui.models.token_cells import rotation_refusal
from ui.relative_time import ahead, local_date_time
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

__all__ = ["GRACE_CHOICES", "ROTATE", "TITLE", "RotateTokenDialog", "rotation_refusal"]

TITLE = QT_TRANSLATE_NOOP("RotateTokenDialog", "Rotate deployment token")
ROTATE = QT_TRANSLATE_NOOP("RotateTokenDialog", "Rotate")
CLOSE = QT_TRANSLATE_NOOP("RotateTokenDialog", "Close")
# When the old token stops working, as offered (in English; shown translated).
GRACE_CHOICES = (
    (QT_TRANSLATE_NOOP("RotateTokenDialog", "Immediately"), timedelta(0)),
    (QT_TRANSLATE_NOOP("RotateTokenDialog", "In 1 hour"), timedelta(hours=1)),
    (QT_TRANSLATE_NOOP("RotateTokenDialog", "In 24 hours"), timedelta(hours=24)),
    (QT_TRANSLATE_NOOP("RotateTokenDialog", "In 7 days"), timedelta(days=7)),
)
# Preselected: a day for the pipelines to pick up the new token. A rotation is routine
# upkeep, and "Immediately" as the default made Enter break every pipeline using the
# old token at once. (Projects have no grace of their own in their policy to use here.)
# A leaked token is the exception, and the dialog says to choose Immediately for it.
DEFAULT_GRACE = timedelta(hours=24)
LEAKED_HINT = QT_TRANSLATE_NOOP(
    "RotateTokenDialog",
    "If the token leaked, choose Immediately: pipelines using it fail until they have the "
    "new token.",
)


class RotateTokenDialog(QDialog):
    """Asks when the old token stops; calls ``on_rotate(grace)`` only on Rotate, or,
    with a destination chosen among ``destinations``, ``on_push(grace, name)``.

    A token that cannot be rotated (rotated already, or expired) gets the reason and a
    Close button instead of the question: ``successor`` names the token that replaced
    it, when the caller has its record.
    """

    def __init__(
        self,
        record: TokenRecord,
        on_rotate: Callable[[timedelta], None],
        now: datetime,
        parent: QWidget | None = None,
        *,
        successor: TokenRecord | None = None,
        destinations: Sequence[DestinationRecord] = (),
        on_push: Callable[[timedelta, str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rotateTokenDialog")
        self.setWindowTitle(self.tr(TITLE))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._on_rotate = on_rotate
        self._refusal = rotation_refusal(record, now, successor)
        self._choices = QButtonGroup(self)
        self._on_push = on_push
        self._destination: QComboBox | None = None
        # Wide enough that the wrapped sentences read as a paragraph, not a column.
        self.setMinimumWidth(60 * self.fontMetrics().averageCharWidth())
        layout = QVBoxLayout(self)
        buttons = QDialogButtonBox()
        if self._refusal is None:
            self._ask(record, now, layout)
            if destinations and on_push is not None:
                # After what the rotation does, before when the old token stops.
                self._ask_where(record, destinations, layout)
            self._default_button = QPushButton(self.tr(ROTATE))
            self._default_button.setObjectName("rotateButton")
            buttons.addButton(self._default_button, QDialogButtonBox.ButtonRole.AcceptRole)
            cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            cancel.setObjectName("cancelButton")
            # Explicit, whatever the style's defaults: Enter rotates unless the user
            # has moved the focus to Cancel, which then shows as the default (see
            # keyPressEvent).
            cancel.setAutoDefault(True)
        else:
            refused = QLabel(
                arg(
                    self.tr("“%1” (%2) cannot be rotated. %3"),
                    record.name,
                    record.preview,
                    self._refusal,
                )
            )
            refused.setObjectName("rotationRefusal")
            refused.setTextFormat(Qt.TextFormat.PlainText)
            refused.setWordWrap(True)
            layout.addWidget(refused)
            self._default_button = QPushButton(self.tr(CLOSE))
            self._default_button.setObjectName("closeButton")
            buttons.addButton(self._default_button, QDialogButtonBox.ButtonRole.RejectRole)
        self._default_button.setAutoDefault(True)
        self._default_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _ask(self, record: TokenRecord, now: datetime, layout: QVBoxLayout) -> None:
        intro = QLabel(
            arg(
                self.tr(
                    "A new token replaces “%1” (%2), with the same name, environments and "
                    "lifetime. It is shown once, like any new token."
                ),
                record.name,
                record.preview,
            )
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        current = QLabel(
            self.tr("The old token never expires.")
            if record.expires_at is None
            else arg(
                self.tr("The old token expires %1 (%2)."),
                local_date_time(record.expires_at),
                ahead(record.expires_at, now),
            )
        )
        current.setObjectName("currentExpiry")
        current.setWordWrap(True)
        current.setTextFormat(Qt.TextFormat.PlainText)
        question = QLabel(self.tr("When should the old token stop working?"))
        layout.addWidget(intro)
        layout.addWidget(current)
        layout.addWidget(question)
        for index, (text, grace) in enumerate(GRACE_CHOICES):
            radio = QRadioButton(self.tr(text))
            radio.setObjectName(f"grace{index}")
            if grace and record.expires_at is not None and now + grace > record.expires_at:
                radio.setToolTip(self.tr("No later than it expires anyway"))
            elif not grace:
                radio.setToolTip(self.tr(LEAKED_HINT))
            self._choices.addButton(radio, index)
            layout.addWidget(radio)
            radio.setChecked(grace == DEFAULT_GRACE)
        hint = QLabel(self.tr(LEAKED_HINT))
        hint.setObjectName("leakedHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def _ask_where(
        self,
        record: TokenRecord,
        destinations: Sequence[DestinationRecord],
        layout: QVBoxLayout,
    ) -> None:
        """Where the new token goes: shown here, or pushed to a destination (by default
        the one the old token was pushed to)."""
        label = QLabel(self.tr("&New token:"))
        choice = QComboBox()
        choice.setObjectName("destinationChoice")
        choice.setAccessibleName(self.tr("New token"))
        choice.setAccessibleDescription(
            self.tr("Pushed to a destination, the new token is never shown")
        )
        choice.addItem(self.tr("Show the new token here"), None)
        for destination in destinations:
            choice.addItem(arg(self.tr("Push to %1"), destination.name), destination.name)
            if destination.id == record.destination_id:
                choice.setCurrentIndex(choice.count() - 1)
        label.setBuddy(choice)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(choice, 1)
        # After what the rotation does and the old token's expiry, before the question of
        # when it stops: the intro and the expiry are the layout's first two lines.
        layout.insertLayout(2, row)
        self._destination = choice

    def destination(self) -> str | None:
        """The destination chosen for the new token (None: shown here)."""
        if self._destination is None:
            return None
        chosen = self._destination.currentData()
        return chosen if isinstance(chosen, str) else None

    def choose_destination(self, name: str | None) -> None:
        if self._destination is not None:
            self._destination.setCurrentIndex(max(0, self._destination.findData(name)))

    def refusal(self) -> str | None:
        """Why this token cannot be rotated, or None when the dialog asks for a grace."""
        return self._refusal

    def default_button(self) -> QPushButton:
        """Rotate, or Close when the token cannot be rotated: what Enter presses."""
        return self._default_button

    def grace(self) -> timedelta:
        return GRACE_CHOICES[max(0, self._choices.checkedId())][1]

    def choose(self, index: int) -> None:
        """Select the ``index``-th grace choice (as a click on it would)."""
        self._choices.button(index).setChecked(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter presses the focused button, else the default one (Rotate, or Close), in
        every style: QDialog leaves this to the style's auto-default rules, under which
        some themes (GTK's dark one) pressed nothing from a radio button."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            focused = self.focusWidget()
            target = (
                focused
                if isinstance(focused, QPushButton) and focused.isEnabled()
                else self._default_button
            )
            event.accept()
            target.click()
            return
        super().keyPressEvent(event)

    def accept(self) -> None:
        if self._refusal is not None:
            self.reject()
            return
        grace = self.grace()
        destination = self.destination()
        super().accept()
        if destination is not None and self._on_push is not None:
            self._on_push(grace, destination)
        else:
            self._on_rotate(grace)
