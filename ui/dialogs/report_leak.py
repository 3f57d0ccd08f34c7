"""Report a leaked token: paste the text it was seen in, see what it holds, revoke it.

The pasted text is searched here and kept nowhere: not in the undo history, not after the
dialog closes. What the dialog shows of a token is its masked preview, its project and
its name; the revocation is one audited step ("leaked: found in …"), after a
confirmation whose default is Cancel.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QMimeData, Qt, Signal
from PySide6.QtGui import QClipboard, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import leaks, tokens
from app.errors import DeploymentTokensError
from app.use_cases.leak_response import (
    ALREADY_REVOKED,
    REVOKED,
    SOURCE_MAX_LENGTH,
    UNKNOWN,
    WOULD_BE_REVOKED,
    LeakFinding,
)
from ui import access
from ui.access import Permissions
from ui.background import Connections, WriteRunner
from ui.dialogs.messages import confirm_destructive, sentence
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import counted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

# In English, as tests find them; shown in the user's language.
TITLE = QT_TRANSLATE_NOOP("ReportLeakDialog", "Report a leaked token")
FIND = QT_TRANSLATE_NOOP("ReportLeakDialog", "Find tokens")
CLOSE = QT_TRANSLATE_NOOP("ReportLeakDialog", "Close")
REVOKE = QT_TRANSLATE_NOOP("ReportLeakDialog", "Revoke")
COLUMNS = (
    QT_TRANSLATE_NOOP("ReportLeakDialog", "Project"),
    QT_TRANSLATE_NOOP("ReportLeakDialog", "Name"),
    QT_TRANSLATE_NOOP("ReportLeakDialog", "Token"),
    QT_TRANSLATE_NOOP("ReportLeakDialog", "Outcome"),
)
# What the service found each token to be (its words, as the command line prints them).
OUTCOMES = {
    REVOKED: QT_TRANSLATE_NOOP("ReportLeakDialog", "revoked"),
    WOULD_BE_REVOKED: QT_TRANSLATE_NOOP("ReportLeakDialog", "would be revoked"),
    ALREADY_REVOKED: QT_TRANSLATE_NOOP("ReportLeakDialog", "already revoked"),
    UNKNOWN: QT_TRANSLATE_NOOP("ReportLeakDialog", "unknown"),
}

RevokeLeaked = Callable[..., list[LeakFinding]]
CLIPBOARD_CLEARED = QT_TRANSLATE_NOOP(
    "ReportLeakDialog", "The clipboard held the pasted text: it has been cleared."
)


class LeakTextField(QPlainTextEdit):
    """Where the leak is pasted. It remembers whether a token came from the clipboard
    (as a keyed fingerprint, as SecretClipboard does, never the text), so that the
    clipboard can be cleared of it once the text has been searched."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # os.urandom, as SecretClipboard does: secrets would import hmac at once.
        self._key = os.urandom(32)
        self._pasted: bytes | None = None

    def insertFromMimeData(self, source: QMimeData) -> None:
        text = source.text()
        clipboard = QGuiApplication.clipboard()
        if (
            text
            and tokens.contains_token(text)
            and text == clipboard.text(QClipboard.Mode.Clipboard)
        ):
            self._pasted = self._fingerprint(text)
        del text
        super().insertFromMimeData(source)

    def clear_clipboard_of_paste(self) -> bool:
        """Clear the clipboard if it still holds the text with a token pasted here;
        leave anything copied since alone. Whether it was cleared."""
        pasted, self._pasted = self._pasted, None
        if pasted is None:
            return False
        import hmac  # on first use, as SecretClipboard does (test_import_budget)

        clipboard = QGuiApplication.clipboard()
        current = clipboard.text(QClipboard.Mode.Clipboard)
        if not hmac.compare_digest(self._fingerprint(current), pasted):
            return False
        clipboard.clear(QClipboard.Mode.Clipboard)
        return True

    def _fingerprint(self, text: str) -> bytes:
        import hmac

        return hmac.new(self._key, text.encode("utf-8", "surrogatepass"), "sha256").digest()


