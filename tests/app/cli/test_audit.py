"""``audit --project NAME`` (``app.cli.audit``): a project's trail, newest first, as a
table to read or JSON with the documented keys."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from app import open_service, tokens
from app.cli.audit import AUDIT_JSON_KEYS


def test_a_new_project_has_nothing_to_show(cli, web):
    empty = cli("audit", "--project", web)
    assert (empty.code, empty.out) == (0, "")
    assert empty.err == "Nothing has happened in this project yet.\n"
    assert json.loads(cli("audit", "--project", web, "--json").out) == []


def test_the_trail_is_newest_first_in_a_table_and_in_json(cli, web, database_url, store):
    # On PostgreSQL the database names its login role, whatever the client says.
    bot = "ci-bot" if store.backend == "sqlite" else store.actor
    moments = iter(datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(minutes=n) for n in range(9))
    with open_service(database_url, clock=lambda: next(moments), actor="ci-bot") as service:
        record, plaintext = service.generate(web, "deploy")
        service.revoke(web, record.id)
    preview = tokens.preview(plaintext)
    rows = json.loads(cli("audit", "--project", "web", "--json").out)
    assert [tuple(row) for row in rows] == [AUDIT_JSON_KEYS] * 2
    assert [(r["action"], r["token_id"], r["token_preview"], r["actor"]) for r in rows] == [
        ("revoked", record.id, preview, bot),
        ("generated", record.id, preview, bot),
    ]
    assert [r["project"] for r in rows] == ["Web", "Web"]
    assert rows[0]["occurred_at"] > rows[1]["occurred_at"]
    table = cli("audit", "--project", "web").out.splitlines()
    assert table[0].split() == ["WHEN", "ACTION", "TOKEN", "ID", "TOKEN", "BY", "DETAILS"]
    assert all(
        line.startswith("2026-01-01 12:0") for line in table[1:]
    )  # the clock's, to the second
    assert [line.split()[3:7] for line in table[1:]] == [
        ["revoked", str(record.id), preview, bot],
        ["generated", str(record.id), preview, bot],
    ]
    assert plaintext not in "\n".join(table)
