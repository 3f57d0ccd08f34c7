"""Verify's answer across the top of the audit log: intact, with the head to anchor
elsewhere; or the first broken event. Said to screen readers as it comes."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QFontDatabase,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.audit_verify import Head, Verdict
from ui import resources
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import TranslationContext, arg, counted

# How much of the head's hash the sentence shows: enough to tell heads apart at a glance;
# the whole head is in the field beside it, to copy.
SHORT_HASH = 12
BUSY, INTACT, BROKEN = "busy", "intact", "broken"
# Translucent colours over whatever the window colour is, legible in light and dark
# palettes; the text keeps the palette's own colour (as ui.widgets.banner does).
STYLE = (
    "#auditVerdict { border-radius: 6px; border: 1px solid palette(mid); }"
    '#auditVerdict[state="intact"] { background: rgba(46, 160, 67, 0.16);'
    " border-color: rgba(46, 160, 67, 0.75); }"
    '#auditVerdict[state="broken"] { background: rgba(220, 53, 69, 0.16);'
    " border-color: rgba(220, 53, 69, 0.8); }"
)
ICONS = {BUSY: "hourglass", INTACT: "check", BROKEN: "warning"}


class AuditVerdict(TranslationContext):
    """The context Verify's answers are translated in."""


def short_head(head: Head) -> str:
    """``SEQ:HASH`` with the hash cut to its first digits and "…"."""
    return f"{head.seq}:{head.hash[:SHORT_HASH]}\N{HORIZONTAL ELLIPSIS}"


def intact_text(verdict: Verdict) -> str:
    """What an intact log reads as: "Intact: 1,204 events, head 1204:ab12…", the count
    in the user's locale."""
    if verdict.head is None:
        return AuditVerdict.tr("Intact: the audit log holds no events yet.")
    said = AuditVerdict.tr("Intact: %Ln event(s), head %1", "", verdict.events)
    return arg(counted(said, verdict.events), short_head(verdict.head))


# Why a chain is broken, as app.audit_verify words it (the command line's English), and
# as the window says it in the user's language; a reason not listed stays as it is.
_REASONS = (
    (
        re.compile(r"event (\d+) was changed: its content no longer matches its hash"),
        QT_TRANSLATE_NOOP(
            "AuditVerdict", "event %1 was changed: its content no longer matches its hash"
        ),
    ),
    (
        re.compile(r"events (\d+) and (\d+) were reordered"),
        QT_TRANSLATE_NOOP("AuditVerdict", "events %1 and %2 were reordered"),
    ),
    (
        re.compile(
            r"event (\d+) does not follow from the one before it: it was changed or "
            r"inserted there"
        ),
        QT_TRANSLATE_NOOP(
            "AuditVerdict",
            "event %1 does not follow from the one before it: it was changed or inserted there",
        ),
    ),
    (
        re.compile(r"event (\d+) was removed"),
        QT_TRANSLATE_NOOP("AuditVerdict", "event %1 was removed"),
    ),
    (
        re.compile(r"events (\d+) to (\d+) were removed"),
        QT_TRANSLATE_NOOP("AuditVerdict", "events %1 to %2 were removed"),
    ),
    (
        re.compile(r"event (\d+) appears again where (\d+) belongs"),
        QT_TRANSLATE_NOOP("AuditVerdict", "event %1 appears again where %2 belongs"),
    ),
)


def reason_text(reason: str) -> str:
    """Why the chain is broken, in the user's language."""
    for pattern, source in _REASONS:
        found = pattern.fullmatch(reason)
        if found is not None:
            return arg(AuditVerdict.tr(source), *found.groups())
    return reason


def broken_text(verdict: Verdict, *, here: bool, filters_cleared: bool = False) -> str:
    """What a broken log reads as: "Broken at event 311: <why>.", and where that event
    is (``here``: highlighted in the open project's log)."""
    said = arg(
        AuditVerdict.tr("Broken at event %1: %2."),
        verdict.broken_at,
        reason_text(verdict.reason),
    )
    if here and filters_cleared:
        where = AuditVerdict.tr(
            "Its row is highlighted below; the filters were cleared to show it."
        )
    elif here:
        where = AuditVerdict.tr("Its row is highlighted below.")
    else:
        where = arg(
            AuditVerdict.tr(
                "Event %1 is not in this project's log: it is another project's, or it was removed."
            ),
            verdict.broken_at,
        )
    return f"{said} {where}"


