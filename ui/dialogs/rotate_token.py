"""Rotate…: when the old token stops working, asked before its successor is made."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.records import TokenRecord
from ui.relative_time import exact

TITLE = "Rotate deployment token"
ROTATE = "Rotate"
# When the old token stops working, as offered; Immediately (no grace) is the default,
# like GitLab's rotate: a leaked token should not keep working by accident.
GRACE_CHOICES = (
    ("Immediately", timedelta(0)),
    ("In 1 hour", timedelta(hours=1)),
    ("In 24 hours", timedelta(hours=24)),
    ("In 7 days", timedelta(days=7)),
)


class RotateTokenDialog(QDialog):
    """Asks when the old token stops; calls ``on_rotate(grace)`` only on Rotate."""

    def __init__(
        self,
        record: TokenRecord,
        on_rotate: Callable[[timedelta], None],
        now: datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rotateTokenDialog")
        self.setWindowTitle(TITLE)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._on_rotate = on_rotate

        intro = QLabel(
            f"A new token replaces {record.preview} (“{record.name}”), with the same name, "
            "environments and lifetime. It is shown once, like any new token."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        current = QLabel(
            "The old token never expires."
            if record.expires_at is None
            else f"The old token now expires {exact(record.expires_at)}."
        )
        current.setObjectName("currentExpiry")
        question = QLabel("When should the old token stop working?")

        self._choices = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(current)
        layout.addWidget(question)
        for index, (text, grace) in enumerate(GRACE_CHOICES):
            radio = QRadioButton(text)
            radio.setObjectName(f"grace{index}")
            if grace and record.expires_at is not None and now + grace > record.expires_at:
                radio.setToolTip("No later than it expires anyway")
            self._choices.addButton(radio, index)
            layout.addWidget(radio)
        self._choices.button(0).setChecked(True)

        buttons = QDialogButtonBox()
        rotate = buttons.addButton(ROTATE, QDialogButtonBox.ButtonRole.AcceptRole)
        rotate.setObjectName("rotateButton")
        rotate.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def grace(self) -> timedelta:
        return GRACE_CHOICES[max(0, self._choices.checkedId())][1]

    def choose(self, index: int) -> None:
        """Select the ``index``-th grace choice (as a click on it would)."""
        self._choices.button(index).setChecked(True)

    def accept(self) -> None:
        grace = self.grace()
        super().accept()
        self._on_rotate(grace)
