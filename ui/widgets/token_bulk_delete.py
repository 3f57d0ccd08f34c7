"""Deleting several tokens at once (the clean-up of expired ones): the tokens pane's
Select expired and Delete N tokens… buttons, one confirmation that lists the tokens, then
each revoked in turn off the GUI thread, with progress and the outcome."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from app import tokens
from app.errors import DeploymentTokensError, NotFoundError, StorageError
from app.records import TokenRecord
from ui.dialogs import messages
from ui.relative_time import relative
from ui.translated import TranslationContext, arg, counted
from ui.widgets.buttons import ActionButton
from ui.widgets.token_table import SELECT_EXPIRED, TokenTableView, delete_many_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService
    from ui.background import WriteRunner
    from ui.models.tokens import TokenTableModel

# Retry after reconnecting: (what failed, in the user's language; what to do again).
Retry = Callable[[str, Callable[[], None]], None]

log = logging.getLogger(__name__)

# The confirmation lists this many tokens by name and preview, then says how many more.
LISTED = 12


class TokenBulkDelete(TranslationContext):
    """The context the texts of deleting several tokens are translated in."""


def listed(records: list[TokenRecord], now: datetime | None = None) -> str:
    """One line per token, "• name (mldt_…a9Zq), last used 2 days ago", the first
    ``LISTED`` of them, then "…and 3 more tokens"."""
    lines = []
    for record in records[:LISTED]:
        line = f"\u2022 {record.name} ({record.preview})"  # the same in every language
        if now is not None:
            used = (
                TokenBulkDelete.tr("never used")
                if record.last_used_at is None
                else arg(TokenBulkDelete.tr("last used %1"), relative(record.last_used_at, now))
            )
            line = f"{line}, {used}"
        lines.append(line)
    more = len(records) - LISTED
    if more > 0:
        lines.append(counted(TokenBulkDelete.tr("…and %n more token(s)", "", more), more))
    return "\n".join(lines)


def recent_use(records: list[TokenRecord], now: datetime) -> str:
    """How many were used within the last day, as the one-token confirmation says of
    its token (the same day, ``messages.RECENT_USE``): the spec asks the user to confirm
    that no automation still depends on them."""
    recent = sum(
        1
        for record in records
        if record.last_used_at is not None and now - record.last_used_at < messages.RECENT_USE
    )
    if recent == 0:
        return TokenBulkDelete.tr("None of them was used in the last 24 hours.")
    said = TokenBulkDelete.tr(
        "Used in the last 24 hours: %n token(s). A pipeline may still depend on them.",
        "",
        recent,
    )
    return counted(said, recent)


def confirm_delete_many(
    parent: QWidget, records: list[TokenRecord], on_delete: Callable[[], None], now: datetime
) -> QMessageBox:
    """Ask once whether to revoke all of ``records``, listing them and saying how many
    were used lately; Cancel is the default. ``on_delete`` only after Delete."""
    count = len(records)
    return messages.confirm_destructive(
        parent,
        "confirmDeleteManyBox",
        TokenBulkDelete.tr("Delete deployment tokens"),
        counted(TokenBulkDelete.tr("Delete %n deployment token(s)?", "", count), count)
        + "\n\n"
        + listed(records, now),
        recent_use(records, now)
        + "\n\n"
        + TokenBulkDelete.tr(
            "Automation that uses them stops working at once: any CLI tool or CI/CD "
            "pipeline presenting one will be refused. This cannot be undone."
        ),
        (QCoreApplication.translate("Messages", messages.DELETE), "deleteButton"),
        on_delete,
    )


@dataclass
class BulkOutcome:
    """What became of each token: revoked, revoked already (elsewhere), or not revoked
    because of ``error`` (the first failure stops the rest: a database that refuses one
    write would make each of the others wait and fail the same way)."""

    revoked: list[TokenRecord] = field(default_factory=list)
    already_gone: list[TokenRecord] = field(default_factory=list)
    not_revoked: list[TokenRecord] = field(default_factory=list)
    error: Exception | None = None

    def report(self, parent: QWidget, retry: Callable[[], None]) -> QMessageBox | None:
        """Name the tokens not deleted and why; Retry (for a database error) tries them
        again."""
        error = self.error
        if error is None:
            return None
        deleted = len(self.revoked) + len(self.already_gone)
        total = deleted + len(self.not_revoked)
        if isinstance(error, DeploymentTokensError):
            why = messages.sentence(str(error))
        else:  # a bug: the details go to the log, never a traceback on screen
            log.warning("Deleting tokens: %s", tokens.redact(repr(error)))
            why = arg(
                TokenBulkDelete.tr("An unexpected error occurred (%1)."), type(error).__name__
            )
        box = messages.show_message(
            parent,
            TokenBulkDelete.tr("Some tokens were not deleted")
            if deleted
            else TokenBulkDelete.tr("Could not delete the tokens"),
            arg(
                TokenBulkDelete.tr(
                    "Deleted %1 of %2 tokens. These are not deleted and still work:"
                ),
                deleted,
                total,
            )
            + "\n"
            + listed(self.not_revoked),
            why,
            QMessageBox.Icon.Critical,
        )
        if isinstance(error, StorageError):
            messages.offer_retry(box, retry)
        return box


class BulkRevoke(QObject):
    """Revokes ``records`` one by one through the service's ``revoke``, as one write of
    the pane's WriteRunner (``work`` runs on its pool thread). ``progress`` (token id,
    how many done, of how many) comes on the GUI thread as each is done."""

    progress = Signal(int, int, int)
    # Emitted on the pool thread; received by this object's own slot, so Qt queues it to
    # the GUI thread (as ui.background's relay does).
    _step = Signal(int, int, int)

    def __init__(
        self,
        service: TokenService,
        project: str,
        records: list[TokenRecord],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._project = project
        self._records = list(records)
        self._finished = False
        self._step.connect(self._stepped)

    def work(self) -> BulkOutcome:
        """On the pool thread: revoke each, stopping at the first failure."""
        outcome = BulkOutcome()
        total = len(self._records)
        for done, record in enumerate(self._records, start=1):
            try:
                self._service.revoke(self._project, record.id)
            except NotFoundError:
                outcome.already_gone.append(record)
            except Exception as error:  # reported on the GUI thread, naming the rest
                outcome.error = error
                outcome.not_revoked = self._records[done - 1 :]
                break
            else:
                outcome.revoked.append(record)
            self._step.emit(record.id, done, total)
        return outcome

    def failed_with(self, error: Exception) -> BulkOutcome:
        """The outcome when ``work`` itself failed: nothing known to be revoked."""
        return BulkOutcome(not_revoked=list(self._records), error=error)

    def finish(self) -> None:
        """The outcome is in: steps still queued say nothing more."""
        self._finished = True
        self.deleteLater()

    @Slot(int, int, int)
    def _stepped(self, token_id: int, done: int, total: int) -> None:
        if not self._finished:
            self.progress.emit(token_id, done, total)


class BulkDelete(QObject):
    """The tokens pane's part in deleting several tokens: Select expired beside the
    count, and Delete N tokens… while several rows of ``table`` are selected, which asks
    the pane (``delete_requested``, the selected ids); then, once the pane has checked,
    one confirmation and each token revoked through the pane's ``writes``, its row gone
    as it is, and the outcome in the status bar (``status_message``). ``retry``
    reconnects before it tries the tokens not deleted again."""

    # The ids of the selected tokens, in row order: Delete N tokens… was clicked.
    delete_requested = Signal(list)
    status_message = Signal(str)

    def __init__(
        self,
        service: TokenService,
        table: TokenTableView,
        writes: WriteRunner,
        retry: Retry,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._table = table
        self._writes = writes
        self._retry = retry
        self._parent = parent
        self._project: str | None = None
        self._model: TokenTableModel | None = None
        # Beside the count: the clean-up of expired tokens, a few clicks.
        self._select_expired_button = ActionButton(
            QCoreApplication.translate("TokenTableView", SELECT_EXPIRED)
        )
        self._select_expired_button.setObjectName("selectExpiredButton")
        self._select_expired_button.setToolTip(
            TokenBulkDelete.tr("Select the expired tokens, to delete them together")
        )
        self._select_expired_button.clicked.connect(self.select_expired)
        self._delete_selected_button = ActionButton(delete_many_text(2))
        self._delete_selected_button.setObjectName("deleteSelectedButton")
        self._delete_selected_button.clicked.connect(
            lambda: self.delete_requested.emit(self._table.selected_token_ids())
        )
        self._delete_selected_button.setVisible(False)
        self._select_expired_button.setVisible(False)

    def select_expired_button(self) -> QPushButton:
        return self._select_expired_button

    def delete_selected_button(self) -> QPushButton:
        return self._delete_selected_button

    def show_project(self, project: str, model: TokenTableModel) -> None:
        """The table now shows ``project``'s tokens through ``model``, with a new
        selection to follow."""
        self._project = project
        self._model = model
        self._table.selectionModel().selectionChanged.connect(self._selection_changed)

    def select_expired(self) -> int:
        """Select the expired tokens (sorted to the top); say how many."""
        count = self._table.select_expired()
        if count:
            self._table.setFocus(Qt.FocusReason.OtherFocusReason)
            said = TokenBulkDelete.tr("Selected %n expired token(s).", "", count)
        else:
            said = TokenBulkDelete.tr("No token has expired.")
        self.status_message.emit(counted(said, count))
        return count

    def confirm(self, records: list[TokenRecord]) -> QMessageBox:
        """Ask once, listing ``records``, then revoke them one by one (Cancel: nothing)."""
        return confirm_delete_many(
            self._parent, records, lambda: self._revoke(records), self._service.now()
        )

    def _revoke(self, records: list[TokenRecord]) -> None:
        if self._model is None or self._project is None:
            return
        model = self._model
        first_row = min(
            (row for r in records if (row := model.row_of(r.id)) is not None), default=0
        )
        bulk = BulkRevoke(self._service, self._project, records, self._parent)
        bulk.progress.connect(self._progress)
        self._writes.run(
            bulk.work,
            lambda outcome: self._revoked(bulk, outcome, first_row),
            lambda error: self._revoked(bulk, bulk.failed_with(error), first_row),
        )

    def _progress(self, token_id: int, done: int, total: int) -> None:
        if self._model is not None:
            self._model.remove(token_id)
        self.status_message.emit(arg(TokenBulkDelete.tr("Deleting tokens: %1 of %2…"), done, total))

    def _revoked(self, bulk: BulkRevoke, outcome: BulkOutcome, first_row: int) -> None:
        bulk.finish()
        if self._model is None:
            return
        for record in (*outcome.revoked, *outcome.already_gone):
            self._model.remove(record.id)
        if self._model.rowCount() > 0:
            self._table.selectRow(min(first_row, self._model.rowCount() - 1))
            self._table.setFocus(Qt.FocusReason.OtherFocusReason)
        deleted = len(outcome.revoked) + len(outcome.already_gone)
        said = counted(TokenBulkDelete.tr("Deleted %n deployment token(s).", "", deleted), deleted)
        if outcome.already_gone:
            gone = len(outcome.already_gone)
            said += " " + counted(
                TokenBulkDelete.tr("%n had already been revoked elsewhere.", "", gone), gone
            )
        self.status_message.emit(said)
        if outcome.error is not None:
            left = list(outcome.not_revoked)
            outcome.report(
                self._parent,
                lambda: self._retry(
                    TokenBulkDelete.tr("Could not delete the tokens"), lambda: self._revoke(left)
                ),
            )

    def _selection_changed(self, *_changed: object) -> None:
        count = len(self._table.selected_rows())
        self._delete_selected_button.setVisible(count > 1)
        if count > 1:
            self._delete_selected_button.setText(delete_many_text(count))
