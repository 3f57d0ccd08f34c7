"""The audit trail: every generate, rename and revoke, who and when, newest first."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from app import open_service


@pytest.fixture
def web(service):
    service.add_project("web")
    return "web"


def test_generate_rename_and_revoke_are_each_recorded_newest_first(service, web, store):
    first, _ = service.generate(web, "ci")
    second, _ = service.generate(web, "deploy bot")
    service.rename_token(web, first.id, "github actions")
    service.revoke(web, second.id)
    events = service.audit_log("WEB")
    assert [(e.action, e.token_id, e.token_preview) for e in events] == [
        ("revoked", second.id, second.preview),
        ("renamed", first.id, first.preview),
        ("generated", second.id, second.preview),
        ("generated", first.id, first.preview),
    ]
    assert {e.actor for e in events} == {store.actor}
    assert {e.project for e in events} == {"web"}
    now = datetime.now(UTC)
    assert all(now - timedelta(minutes=1) < e.occurred_at <= now for e in events)


def test_a_rename_to_the_same_label_is_not_an_event(service, web):
    record, _ = service.generate(web, "ci")
    service.rename_token(web, record.id, "ci")
    assert [e.action for e in service.audit_log(web)] == ["generated"]


@pytest.mark.only_backend("sqlite")
def test_the_actor_is_who_used_the_service(database_url, store):
    """On SQLite the one local user names themselves (an import or a tool may name
    another); on PostgreSQL the database names its login role whatever the client says
    (tests/app/store/test_access_control.py)."""
    with open_service(database_url, actor="alice") as alice:
        alice.add_project("web")
        record, _ = alice.generate("web")
    with open_service(database_url, actor="bob") as bob:
        bob.revoke("web", record.id)
        assert [(e.action, e.actor) for e in bob.audit_log("web")] == [
            ("revoked", "bob"),
            ("generated", "alice"),
        ]


def test_pages_of_the_audit_log_neither_repeat_nor_skip(service, web):
    made = [service.generate(web)[0].id for _ in range(7)]
    pages = [service.audit_log(web, offset=o, limit=3) for o in (0, 3, 6)]
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [e.token_id for page in pages for e in page] == made[::-1]


def test_audit_command_prints_a_table_and_json(cli, service, web, store):
    record, _ = service.generate(web, "ci")
    service.revoke(web, record.id)

    table = cli("audit", "--project", "Web")
    assert table.code == 0
    header, revoked, generated = table.out.splitlines()
    assert header.split() == ["WHEN", "ACTION", "TOKEN", "ID", "TOKEN", "BY", "DETAILS"]
    assert "revoked" in revoked
    assert record.preview in revoked
    assert store.actor in revoked
    assert "generated" in generated

    listed = json.loads(cli("audit", "--project", "web", "--json").out)
    assert [e["action"] for e in listed] == ["revoked", "generated"]
    assert set(listed[0]) == {
        "id", "project", "action", "token_id", "token_preview", "actor", "occurred_at",
        "detail",
    }  # fmt: skip
    assert listed[0]["token_id"] == record.id
    assert listed[0]["token_preview"] == record.preview
    assert datetime.fromisoformat(listed[0]["occurred_at"]).tzinfo is not None
    assert listed[1]["detail"].startswith("expires ")


def test_audit_of_a_quiet_project_says_so(cli, web):
    result = cli("audit", "--project", "web")
    assert (result.code, result.out) == (0, "")
    assert "Nothing has happened" in result.err
    assert json.loads(cli("audit", "--project", "web", "--json").out) == []


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("audit",), 2, "--project"),
        (("audit", "--project", "nope"), 1, "no project named 'nope'"),
    ],
)
def test_audit_bad_input_is_one_line(cli, web, argv, code, message):
    result = cli(*argv)
    assert result.code == code
    assert result.err.count("\n") == 1
    assert message in result.err
