"""Whether this user can change an SQLite database, and if not, what exactly is read-only.

SQLite needs more than a writable file: in WAL mode it creates ``-wal`` and ``-shm``
files beside the database, so the folder must be writable too (unless both already
exist and are writable). The driver's own words ("attempt to write a readonly database",
"unable to open database file") name neither; ``read_only_reason`` names the file or the
folder, for the window's banner and the command line's message. Qt-free, peewee-free.
"""

from __future__ import annotations

import os
from pathlib import Path

# What SQLite adds beside the database file in WAL mode.
_WAL_SIDE_FILES = ("-wal", "-shm")
CONSEQUENCE = "you can look at projects and tokens but not change them"
# The driver's read-only messages as app.store.locations.describe_error words them,
# followed by " (<location>)" (app.store.storage).
_READ_ONLY_SAID = ("the database is read-only", "the database file cannot be opened")


def _writable(path: Path) -> bool:
    # effective_ids: the kernel's answer for this process as it runs (a root whose
    # capabilities were dropped is refused too), not for its real user.
    effective = os.access in os.supports_effective_ids
    return os.access(path, os.W_OK, effective_ids=effective)


def read_only_reason(database: Path) -> str | None:
    """Why this user cannot change the SQLite database file ``database``, in one
    sentence that names what is read-only and what that means; None when it can be
    changed (or does not exist: creating it is another question)."""
    if not database.is_file():
        return None
    folder = database.parent
    if not _writable(database):
        return f"the database file {database} is read-only: {CONSEQUENCE}"
    sides = [Path(f"{database}{side}") for side in _WAL_SIDE_FILES]
    for side in sides:
        if side.exists() and not _writable(side):
            return f"the file {side} beside the database is read-only: {CONSEQUENCE}"
    if not _writable(folder) and not all(side.exists() for side in sides):
        # SQLite cannot even read a WAL database without them: nothing can be shown.
        return (
            f"the folder {folder} is read-only, and SQLite must create the database's "
            "-wal and -shm files there to open it: make the folder writable for you, or "
            "copy the database to a folder of your own"
        )
    return None


def explained(message: str) -> str:
    """``message`` (a storage error as the service words it) with a precise reason when
    it is the driver's read-only or cannot-open message about an SQLite file that is
    read-only for this user; ``message`` itself otherwise."""
    if not message.startswith(_READ_ONLY_SAID) or not message.endswith(")"):
        return message
    opened = message.rfind(" (")
    if opened < 0:
        return message
    location = Path(message[opened + 2 : -1])
    if not location.is_absolute():
        return message
    reason = read_only_reason(location)
    return message if reason is None else reason
