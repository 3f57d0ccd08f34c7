"""What the command line prints: the exit codes, one-line errors, tables, JSON and times.

Errors are one line on stderr and a non-zero exit, never a traceback; what a message
quotes of user input or of a driver is shown safely (``app.shown``).
"""

from __future__ import annotations

import sys
from datetime import datetime

# typing.TYPE_CHECKING without importing typing: 2 ms of every verify, for annotations.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

PROG = "deployment-tokens"
EXIT_OK = 0
EXIT_FAILED = 1  # refused on its merits: not found, a conflict, an invalid token
EXIT_USAGE = 2  # cannot run: usage, configuration, or a database that cannot be used


def fail(message: str, code: int) -> int:
    """Say what went wrong in one line; what it quotes of user input or drivers is shown
    safely (app.shown). The driver's "read-only" about an SQLite file says which file or
    folder is read-only (app.read_only)."""
    from app import read_only, shown  # not at the top: the app's first paint skips them

    message = read_only.explained(message)
    print(f"{PROG}: {shown.for_display(message)}", file=sys.stderr)
    return code


def print_json(records: Sequence[object], keys: Sequence[str]) -> None:
    """A JSON array of objects with ``keys`` taken from each record (or mapping); times in
    ISO 8601."""
    import json

    def value(record: object, key: str) -> object:
        found = record[key] if isinstance(record, dict) else getattr(record, key)
        return found.isoformat() if isinstance(found, datetime) else found

    rows = [{key: value(record, key) for key in keys} for record in records]
    print(json.dumps(rows, indent=2, ensure_ascii=False))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def quoted(text: str) -> str:
    """``text`` as a shell word, for a command a hint suggests."""
    import shlex  # only for this hint; the app's first paint does not load it

    return shlex.quote(text)


def human(moment: datetime | None) -> str:
    return "never" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def exact(moment: datetime) -> str:
    """To the second: an audit trail is read to put events in order."""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def ago(moment: datetime, now: datetime) -> str:
    """How long before ``now``, as people say it: "3 minutes ago", "2 days ago".

    Rounded to the nearest whole unit as the desktop app rounds (``app.durations.
    nearest_unit``, which both use), so the two never disagree about one token."""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "less than a minute ago"
    from app.durations import nearest_unit  # not on verify's path

    unit, count = nearest_unit(seconds)
    return f"{count} {unit}{'' if count == 1 else 's'} ago"


def configure_logging() -> None:
    import logging

    logging.basicConfig(level=logging.WARNING, format=f"{PROG}: warning: %(message)s")
