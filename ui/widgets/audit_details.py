"""The selected audit event whole, below the table: its place in the chain and hash,
the exact time, who, the token, and its details wrapped (the table cuts them short)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QStackedWidget, QWidget

from app.records import AuditRecord
from ui.models.audit import action_name
from ui.relative_time import exact, relative
from ui.translated import arg
from ui.widgets.hint import HintLabel

# The fields, by object name: label and value side by side, two pairs to a line (the
# time and who, the action and its place in the chain); the token, the details and the
# hash each get a line of their own.
EVENT, WHEN, ACTION, BY, TOKEN, DETAILS, HASH = (
    "eventSeq",
    "eventWhen",
    "eventAction",
    "eventBy",
    "eventToken",
    "eventDetails",
    "eventHash",
)


class AuditDetails(QFrame):
    """What the table shows of one event, and what it cannot: shown by ``show_event``,
    its hash by ``show_hash`` once read (off the GUI thread)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditDetails")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Selected event"))
        self._record: AuditRecord | None = None
        self._values: dict[str, QLabel] = {}

        self._hint = HintLabel(
            self.tr(
                "Select an event to see all of it here: its place in the chain, its hash, "
                "the exact time and its whole details."
            )
        )
        self._hint.setObjectName("auditDetailsHint")
        self._stack = QStackedWidget()
        self._stack.addWidget(self._hint)
        self._stack.addWidget(self._fields())
        self._stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self._stack)

    def _fields(self) -> QWidget:
        fields = QWidget()
        grid = QGridLayout(fields)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        # The left values (the time) are long, the right ones (a name, a number) short.
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 1)
        rows = (
            ((WHEN, self.tr("When:")), (BY, self.tr("By:"))),
            ((ACTION, self.tr("Action:")), (EVENT, self.tr("Event:"))),
            ((TOKEN, self.tr("Token:")),),
            ((DETAILS, self.tr("Details:")),),
            ((HASH, self.tr("Hash:")),),
        )
        for row, pairs in enumerate(rows):
            for place, (name, label) in enumerate(pairs):
                value = self._value(name, label)
                title = QLabel(label)
                title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                column = place * 2
                grid.addWidget(title, row, column)
                span = 1 if len(pairs) > 1 else 3
                grid.addWidget(value, row, column + 1, 1, span)
        self._values[HASH].setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._values[TOKEN].setWordWrap(True)
        self._values[DETAILS].setWordWrap(True)
        return fields

    def _value(self, name: str, label: str) -> QLabel:
        value = QLabel()
        value.setObjectName(name)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setAccessibleName(label.rstrip(":"))
        # A long hash or a word without spaces must not widen the window.
        value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        value.setMinimumWidth(1)
        self._values[name] = value
        return value

    # What the pane and tests reach for

    def record(self) -> AuditRecord | None:
        return self._record

    def value(self, name: str) -> str:
        """The text shown for the field ``name`` (EVENT, WHEN, ...)."""
        return self._values[name].text()

    def hint(self) -> QLabel:
        return self._hint

    def show_event(self, record: AuditRecord | None, now: datetime) -> None:
        """Show ``record`` whole (None: the hint to select one). Its hash is read apart:
        "…" until ``show_hash``."""
        self._record = record
        if record is None:
            self._stack.setCurrentWidget(self._hint)
            self.setAccessibleDescription("")
            return
        shown = {
            EVENT: str(record.seq),
            # The exact time first: the relative one only helps reading it.
            WHEN: f"{exact(record.occurred_at)} ({relative(record.occurred_at, now)})",
            ACTION: action_name(record.action),
            BY: record.actor,
            TOKEN: self._token(record),
            DETAILS: record.detail or "—",
            HASH: "\N{HORIZONTAL ELLIPSIS}",
        }
        for name, text in shown.items():
            self._values[name].setText(text)
        self._stack.setCurrentIndex(1)
        self._describe()

    def show_hash(self, seq: int, digest: str | None, *, failed: bool = False) -> None:
        """The hash of the event ``seq``, once read, if that event is still the one shown
        (None: the chain holds no such event any more; ``failed``: it could not be read)."""
        if self._record is None or self._record.seq != seq:
            return
        if failed:
            shown = self.tr("could not be read")
        else:
            shown = digest or self.tr("not found in the chain")
        self._values[HASH].setText(shown)
        self._describe()

    def _token(self, record: AuditRecord) -> str:
        if record.token_id is None:
            return self.tr("None: the project's own settings")
        if record.token_name:
            return arg(
                self.tr("%1 (id %2), named “%3”"),
                record.token_preview or "—",
                record.token_id,
                record.token_name,
            )
        return arg(self.tr("%1 (id %2)"), record.token_preview or "—", record.token_id)

    def _describe(self) -> None:
        """The whole event in one description, for screen readers."""
        said = "; ".join(
            f"{label.accessibleName()}: {label.text()}" for label in self._values.values()
        )
        self.setAccessibleDescription(said)
