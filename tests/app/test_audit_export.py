"""The audit trail as export lines (``app/audit_export.py``): our own JSON Lines shape,
and each action's OCSF class, activity and type."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.audit_chain import ChainedEvent
from app.audit_export import (
    AUTHENTICATION,
    ENTITY_MANAGEMENT,
    USER_ACCESS_MANAGEMENT,
    jsonl_record,
    ocsf_record,
)

AT = datetime(2026, 12, 4, 9, 30, 0, 120)


def event(action: str, *, token: bool = True, detail: str = "") -> ChainedEvent:
    return ChainedEvent(
        12,
        AT,
        "alice",
        action,
        "web",
        7 if token else None,
        "mldt_…a9Zq" if token else None,
        detail,
        "ab" * 32,
    )


def test_a_line_holds_the_chain_s_fields_and_its_hash():
    assert jsonl_record(event("generated")) == {
        "seq": 12,
        "hash": "ab" * 32,
        "at": "2026-12-04T09:30:00.000120Z",
        "actor": "alice",
        "action": "generated",
        "project": "web",
        "token_id": 7,
        "preview": "mldt_…a9Zq",
        "detail": "",
    }


@pytest.mark.parametrize(
    ("action", "class_uid", "activity_id"),
    [
        ("generated", ENTITY_MANAGEMENT, 1),
        ("rotated", ENTITY_MANAGEMENT, 3),
        ("expiry changed", ENTITY_MANAGEMENT, 3),
        ("environments changed", ENTITY_MANAGEMENT, 3),
        ("policy changed", ENTITY_MANAGEMENT, 3),
        ("renamed", ENTITY_MANAGEMENT, 5),
        ("project renamed", ENTITY_MANAGEMENT, 5),
        ("revoked", ENTITY_MANAGEMENT, 4),
        ("project deleted", ENTITY_MANAGEMENT, 4),
        ("access granted", USER_ACCESS_MANAGEMENT, 1),
        ("access revoked", USER_ACCESS_MANAGEMENT, 2),
        ("exchanged", AUTHENTICATION, 1),
        ("deployer added", ENTITY_MANAGEMENT, 1),
        ("deployer removed", ENTITY_MANAGEMENT, 4),
        ("something new", ENTITY_MANAGEMENT, 99),
    ],
)
def test_each_action_has_its_class_activity_and_type(action, class_uid, activity_id):
    record = ocsf_record(event(action), "1.2.3")
    assert (record["class_uid"], record["activity_id"]) == (class_uid, activity_id)
    assert record["type_uid"] == class_uid * 100 + activity_id
    assert record["category_uid"] == 3
    assert record["type_name"].endswith(record["activity_name"])


def test_an_ocsf_event_carries_time_actor_entity_and_the_chain():
    record = ocsf_record(event("revoked", detail="leaked: found in ci.log"), "1.2.3")
    assert record["time"] == int(AT.replace(tzinfo=UTC).timestamp() * 1000)
    assert record["actor"] == {"user": {"name": "alice"}}
    assert record["entity"] == {"type": "deployment token", "uid": "7", "name": "mldt_…a9Zq"}
    assert record["metadata"]["uid"] == "ab" * 32
    assert record["metadata"]["sequence"] == 12
    assert record["metadata"]["product"]["version"] == "1.2.3"
    assert record["unmapped"] == jsonl_record(event("revoked", detail="leaked: found in ci.log"))
    assert (record["severity_id"], record["severity"]) == (3, "Medium")  # a leak stands out
    assert "alice revoked token 7 (mldt_…a9Zq) in web: leaked" in record["message"]


def test_a_project_s_own_event_names_the_project_as_the_entity():
    record = ocsf_record(event("policy changed", token=False), "1.2.3")
    assert record["entity"] == {"type": "project", "uid": "web", "name": "web"}
    assert record["severity_id"] == 1


def test_an_access_change_names_the_user_and_the_privilege():
    record = ocsf_record(event("access granted", token=False, detail="bob as manager"), "1")
    assert record["user"] == {"name": "bob"}
    assert record["privileges"] == ["bob as manager"]
    revoked = ocsf_record(event("access revoked", token=False, detail="bob, who was viewer"), "1")
    assert revoked["user"] == {"name": "bob"}


def test_an_exchange_is_an_openid_logon_of_the_deployer():
    detail = 'deployer 3 (GitHub acme/web) matched {"repository_id":"1"}; expires ...'
    record = ocsf_record(event("exchanged", detail=detail), "1")
    assert (record["class_name"], record["activity_name"]) == ("Authentication", "Logon")
    assert record["user"] == {"name": "deployer 3 (GitHub acme/web)", "type": "Other"}
    assert (record["auth_protocol_id"], record["auth_protocol"]) == (4, "OpenID")
    assert record["service"] == {"name": "web"}
    assert "entity" not in record
    assert record["unmapped"]["token_id"] == 7
