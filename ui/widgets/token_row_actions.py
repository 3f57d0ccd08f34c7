"""What the tokens table asks of one of its tokens: rotate it (the Rotate dialog, then
the successor revealed, or pushed to a destination of the project and never shown),
delete it (after the confirmation; a token revoked elsewhere meanwhile just loses its
row), rename it in place. It also opens the reveal dialog, with Send to for the
project's destinations.

Each is one write through the tokens pane's runner, off the GUI thread; a failure is
reported by the pane, with Retry where a database error can be retried.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Protocol, cast

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import ConfigurationError, DeploymentTokensError, NotFoundError
from app.records import DestinationRecord, TokenRecord
from ui.dialogs import messages
from ui.dialogs.messages import confirm_delete
from ui.dialogs.reveal_token import RevealTokenDialog
from ui.dialogs.rotate_token import RotateTokenDialog
from ui.relative_time import local_date_time
from ui.translated import arg
from ui.widgets.token_table import TokenTableView

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService
    from app.use_cases.pushing import Pushed
    from ui.background import WriteRunner
    from ui.clipboard import SecretClipboard
    from ui.models.tokens import TokenTableModel


class Pane(Protocol):
    """What the row actions need of the tokens pane."""

    def project_name(self) -> str | None: ...
    def model(self) -> TokenTableModel | None: ...
    def is_busy(self) -> bool: ...
    def refused(self) -> bool: ...
    def report(
        self, action: str, error: object, retry: Callable[[], None] | None = None
    ) -> None: ...
    def reveal(self, record: TokenRecord, plaintext: str) -> None: ...
    def update_banner(self) -> None: ...


class TokenRowActions(QObject):
    """Rotates, deletes and renames ``pane``'s tokens, one at a time, through its
    ``writes``; ``parent`` (the pane itself) holds the dialogs and message boxes, and
    ``status_message`` says what was done."""

    status_message = Signal(str)

    def __init__(
        self,
        service: TokenService,
        table: TokenTableView,
        writes: WriteRunner,
        pane: Pane,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._table = table
        self._writes = writes
        self._pane = pane
        self._parent = parent
        # The project's destinations, read with the pane's choices (Send to, Rotate).
        self._destinations: list[DestinationRecord] = []

    def load_destinations(self, project: str) -> None:
        """Read the project's destinations again. Raises the service's errors."""
        self._destinations = self._service.list_destinations(project)

    def destinations(self) -> list[DestinationRecord]:
        return list(self._destinations)

    def reveal_dialog(
        self, record: TokenRecord, plaintext: str, clipboard: SecretClipboard
    ) -> RevealTokenDialog:
        """The reveal dialog of a token just made, with Send to for each destination."""
        return RevealTokenDialog(
            record,
            plaintext,
            clipboard,
            self._parent,
            destinations=self._destinations,
            push=functools.partial(self._service.push_token, record.project),
            connections=self._service,
        )

    # Rotate

    def request_rotate(self, token_id: int) -> None:
        model = self._pane.model()
        if (
            self._pane.refused()
            or self._pane.is_busy()
            or model is None
            or (row := model.row_of(token_id)) is None
        ):
            return
        record = model.record(row)
        self._table.selectRow(row)
        RotateTokenDialog(
            record,
            lambda grace: self._rotate(record, grace),
            self._service.now(),
            self._parent,
            successor=model.successor_of(record),
            destinations=self._destinations,
            on_push=lambda grace, name: self._rotate_and_push(record, grace, name),
        ).open()

    def _rotate(self, record: TokenRecord, grace: timedelta) -> None:
        project = self._pane.project_name()
        if self._pane.model() is None or project is None:
            return
        self._writes.run(
            lambda: self._service.rotate(project, record.id, grace=grace),
            lambda result: self._rotated(record, result),
            lambda error: self._rotate_failed(record, grace, error),
        )

    def _rotate_failed(self, record: TokenRecord, grace: timedelta, error: Exception) -> None:
        if isinstance(error, ConfigurationError):
            self._pane.update_banner()
            messages.show_configuration_error(self._parent, str(error))
            return
        self._pane.report(
            self.tr("Could not rotate the token"), error, retry=lambda: self._rotate(record, grace)
        )

    def _rotated(self, old: TokenRecord, result: tuple[TokenRecord, str]) -> None:
        record, plaintext = result
        del result
        model = self._pane.model()
        if model is not None and record.project == self._pane.project_name():
            # Both rows change (the old one retires or goes): read the table again. If that
            # read fails, the successor is still revealed; the change check reports it.
            with contextlib.suppress(DeploymentTokensError):
                model.refresh()
            row = model.row_of(record.id)
            if row is not None:
                self._table.selectRow(row)
        self._pane.reveal(record, plaintext)
        del plaintext
        self.status_message.emit(
            arg(
                self.tr("Rotated deployment token %1: the new one is %2."),
                old.preview,
                record.preview,
            )
        )

    def _rotate_and_push(self, record: TokenRecord, grace: timedelta, destination: str) -> None:
        project = self._pane.project_name()
        if self._pane.model() is None or project is None:
            return
        self._writes.run(
            lambda: self._service.rotate_and_push(project, record.id, destination, grace=grace),
            lambda pushed: self._rotated_and_pushed(record, cast("Pushed", pushed)),
            lambda error: self._push_failed(record, destination, error),
        )

    def _push_failed(self, record: TokenRecord, destination: str, error: Exception) -> None:
        model = self._pane.model()
        if model is not None:
            with contextlib.suppress(DeploymentTokensError):
                model.refresh()  # the successor made and revoked: gone from the list
        if not isinstance(error, DeploymentTokensError):
            raise error  # a bug: the app's handler of unexpected errors reports it
        # A missing credential names its variable; a failed step names the step.
        said = messages.sentence(str(error))
        messages.show_message(
            self._parent,
            self.tr("Could not rotate the token"),
            arg(self.tr("The token %1 was not rotated: %2"), record.preview, said),
            arg(
                self.tr("It still works as before; nothing was left at %1 or in the table."),
                destination,
            ),
        ).setObjectName("pushFailedBox")

    def _rotated_and_pushed(self, old: TokenRecord, pushed: Pushed) -> None:
        """Say where the new token went and when the old one stops; nothing is shown."""
        model = self._pane.model()
        new = pushed.token
        if model is not None and new.project == self._pane.project_name():
            with contextlib.suppress(DeploymentTokensError):
                model.refresh()
            row = model.row_of(new.id)
            if row is not None:
                self._table.selectRow(row)
        stops = (
            arg(self.tr("The old token %1 stops working now."), old.preview)
            if pushed.old_stops_at is None or pushed.old_stops_at <= self._service.now()
            else arg(
                self.tr("The old token %1 stops working %2."),
                old.preview,
                local_date_time(pushed.old_stops_at),
            )
        )
        said = arg(
            self.tr("The new token “%1” (%2) was pushed to %3. %4"),
            new.name,
            new.preview,
            pushed.destination,
            stops,
        )
        messages.show_message(
            self._parent,
            self.tr("Token rotated"),
            said,
            self._receipt_in_words(pushed),
            QMessageBox.Icon.Information,
        ).setObjectName("rotatedAndPushedBox")
        self.status_message.emit(said)

    def _receipt_in_words(self, pushed: Pushed) -> str:
        """ "OpenBao/Vault … (field token): read back, version 3", in the user's language."""
        # Imported here: this module loads while the window first paints.
        from ui.models.destinations import confirmation_in_words, where_in_words

        found = [d for d in self._destinations if d.name == pushed.destination]
        if not found:  # removed meanwhile: the service's own words
            return arg(self.tr("%1: %2"), pushed.receipt.where, pushed.receipt.confirmed)
        [destination] = found
        return arg(
            self.tr("%1: %2"),
            where_in_words(destination),
            confirmation_in_words(pushed.receipt, destination.kind),
        )

    # Delete

    def request_delete(self, token_id: int) -> None:
        model = self._pane.model()
        if (
            self._pane.refused()
            or self._pane.is_busy()
            or model is None
            or (row := model.row_of(token_id)) is None
        ):
            return
        record = model.record(row)
        self._table.selectRow(row)
        confirm_delete(self._parent, record, lambda: self._revoke(record), self._service.now())

    def discard(self, token_id: int) -> None:
        """Delete the token the user closed the reveal dialog on without copying it, as
        they asked there (nobody holds it)."""
        model = self._pane.model()
        if model is not None and (row := model.row_of(token_id)) is not None:
            self._revoke(model.record(row))

    def _revoke(self, record: TokenRecord) -> None:
        project = self._pane.project_name()
        if self._pane.model() is None or project is None:
            return
        self._writes.run(
            lambda: self._service.revoke(project, record.id),
            lambda _revoked: self._revoked(record),
            lambda error: self._revoke_failed(record, error),
        )

    def _revoke_failed(self, record: TokenRecord, error: Exception) -> None:
        model = self._pane.model()
        if model is None:
            return
        if isinstance(error, NotFoundError):
            model.remove(record.id)
            messages.show_message(
                self._parent,
                self.tr("Token already deleted"),
                self.tr(
                    "The token %1 had already been revoked, perhaps from another "
                    "workstation or the command line. Its row has been removed."
                ).replace("%1", record.preview),
            )
            return
        self._pane.report(
            self.tr("Could not delete the token"), error, retry=lambda: self._revoke(record)
        )

    def _revoked(self, record: TokenRecord) -> None:
        model = self._pane.model()
        if model is None:
            return
        row = model.row_of(record.id)
        model.remove(record.id)
        # The row that took its place (or the new last row), selected and focused, so
        # that the keyboard can go on: Delete, the Menu key. (With row None, a refresh
        # removed it first and selected that row.)
        if row is not None and model.rowCount() > 0:
            self._table.selectRow(min(row, model.rowCount() - 1))
        if model.rowCount() > 0:
            self._table.setFocus(Qt.FocusReason.OtherFocusReason)
        # "Deleted" as the trash icon says; "revoked" as the audit log and the CLI say it.
        self.status_message.emit(
            self.tr("Deleted deployment token %1: it is revoked and no longer verifies.").replace(
                "%1", record.preview
            )
        )

    # Rename

    def rename(self, token_id: int, name: str) -> None:
        """Store the name typed in place; the row shows it once stored."""
        project = self._pane.project_name()
        if project is None or self._pane.refused():
            return

        def renamed(record: TokenRecord) -> None:
            model = self._pane.model()
            if model is not None and record.project == self._pane.project_name():
                model.replace(record)

        if not self._writes.run(
            lambda: self._service.rename_token(project, token_id, name),
            renamed,
            lambda error: self._pane.report(self.tr("Could not rename the token"), error),
        ):
            messages.show_message(
                self._parent,
                self.tr("Could not rename the token"),
                self.tr(
                    "The name was not saved: another change to these tokens is still being "
                    "saved. Try again in a moment."
                ),
            )
