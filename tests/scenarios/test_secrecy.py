"""No plaintext token, nor any piece of its random part, is stored or logged anywhere."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing

from app import config, open_service, tokens
from app.cli import main

# A run of this many random characters is what "a piece of the random part" means: long
# enough that no unrelated byte string in a database page matches it by chance.
PIECE = 8


def pieces(plaintext):
    random_part = plaintext[len(tokens.PREFIX) : len(tokens.PREFIX) + tokens.RANDOM_LENGTH]
    return {random_part[i : i + PIECE] for i in range(len(random_part) - PIECE + 1)}


def leaks(places, plaintexts):
    """The names of the places that hold any piece of any token: never the token itself."""
    found = []
    for label, data in places.items():
        text = data.decode("latin-1") if isinstance(data, bytes) else data
        if any(piece in text for plaintext in plaintexts for piece in pieces(plaintext)):
            found.append(label)
    return found


def test_database_wal_and_logs_hold_no_plaintext(
    tmp_path, database_path, sqlite_url, caplog, capsys, monkeypatch, request
):
    caplog.set_level(logging.DEBUG)  # everything, peewee's SQL and parameters included
    run = lambda *argv, stdin="": cli_run(monkeypatch, sqlite_url, argv, stdin)  # noqa: E731
    run("projects", "add", "web")
    run("projects", "add", "api")
    # Holding a connection keeps SQLite from folding the WAL back into the file when each
    # command closes, so the scan sees the WAL frames as a crash would leave them.
    holder = sqlite3.connect(database_path)
    request.addfinalizer(holder.close)
    holder.execute("SELECT COUNT(*) FROM project").fetchone()
    capsys.readouterr()
    plaintexts = []
    for project in ("web", "web", "api", "web"):
        run("tokens", "generate", "--project", project, "--name", "ci")
        plaintexts.append(capsys.readouterr().out.strip())
    # The desktop app and the Python API generate through the service, which logs it.
    with open_service(sqlite_url) as service:
        plaintexts.append(service.generate("api", "through the service")[1])
    assert all(tokens.is_well_formed(p) for p in plaintexts)
    for plaintext in plaintexts:
        run("verify", stdin=plaintext)
    run("tokens", "list", "--project", "web", "--json")
    [first, *_] = [row for row in _rows(database_path)]
    run("tokens", "revoke", "--project", "web", str(first[0]))
    run("verify", stdin=plaintexts[0])
    output = capsys.readouterr()

    places = {"command output after generate": output.out + output.err}
    for suffix in ("", "-wal", "-shm"):
        side = database_path.with_name(database_path.name + suffix)
        if side.exists():
            places[f"database file{suffix}"] = side.read_bytes()
    places["log records"] = "\n".join(
        f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records
    )

    assert len(places["database file-wal"]) > 0
    assert leaks(places, plaintexts) == []
    # The scan can see what is there: the digests of the live tokens are in the file.
    salt = config.load_salt()
    stored = places["database file"] + places.get("database file-wal", b"")
    assert tokens.digest(plaintexts[1], salt).encode() in stored
    assert any("generated token" in r.getMessage() for r in caplog.records)
    assert any(r.name == "peewee" for r in caplog.records)


def test_the_scan_finds_a_plaintext_that_is_there():
    plaintext = tokens.new_token()
    assert leaks({"somewhere": b"..." + plaintext[9:20].encode() + b"..."}, [plaintext]) == [
        "somewhere"
    ]


def cli_run(monkeypatch, sqlite_url, argv, stdin):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    return main(["--database", sqlite_url, *argv])


def _rows(path):
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT id FROM deployment_token ORDER BY id").fetchall()
