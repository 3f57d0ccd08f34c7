"""``audit --project NAME`` (``app.cli.audit``): a project's trail, newest first, as a
table to read or JSON with the documented keys; and ``audit verify``, ``audit head`` and
``audit export``, the whole trail's chain as DESIGN.md's "Audit you can prove" has it."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest

from app import open_service, tokens
from app.audit_export import ENTITY_MANAGEMENT
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


# --- The whole trail's chain ---------------------------------------------------------


@pytest.fixture
def trail(database_url):
    """Four events: generated, revoked (as leaked), generated in another project, renamed."""
    moments = iter(datetime(2026, 12, 1, 9, tzinfo=UTC) + timedelta(hours=n) for n in range(9))
    with open_service(database_url, clock=lambda: next(moments)) as service:
        service.add_project("web")
        service.add_project("api")
        _, plaintext = service.generate("web", "ci")
        service.revoke_leaked([plaintext], source="a public gist")
        other, _ = service.generate("api", "deploy")
        service.rename_token("api", other.id, "deploy, renamed")
    return database_url


def test_verify_prints_the_count_and_the_head_and_exits_0(cli, trail):
    done = cli("audit", "verify")
    head = cli("audit", "head").out.strip()
    assert done.code == 0, done.err
    assert done.out == f"Intact: 4 events, head {head}\n"
    seq, _, digest = head.partition(":")
    assert seq == "4"
    assert len(digest) == 64
    assert json.loads(cli("audit", "verify", "--json").out) == {
        "intact": True,
        "events": 4,
        "head": head,
    }


def test_verify_names_the_first_broken_event_and_exits_1(cli, trail, store):
    from tests.app.use_cases.test_audit_trail import tamper

    tamper(store, "UPDATE audit_event SET detail = 'nothing happened' WHERE seq = 2")
    done = cli("audit", "verify")
    assert done.code == 1
    assert done.out.startswith("Broken at event 2: event 2 was changed")
    found = json.loads(cli("audit", "verify", "--json").out)
    assert (found["intact"], found["broken_at"], found["events"]) == (False, 2, 1)


def test_verify_with_an_earlier_head_catches_a_cut(cli, trail, store):
    from tests.app.use_cases.test_audit_trail import tamper

    head = cli("audit", "head").out.strip()
    assert cli("audit", "verify", "--head", head).code == 0
    tamper(store, "DELETE FROM audit_event WHERE seq = 4")
    assert cli("audit", "verify").code == 0
    cut = cli("audit", "verify", "--head", head)
    assert cut.code == 1
    assert "Broken at event 4" in cut.out
    assert "cut off" in cut.out


@pytest.mark.parametrize("head", ["4", "4:xyz", "0:" + "a" * 64, "a:b"])
def test_a_malformed_head_is_one_usage_line(cli, trail, head):
    done = cli("audit", "verify", "--head", head)
    assert done.code == 2
    assert "SEQ:HASH" in done.err
    assert "Traceback" not in done.err


def test_an_empty_trail_has_no_head(cli):
    head = cli("audit", "head")
    assert (head.code, head.out) == (0, "")
    assert "empty" in head.err
    assert cli("audit", "verify").out == "Intact: 0 events, head none (no events yet)\n"


def test_export_writes_one_json_object_per_line_oldest_first(cli, trail):
    done = cli("audit", "export")
    assert done.code == 0, done.err
    lines = [json.loads(line) for line in done.out.splitlines()]
    assert [e["seq"] for e in lines] == [1, 2, 3, 4]
    assert [(e["action"], e["project"]) for e in lines] == [
        ("generated", "web"),
        ("revoked", "web"),
        ("generated", "api"),
        ("renamed", "api"),
    ]
    keys = {"seq", "hash", "at", "actor", "action", "project", "token_id", "preview", "detail"}
    assert all(set(e) == keys for e in lines)
    assert all(e["at"].startswith("2026-12-01T") and e["at"].endswith(".000000Z") for e in lines)
    assert lines[1]["detail"].startswith("leaked")
    assert "mldt_" not in done.out.replace("mldt_…", "")  # previews only, never a token
    assert cli("audit", "export", "--format", "jsonl").out == done.out


def test_an_export_is_enough_to_recompute_the_chain(cli, trail):
    """A reviewer needs no database: each line, without its hash, is the canonical JSON."""
    previous = "0" * 64
    for line in cli("audit", "export").out.splitlines():
        event = json.loads(line)
        link = event.pop("hash")
        canonical = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        previous = hashlib.sha256((previous + canonical).encode()).hexdigest()
        assert previous == link
    assert cli("audit", "head").out.strip() == f"4:{previous}"


def test_export_since_is_incremental(cli, trail):
    third = json.loads(cli("audit", "export").out.splitlines()[2])["at"]  # "…T13:00:00.000000Z"
    later = cli("audit", "export", "--since", third).out.splitlines()
    assert [json.loads(line)["seq"] for line in later] == [3, 4]
    hour = int(third[11:13])
    offset = f"2026-12-01T{hour + 2:02d}:00:00.000001+02:00"  # a microsecond after the third
    assert [
        json.loads(line)["seq"]
        for line in cli("audit", "export", "--since", offset).out.splitlines()
    ] == [4]
    bad = cli("audit", "export", "--since", "last tuesday")
    assert bad.code == 2
    assert "ISO 8601" in bad.err


def test_export_as_ocsf_maps_each_action_to_a_class_and_activity(cli, trail):
    lines = [
        json.loads(line) for line in cli("audit", "export", "--format", "ocsf").out.splitlines()
    ]
    assert {e["class_uid"] for e in lines} == {ENTITY_MANAGEMENT}
    assert [(e["activity_id"], e["type_uid"]) for e in lines] == [
        (1, 300401),  # generated: Create
        (4, 300404),  # revoked: Delete
        (1, 300401),
        (5, 300405),  # renamed: Move (rename)
    ]
    assert lines[1]["severity_id"] == 3  # a leak revocation stands out
    at = datetime.fromisoformat(lines[0]["unmapped"]["at"])
    assert lines[0]["time"] == int(at.timestamp() * 1000)
    assert lines[0]["metadata"]["uid"] == lines[0]["unmapped"]["hash"]
    assert lines[0]["metadata"]["sequence"] == 1
    assert lines[0]["entity"]["type"] == "deployment token"


def test_audit_without_a_project_or_an_action_is_one_usage_line(cli):
    done = cli("audit")
    assert done.code == 2
    assert "--project NAME, or an action: verify, head or export" in done.err
