"""Writing a project's audit events to a file, as Export… does: JSON Lines (the lines
``audit export`` prints) or CSV for a spreadsheet.

The file appears whole or not at all: the events go to a temporary file beside it,
created owner-only (0600, like the app's database), renamed over the chosen name only
once every event is written. Cancelling, or a failure, removes the temporary file.
Events hold masked previews only: never a plaintext.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from app.audit_chain import ChainedEvent
from app.audit_export import jsonl_record

JSONL = "jsonl"
CSV = "csv"
FORMATS = (JSONL, CSV)
# The CSV's columns, in this order: the JSON Lines keys.
CSV_COLUMNS = ("seq", "hash", "at", "actor", "action", "project", "token_id", "preview", "detail")
# Progress is reported at most this often: a million events stay a few hundred signals.
PROGRESS_EVERY_S = 0.1
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# OWASP's defence: such a cell is written with a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportCancelled(Exception):
    """The user cancelled: nothing was written."""


def format_of(path: Path, chosen: str) -> str:
    """The format a file is written in: its extension's, else the one ``chosen``."""
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else chosen


def write_events(
    events: Iterable[ChainedEvent],
    target: Path,
    file_format: str,
    *,
    progress: Callable[[int], object] = lambda _count: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> int:
    """Write ``events`` to ``target`` in ``file_format``; returns how many were written.

    ``progress(count)`` is told the count now and then; ``cancelled()`` is asked before
    each event and before the rename: True raises ``ExportCancelled``. Raises OSError
    when the file cannot be written; ``target`` is then left as it was.
    """
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format {file_format!r}")
    descriptor, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            count = _write(out, events, file_format, progress, cancelled)
            out.flush()
            os.fsync(out.fileno())
        if cancelled():
            raise ExportCancelled
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    progress(count)
    return count


def _write(
    out: TextIO,
    events: Iterable[ChainedEvent],
    file_format: str,
    progress: Callable[[int], object],
    cancelled: Callable[[], bool],
) -> int:
    if file_format == CSV:
        writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(CSV_COLUMNS)
    count = 0
    told = time.monotonic()
    for event in events:
        if cancelled():
            raise ExportCancelled
        record = jsonl_record(event)
        if file_format == CSV:
            writer.writerow([_cell(record[column]) for column in CSV_COLUMNS])
        else:
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        count += 1
        if time.monotonic() - told >= PROGRESS_EVERY_S:
            told = time.monotonic()
            progress(count)
    return count


def _cell(value: object) -> str:
    """A CSV cell: empty for null, a text a spreadsheet would run defused."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
