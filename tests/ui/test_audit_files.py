"""Export…'s files (ui/audit_files.py): JSON Lines as audit export prints them, CSV for a
spreadsheet, owner-only, and whole or not at all."""

from __future__ import annotations

import csv
import json
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from app.audit_chain import ChainedEvent
from app.audit_export import jsonl_record
from app.service import TokenService
from ui.audit_files import CSV, CSV_COLUMNS, JSONL, ExportCancelled, format_of, write_events


@pytest.fixture
def events(service: TokenService) -> list[ChainedEvent]:
    service.add_project("web")
    first, plaintext = service.generate("web", "ci")
    service.rename_token("web", first.id, 'ci, "quoted"')
    service.revoke_leaked([plaintext], source="ticket ✓ 42")
    del plaintext
    return list(service.export_audit(project="web"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Where the files go: a folder of their own (the test's database is in tmp_path)."""
    made = tmp_path / "exports"
    made.mkdir()
    return made


def leftovers(folder: Path, target: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != target)


def test_json_lines_are_what_audit_export_prints(folder, events):
    target = folder / "audit.jsonl"
    assert write_events(events, target, JSONL) == len(events)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [jsonl_record(e) for e in events]
    # As the command line writes them: compact, UTF-8 as is.
    assert lines[0] == json.dumps(
        jsonl_record(events[0]), ensure_ascii=False, separators=(",", ":")
    )
    assert "ticket ✓ 42" in target.read_text(encoding="utf-8")
    assert "mldt_" in lines[0]
    assert all(len(e.preview or "") < 15 for e in events)  # previews, never a token
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(folder, target) == []


def test_csv_has_a_header_and_one_row_an_event(folder, events):
    target = folder / "audit.csv"
    assert write_events(events, target, CSV) == len(events)
    with target.open(encoding="utf-8", newline="") as opened:
        rows = list(csv.reader(opened))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == len(events) + 1
    for row, event in zip(rows[1:], events, strict=True):
        record = jsonl_record(event)
        assert row[0] == str(event.seq)
        assert row[1] == event.hash
        assert row[2] == record["at"]
        assert row[6] == ("" if event.token_id is None else str(event.token_id))
        assert row[8] in (event.detail, "'" + event.detail)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_bytes().decode("utf-8")
    # RFC 4180's line ends; quoting only where a cell needs it (a comma, a quote).
    assert text.startswith("seq,hash,at,actor,action,project,token_id,preview,detail\r\n")
    assert ",web,1," in text  # not quoted
    assert '""quoted""' in text  # the name's quotes, doubled inside a quoted cell


def test_a_cell_a_spreadsheet_would_run_is_defused(folder):
    event = ChainedEvent(
        1,
        datetime(2026, 1, 1),
        "=cmd|' /C calc'!A0",
        "renamed",
        "web",
        3,
        "mldt_…abcd",
        "+1",
        "a" * 64,
    )
    target = folder / "audit.csv"
    write_events([event], target, CSV)
    with target.open(encoding="utf-8", newline="") as opened:
        row = list(csv.reader(opened))[1]
    assert row[3] == "'=cmd|' /C calc'!A0"
    assert row[8] == "'+1"
    assert row[5] == "web"  # the rest as they are


def test_cancelled_leaves_nothing_not_even_a_temporary_file(folder, events):
    target = folder / "audit.jsonl"
    asked = []

    def cancelled() -> bool:
        asked.append(True)
        return len(asked) > 2  # after two events

    with pytest.raises(ExportCancelled):
        write_events(events, target, JSONL, cancelled=cancelled)
    assert list(folder.iterdir()) == []


def test_an_existing_file_is_kept_until_the_new_one_is_whole(folder, events):
    target = folder / "audit.csv"
    target.write_text("the last export\n", encoding="utf-8")

    def failing() -> Iterator[ChainedEvent]:
        yield events[0]
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_events(failing(), target, CSV)
    assert target.read_text(encoding="utf-8") == "the last export\n"
    assert leftovers(folder, target) == []
    write_events(events, target, CSV)
    assert target.read_text(encoding="utf-8").startswith("seq,hash")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_progress_is_told_the_count(folder, events, monkeypatch):
    monkeypatch.setattr("ui.audit_files.PROGRESS_EVERY_S", 0)
    told: list[int] = []
    write_events(events, folder / "audit.jsonl", JSONL, progress=told.append)
    assert told[-1] == len(events)
    assert told == sorted(told)


def test_the_extension_chooses_the_format_else_the_filter():
    assert format_of(Path("a.CSV"), JSONL) == CSV
    assert format_of(Path("a.jsonl"), CSV) == JSONL
    assert format_of(Path("audit"), CSV) == CSV
    assert format_of(Path("audit.txt"), JSONL) == JSONL


def test_a_folder_that_cannot_be_written_raises_and_leaves_nothing(folder, events):
    with pytest.raises(FileNotFoundError):
        write_events(events, folder / "missing" / "audit.jsonl", JSONL)
    assert list(folder.iterdir()) == []
