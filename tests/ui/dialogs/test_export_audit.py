"""Audit log > Export… (ui/dialogs/export_audit.py): the file dialog, JSON Lines or CSV
by the filter or the name, written in the background with a progress dialog that
cancels, leaving no file behind."""

from __future__ import annotations

import csv
import json
import stat
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QMessageBox

from app.audit_chain import ChainedEvent
from app.audit_export import jsonl_record
from app.service import TokenService
from tests.support.ui import (
    button,
    click,
    click_list_item,
    click_row_with_text,
    project_sidebar,
    sidebar,
)
from ui.audit_files import JSONL
from ui.dialogs.export_audit import suggested_name
from ui.pages.audit_log import AuditPane


@pytest.fixture
def web_log(service: TokenService, web_project: str) -> TokenService:
    service.add_project("api")
    first, _ = service.generate("web", "one")
    service.generate("api", "elsewhere")
    service.generate("web", "two")
    service.revoke("web", first.id)
    return service


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "exports"
    made.mkdir()
    return made


def open_audit_log(qtbot, window) -> AuditPane:
    click_list_item(qtbot, sidebar(window), "Projects")
    click_row_with_text(qtbot, window.projects_page().table(), "web")
    click_list_item(qtbot, project_sidebar(window), "Audit log")
    return window.project_page().audit_pane()


def file_dialog(qtbot, pane: AuditPane) -> QFileDialog:
    click(qtbot, pane.export_button())
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QFileDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QFileDialog)
    return dialog


def exported_to(qtbot, pane: AuditPane, dialog: QFileDialog, path: Path) -> str:
    """Choose ``path`` and Save; what the status bar is then told."""
    dialog.selectFile(str(path))
    with qtbot.waitSignal(pane.status_message) as said:
        dialog.accept()
    qtbot.waitUntil(lambda: not pane.is_busy())
    return said.args[0]


def test_export_writes_the_project_s_events_as_json_lines(qtbot, window, web_log, folder):
    pane = open_audit_log(qtbot, window)
    asked = date.today()
    dialog = file_dialog(qtbot, pane)
    assert dialog.windowTitle() == "Export the audit log"
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert dialog.nameFilters() == ["JSON Lines (*.jsonl)", "CSV for spreadsheets (*.csv)"]
    # The name suggested: the project and today, as JSON Lines.
    # Today: the day the test asked, or the next if midnight passed in between.
    days = {asked, date.today()}
    assert Path(dialog.selectedFiles()[0]).name in {
        f"audit-web-{d.isoformat()}.jsonl" for d in days
    }
    target = folder / "web.jsonl"
    said = exported_to(qtbot, pane, dialog, target)
    assert said == f"Exported 3 events to {target}."
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert lines == [jsonl_record(e) for e in web_log.export_audit(project="web")]
    assert [line["action"] for line in lines] == ["generated", "generated", "revoked"]
    assert {line["project"] for line in lines} == {"web"}  # api's event is not web's
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["web.jsonl"]


def test_export_writes_csv_when_the_csv_filter_is_chosen(qtbot, window, web_log, folder):
    pane = open_audit_log(qtbot, window)
    dialog = file_dialog(qtbot, pane)
    # As a user picks the file type: its combo box in the dialog, chosen and activated.
    types = dialog.findChild(QComboBox, "fileTypeCombo")
    types.setCurrentIndex(1)
    types.textActivated.emit(types.currentText())
    assert dialog.defaultSuffix() == "csv"
    # The name suggested follows the type.
    assert Path(dialog.selectedFiles()[0]).suffix == ".csv"
    said = exported_to(qtbot, pane, dialog, folder / "web")  # no extension: the filter's
    target = folder / "web.csv"
    assert said == f"Exported 3 events to {target}."
    with target.open(encoding="utf-8", newline="") as opened:
        rows = list(csv.reader(opened))
    assert rows[0] == [
        "seq",
        "hash",
        "at",
        "actor",
        "action",
        "project",
        "token_id",
        "preview",
        "detail",
    ]
    events = list(web_log.export_audit(project="web"))
    assert [row[0] for row in rows[1:]] == [str(e.seq) for e in events]
    assert [row[1] for row in rows[1:]] == [e.hash for e in events]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_name_s_extension_wins_over_the_filter(qtbot, window, web_log, folder):
    pane = open_audit_log(qtbot, window)
    dialog = file_dialog(qtbot, pane)
    target = folder / "for-the-siem.csv"
    exported_to(qtbot, pane, dialog, target)
    assert target.read_text(encoding="utf-8").startswith("seq,hash,")


class HeldExport:
    """The service, with an export that waits after its first event until released: a
    large log, as far as the window can tell."""

    def __init__(self, service: TokenService) -> None:
        self._service = service
        self.started = threading.Event()
        self.released = threading.Event()

    def __getattr__(self, name: str) -> object:
        return getattr(self._service, name)

    def export_audit(
        self, since: datetime | None = None, *, project: str | None = None
    ) -> Iterator[ChainedEvent]:
        for index, event in enumerate(self._service.export_audit(since, project=project)):
            yield event
            if index == 0:
                self.started.set()
                self.released.wait(10)


def test_cancel_stops_the_export_and_leaves_no_file(qtbot, web_log, folder):
    held = HeldExport(web_log)
    pane = AuditPane(held)  # type: ignore[arg-type]
    qtbot.addWidget(pane)
    pane.show()
    pane.show_project("web")
    target = folder / "web.jsonl"
    try:
        assert pane.exports().export("web", target, JSONL)
        assert held.started.wait(10)
        progress = pane.exports().progress_dialog()
        assert progress is not None
        # Shown once the export takes a while; its bar says it is busy, with a count.
        qtbot.waitUntil(progress.isVisible)
        assert progress.windowTitle() == "Export the audit log"
        assert progress.labelText().startswith("Exporting the audit log of web")
        assert not pane.export_button().isEnabled()  # one at a time
        assert not pane.verify_button().isEnabled()
        with qtbot.waitSignal(pane.status_message) as said:
            click(qtbot, button(progress, "Cancel"))
            held.released.set()
    finally:
        held.released.set()
    qtbot.waitUntil(lambda: not pane.is_busy())
    assert said.args[0] == "Export cancelled: no file was written."
    assert list(folder.iterdir()) == []
    assert pane.export_button().isEnabled()
    assert pane.verify_button().isEnabled()


def test_a_file_that_cannot_be_written_is_said_and_nothing_is_left(qtbot, window, web_log, folder):
    pane = open_audit_log(qtbot, window)
    target = folder / "gone" / "web.jsonl"
    assert pane.exports().export("web", target, JSONL)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert box.windowTitle() == "Could not export the audit log"
    assert box.text() == f"{target} could not be written: No such file or directory."
    assert box.informativeText() == "Nothing was written."
    box.close()
    assert list(folder.iterdir()) == []


def test_the_suggested_name_is_safe_for_any_file_system():
    day = date(2026, 3, 4)
    assert suggested_name("web", day) == "audit-web-2026-03-04.jsonl"
    assert suggested_name("payments / EU: live", day) == "audit-payments-EU-live-2026-03-04.jsonl"
    assert (
        suggested_name("Zahlungsdienst Köln", day) == "audit-Zahlungsdienst-Köln-2026-03-04.jsonl"
    )
    assert suggested_name("../..", day) == "audit-project-2026-03-04.jsonl"
