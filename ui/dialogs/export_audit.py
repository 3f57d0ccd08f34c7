"""Audit log > Export…: where to (a file dialog: JSON Lines or CSV), then the project's
events written off the GUI thread, with a progress dialog that can cancel.

The file is written by ``ui.audit_files``: whole or not at all, owner-only.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QDir, QObject, QStandardPaths, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from app.audit_chain import ChainedEvent
from ui.audit_files import CSV, JSONL, ExportCancelled, format_of, write_events
from ui.audit_search import closed_after
from ui.background import WriteRunner
from ui.dialogs import messages
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import TranslationContext, arg, counted

TITLE = QT_TRANSLATE_NOOP("ExportAudit", "Export the audit log")
FILTERS = {
    JSONL: QT_TRANSLATE_NOOP("ExportAudit", "JSON Lines (*.jsonl)"),
    CSV: QT_TRANSLATE_NOOP("ExportAudit", "CSV for spreadsheets (*.csv)"),
}
FAILED = QT_TRANSLATE_NOOP("ExportAudit", "Could not export the audit log")
# A quick export finishes before this: no dialog flashes up and away.
SHOW_PROGRESS_AFTER_MS = 400


class ExportSource(Protocol):
    """What Export… needs of the service."""

    def export_audit(
        self, since: datetime | None = ..., *, project: str | None = ...
    ) -> Iterator[ChainedEvent]: ...


class ExportAudit(TranslationContext):
    """The context Export…'s texts are translated in."""


class _Progress(QObject):
    """Lives in the GUI thread; the export's thread emits ``counted``, and since the
    receiver is this object's own slot, Qt queues the call to the GUI thread."""

    counted = Signal(int)

    def __init__(self, dialog: QProgressDialog, project: str) -> None:
        super().__init__(dialog)
        self._dialog = dialog
        self._project = project
        self.counted.connect(self._show)

    @Slot(int)
    def _show(self, count: int) -> None:
        said = ExportAudit.tr("Exporting the audit log of %1: %Ln event(s) so far…", "", count)
        self._dialog.setLabelText(arg(counted(said, count), self._project))


class AuditExport(QObject):
    """Export… of the audit log pane: ``ask`` for a file, then ``export`` to it through
    the pane's runner (one at a time, with Verify). ``status_message`` says how it went."""

    status_message = Signal(str)

    def __init__(self, service: ExportSource, runner: WriteRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._widget = parent
        self._progress: QProgressDialog | None = None

    def progress_dialog(self) -> QProgressDialog | None:
        """The progress dialog of the export running, if any (shown once it is slow)."""
        return self._progress

    def ask(self, project: str) -> QFileDialog:
        """Ask where to (JSON Lines or CSV, by the filter or the name's extension), then
        export ``project``'s events there."""
        dialog = QFileDialog(self._widget, QCoreApplication.translate("ExportAudit", TITLE))
        dialog.setObjectName("exportAuditDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        filters = {
            QCoreApplication.translate("ExportAudit", text): file_format
            for file_format, text in FILTERS.items()
        }
        dialog.setNameFilters(list(filters))
        dialog.setDefaultSuffix(JSONL)
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialog.setDirectory(folder if folder and QDir(folder).exists() else QDir.homePath())
        dialog.selectFile(suggested_name(project, date.today()))

        def filter_chosen(chosen: str) -> None:
            file_format = filters.get(chosen, JSONL)
            dialog.setDefaultSuffix(file_format)
            typed = dialog.selectedFiles()
            if len(typed) == 1 and format_of(Path(typed[0]), "") not in ("", file_format):
                dialog.selectFile(Path(typed[0]).with_suffix(f".{file_format}").name)

        def chosen_file(path: str) -> None:
            file_format = format_of(Path(path), filters.get(dialog.selectedNameFilter(), JSONL))
            self.export(project, Path(path), file_format)

        dialog.filterSelected.connect(filter_chosen)
        dialog.fileSelected.connect(chosen_file)
        dialog.open()
        return dialog

    def export(self, project: str, target: Path, file_format: str) -> bool:
        """Write ``project``'s events to ``target`` off the GUI thread, the progress
        dialog showing once it takes a while. False, and nothing done, while the pane's
        runner is busy (a Verify, another export)."""
        if self._runner.is_busy():
            return False
        cancel = threading.Event()
        dialog = self._progress_dialog(project)
        dialog.canceled.connect(cancel.set)
        progress = _Progress(dialog, project)
        service = self._service

        def work() -> int:
            with closed_after(service.export_audit(project=project)) as events:
                return write_events(
                    events,
                    target,
                    file_format,
                    progress=progress.counted.emit,
                    cancelled=cancel.is_set,
                )

        def finished() -> None:
            dialog.reset()  # stops the clock: a dialog not shown yet never shows
            dialog.hide()
            dialog.deleteLater()
            self._progress = None

        def exported(count: int) -> None:
            finished()
            said = ExportAudit.tr("Exported %Ln event(s) to %1.", "", count)
            self.status_message.emit(arg(counted(said, count), str(target)))

        def failed(error: Exception) -> None:
            finished()
            self._failed(target, error)

        self._progress = dialog
        dialog.setValue(0)  # starts the clock: shown after SHOW_PROGRESS_AFTER_MS
        return self._runner.run(work, exported, failed)

    def _progress_dialog(self, project: str) -> QProgressDialog:
        dialog = QProgressDialog(self._widget)
        dialog.setObjectName("exportProgress")
        dialog.setWindowTitle(QCoreApplication.translate("ExportAudit", TITLE))
        dialog.setLabelText(
            arg(
                QCoreApplication.translate("ExportAudit", "Exporting the audit log of %1…"), project
            )
        )
        dialog.setCancelButtonText(QCoreApplication.translate("ExportAudit", "Cancel"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setRange(0, 0)  # how many events there are is known only at the end
        # Neither reset nor hidden by its value: a busy bar's value is its maximum.
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
        return dialog

    def _failed(self, target: Path, error: Exception) -> None:
        if isinstance(error, ExportCancelled):
            self.status_message.emit(
                QCoreApplication.translate("ExportAudit", "Export cancelled: no file was written.")
            )
            return
        action = QCoreApplication.translate("ExportAudit", FAILED)
        if isinstance(error, OSError):
            messages.show_message(
                self._widget,
                action,
                arg(
                    QCoreApplication.translate("ExportAudit", "%1 could not be written: %2."),
                    str(target),
                    error.strerror or str(error),
                ),
                QCoreApplication.translate("ExportAudit", "Nothing was written."),
            )
            return
        messages.show_error(self._widget, action, error)


def suggested_name(project: str, day: date) -> str:
    """``audit-<project>-<date>.jsonl``, the project's name made safe for a file name."""
    safe = re.sub(r"[^\w.-]+", "-", project).strip("-.") or "project"
    return f"audit-{safe}-{day.isoformat()}.{JSONL}"