class VerdictBanner(QFrame):
    """Hidden until Verify runs; then its answer, and for an intact log the full head
    in a read-only field and a Copy head button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditVerdict")
        self.setProperty("state", BUSY)
        self.setStyleSheet(STYLE)
        self.setAccessibleName(self.tr("Verification"))
        self._state = BUSY
        self._repolishing = False
        self._icon = QLabel()
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._text = QLabel()
        self._text.setObjectName("auditVerdictText")
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._head_row = self._head_controls()

        words = QVBoxLayout()
        words.setContentsMargins(0, 0, 0, 0)
        words.addWidget(self._text)
        words.addWidget(self._head_row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self._icon)
        layout.addLayout(words, 1)
        self.hide()

    def _head_controls(self) -> QWidget:
        row = QWidget()
        self._head = QLineEdit()
        self._head.setObjectName("auditHead")
        self._head.setReadOnly(True)
        self._head.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._head.setAccessibleName(self.tr("Audit head"))
        self._head.setToolTip(
            self.tr(
                "The newest event of the whole log, as audit head prints it. Anchor it "
                "elsewhere (a ticket, a commit): audit verify --head then proves that no "
                "event was cut off since."
            )
        )
        label = QLabel(self.tr("Hea&d:"))
        label.setBuddy(self._head)
        self._copy = QToolButton()
        self._copy.setObjectName("copyHeadButton")
        self._copy.setIcon(resources.icon("copy"))
        self._copy.setIconSize(QSize(16, 16))
        self._copy.setToolTip(self.tr("Copy head"))
        self._copy.setAccessibleName(self.tr("Copy head"))
        self._copy.clicked.connect(self.copy_head)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self._head, 1)
        layout.addWidget(self._copy)
        return row

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if resources.is_palette_change(event) and not self._repolishing:
            # The style sheet's colours, and its children's (the head's field), are
            # resolved when polished: dark mode needs them resolved again.
            self._repolishing = True
            try:
                resources.repolish(self)
            finally:
                self._repolishing = False
            self._show_icon()
            self._copy.setIcon(resources.icon("copy"))

    # What the pane and tests reach for

    def text(self) -> str:
        return self._text.text()

    def state(self) -> str:
        return self._state

    def head_field(self) -> QLineEdit:
        return self._head

    def copy_button(self) -> QToolButton:
        return self._copy

    def copy_head(self) -> None:
        """The whole head on the clipboard: it is no secret, and meant to be pasted."""
        QGuiApplication.clipboard().setText(self._head.text())

    # The three states

    def show_busy(self) -> None:
        self._show(BUSY, self.tr("Verifying the whole audit log, across all projects…"), None)

    def show_intact(self, verdict: Verdict) -> None:
        self._show(INTACT, intact_text(verdict), verdict.head)

    def show_broken(self, text: str) -> None:
        self._show(BROKEN, text, None)

    def _show(self, state: str, text: str, head: Head | None) -> None:
        self._state = state
        self.setProperty("state", state)
        resources.repolish(self)
        self._show_icon()
        self._text.setText(text)
        self._head.setText("" if head is None else str(head))
        self._head.setCursorPosition(0)
        self._head_row.setVisible(head is not None)
        self.setAccessibleDescription(text)
        self.show()
        if state != BUSY:
            self._announce(text, urgent=state == BROKEN)

    def _show_icon(self) -> None:
        self._icon.setPixmap(resources.icon(ICONS[self._state]).pixmap(QSize(20, 20)))

    def _announce(self, text: str, *, urgent: bool) -> None:
        """Say the answer to screen readers, which would not notice a label change."""
        announcement = QAccessibleAnnouncementEvent(self, text)
        if urgent:
            announcement.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(announcement)