class ReportLeakDialog(QDialog):
    """Finds the tokens in pasted text and revokes the live ones on confirmation.

    ``revoke_leaked`` is the service's (``found, source=…, dry_run=…``).
    """

    revoked = Signal(int)  # how many tokens were revoked

    def __init__(
        self,
        revoke_leaked: RevokeLeaked,
        connections: Connections,
        parent: QWidget | None = None,
        *,
        permissions: Callable[[str], Permissions] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportLeakDialog")
        self.setWindowTitle(self.tr(TITLE))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(True)
        self.resize(640, 480)
        self._revoke_leaked = revoke_leaked
        # This role's level on a project: revoking a leaked token needs manager on its
        # project (None: no access control, as on SQLite).
        self._permissions = permissions
        self._refusal: str | None = None
        self._found: list[str] = []
        self._findings: list[LeakFinding] = []

        intro = QLabel(
            self.tr(
                "Paste the text where a token was seen: a ticket, a log, a chat message, a "
                "scanner's report. It is searched here and kept nowhere."
            )
        )
        intro.setWordWrap(True)

        self._text = self._leak_text_field()
        self._source = self._source_field()
        form = QFormLayout()
        source_label = QLabel(self.tr("&Found in:"))
        source_label.setBuddy(self._source)
        form.addRow(source_label, self._source)

        self._summary = QLabel("")
        self._summary.setObjectName("leakSummary")
        self._summary.setWordWrap(True)
        self._summary.setTextFormat(Qt.TextFormat.PlainText)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._text, 1)
        layout.addLayout(form)
        layout.addWidget(self._summary)
        self._table = _findings_table()
        layout.addWidget(self._table, 1)
        layout.addWidget(self._buttons())
        # The revocation runs off the GUI thread; the buttons wait while it is slow.
        self._writes = WriteRunner(
            connections, self, controls=[self._revoke_button, self._close_button]
        )
        self._text.setFocus()

    def _leak_text_field(self) -> LeakTextField:
        field = LeakTextField()
        field.setObjectName("leakText")
        field.setAccessibleName(self.tr("Text with the leaked token"))
        # The undo history would keep the pasted text after it is cleared.
        field.setUndoRedoEnabled(False)
        field.textChanged.connect(self._text_changed)
        return field

    def _source_field(self) -> QLineEdit:
        """Where the token was found: the audit log records it with the revocation."""
        field = QLineEdit()
        field.setObjectName("leakSource")
        field.setAccessibleName(self.tr("Where the token was found"))
        field.setPlaceholderText(self.tr("for example, ticket OPS-123 (recorded in the audit log)"))
        field.setMaxLength(SOURCE_MAX_LENGTH)
        return field

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self._find_button = QPushButton(self.tr(FIND))
        self._find_button.setObjectName("findButton")
        self._find_button.setDefault(True)
        self._find_button.setEnabled(False)
        self._find_button.clicked.connect(self.find_tokens)
        self._revoke_button = QPushButton(self.tr("Revoke…"))
        self._revoke_button.setObjectName("revokeLeakedButton")
        self._revoke_button.setEnabled(False)
        self._revoke_button.clicked.connect(self.confirm_revoke)
        buttons.addButton(self._find_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self._revoke_button, QDialogButtonBox.ButtonRole.ActionRole)
        self._close_button = buttons.addButton(
            self.tr(CLOSE), QDialogButtonBox.ButtonRole.RejectRole
        )
        self._close_button.setObjectName("closeButton")
        buttons.rejected.connect(self.reject)
        return buttons

    # What tests reach for

    def text_field(self) -> QPlainTextEdit:
        return self._text

    def source_field(self) -> QLineEdit:
        return self._source

    def findings_table(self) -> QTableWidget:
        return self._table

    def summary(self) -> str:
        return self._summary.text()

    def revoke_button(self) -> QPushButton:
        return self._revoke_button

    # Finding and revoking

    def find_tokens(self) -> None:
        """Search the pasted text and show what each token is (nothing is changed)."""
        if self._writes.is_busy():
            return
        try:
            self._found = leaks.find_tokens([self._text.toPlainText()])
        except leaks.TooManyTokens as too_many:
            self._found = too_many.found
        self._forget_text()
        cleared = self._text.clear_clipboard_of_paste()
        if not self._found:
            self._show([], self.tr("No deployment token was found in the text."))
            return
        self._run(dry_run=True, clipboard_cleared=cleared)

    def confirm_revoke(self) -> QMessageBox | None:
        if self._refusal is not None:
            return None
        live = _live(self._findings)
        question = self.tr("Revoke %n token(s) found in the text?", "", live)
        source = (
            "Automation that uses it/them stops working at once. The audit log records "
            "it/them as leaked, with where it was/they were found. This cannot be undone."
        )
        consequence = self.tr(
            "Automation that uses it/them stops working at once. The audit log records "
            "it/them as leaked, with where it was/they were found. This cannot be undone.",
            "",
            live,
        )
        return confirm_destructive(
            self,
            "confirmRevokeLeakedBox",
            self.tr(TITLE),
            counted(question, live),
            counted(consequence, live, source),
            (self.tr(REVOKE), "revokeButton"),
            lambda: self._run(dry_run=False),
        )

    def is_busy(self) -> bool:
        """Whether the tokens found are still being revoked."""
        return self._writes.is_busy()

    def _run(self, *, dry_run: bool, clipboard_cleared: bool = False) -> None:
        """Look the tokens found up, or revoke them, off the GUI thread: the service does
        both in one write transaction, which waits for a lock held elsewhere."""
        found, source = list(self._found), self._source.text() or None

        def answered(findings: list[LeakFinding]) -> None:
            self._answered(findings, dry_run=dry_run)
            if clipboard_cleared:
                self._summary.setText(f"{self._summary.text()} {self.tr(CLIPBOARD_CLEARED)}")

        self._writes.run(
            lambda: self._revoke_leaked(found, source=source, dry_run=dry_run),
            answered,
            self._refused,
        )

    def _refused(self, error: Exception) -> None:
        if not isinstance(error, DeploymentTokensError):
            raise error  # a bug: the app's handler of unexpected errors reports it
        self._show([], self.tr("Nothing was changed: %1").replace("%1", sentence(str(error))))

    def _answered(self, findings: list[LeakFinding], *, dry_run: bool) -> None:
        revoked = sum(f.outcome == REVOKED for f in findings)
        if dry_run:
            live = sum(f.outcome == WOULD_BE_REVOKED for f in findings)
            found = self.tr("Found %n token(s);", "", len(findings))
            source = "%n still work(s) and can be revoked."
            works = self.tr("%n still work(s) and can be revoked.", "", live)
            said = f"{counted(found, len(findings))} {counted(works, live, source)}"
        else:
            source = "Revoked %n token(s). The audit log records where it was/they were found."
            done = self.tr(
                "Revoked %n token(s). The audit log records where it was/they were found.",
                "",
                revoked,
            )
            said = counted(done, revoked, source)
            self._found = []  # nothing is left to do with them
        self._show(findings, said)
        if revoked:
            self.revoked.emit(revoked)

    def _show(self, findings: list[LeakFinding], summary: str) -> None:
        self._findings = findings
        self._summary.setText(summary)
        self._table.setRowCount(len(findings))
        for row, finding in enumerate(findings):
            outcome = OUTCOMES.get(finding.outcome)
            cells = (
                finding.project or "-",
                finding.name or "-",
                finding.preview,
                finding.outcome if outcome is None else self.tr(outcome),
            )
            for column, text in enumerate(cells):
                self._table.setItem(row, column, QTableWidgetItem(text))
        self._table.setVisible(bool(findings))
        live = _live(findings)
        self._refusal = self._revoke_refusal(findings)
        access.show_refusal(self._revoke_button, self._refusal)
        self._revoke_button.setEnabled(live > 0 and self._refusal is None)
        revoke = self.tr("Revoke %n token(s)…", "", live)
        self._revoke_button.setText(counted(revoke, live) if live else self.tr("Revoke…"))

    def _revoke_refusal(self, findings: list[LeakFinding]) -> str | None:
        """Why this role may not revoke the live tokens found (the first project of
        theirs it is below manager on), or None. The database refuses a report holding
        one such token whole."""
        if self._permissions is None:
            return None
        for project in dict.fromkeys(
            f.project for f in findings if f.outcome == WOULD_BE_REVOKED and f.project
        ):
            try:
                refusal = self._permissions(project).refusal(access.MANAGER)
            except DeploymentTokensError:
                continue  # the database decides when Revoke runs, and says why
            if refusal is not None:
                return refusal
        return None

    def _text_changed(self) -> None:
        self._find_button.setEnabled(bool(self._text.toPlainText().strip()))

    def _forget_text(self) -> None:
        """The text has been searched: it is not kept (the tokens found are, until the
        dialog closes, to be revoked)."""
        self._text.blockSignals(True)
        self._text.setPlainText("")
        self._text.blockSignals(False)
        self._find_button.setEnabled(False)
        self._text.setPlaceholderText(
            self.tr("Searched and cleared. Paste more text to search again.")
        )

    def reject(self) -> None:
        if not self._writes.is_busy():  # a revocation cannot be called back: wait for it
            super().reject()

    def done(self, result: int) -> None:
        self._forget_text()
        self._text.clear_clipboard_of_paste()
        self._found = []
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._forget_text()
        self._text.clear_clipboard_of_paste()
        self._found = []
        super().closeEvent(event)


def _live(findings: list[LeakFinding]) -> int:
    return sum(f.outcome == WOULD_BE_REVOKED for f in findings)


def _findings_table() -> QTableWidget:
    table = QTableWidget(0, len(COLUMNS))
    table.setObjectName("leakFindings")
    table.setAccessibleName(QCoreApplication.translate("ReportLeakDialog", "Tokens found"))
    table.setHorizontalHeaderLabels(
        [QCoreApplication.translate("ReportLeakDialog", column) for column in COLUMNS]
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.hide()
    return table


def open_report_leak(
    parent: QWidget, service: TokenService, on_revoked: Callable[[int], None]
) -> ReportLeakDialog:
    """Open the dialog over ``parent``; ``on_revoked`` hears how many were revoked."""
    dialog = ReportLeakDialog(
        service.revoke_leaked,
        service,
        parent,
        permissions=None
        if service.storage.is_sqlite
        else lambda project: access.read_project(service, project),
    )
    dialog.revoked.connect(on_revoked)
    dialog.open()
    return dialog
