"""The audit chain's link (``app/audit_chain.py``): the canonical JSON is json.dumps's, the
hash covers every field, and the time is written one way."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from app.audit_chain import GENESIS_HASH, ChainedEvent, canonical_json, chain_time, event_hash

MOMENT = datetime(2026, 12, 4, 9, 30, 0, 120)


def event(**changes: object) -> ChainedEvent:
    fields: dict[str, object] = {
        "seq": 1,
        "at": MOMENT,
        "actor": "alice",
        "action": "generated",
        "project": "web",
        "token_id": 7,
        "preview": "mldt_…abcd",
        "detail": "expires in 30 days",
    }
    fields.update(changes)
    return ChainedEvent(**fields)  # type: ignore[arg-type]


def as_json_dumps_writes_it(e: ChainedEvent) -> bytes:
    fields = {
        "seq": e.seq,
        "at": chain_time(e.at),
        "actor": e.actor,
        "action": e.action,
        "project": e.project,
        "token_id": e.token_id,
        "preview": e.preview,
        "detail": e.detail,
    }
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


@given(
    actor=st.text(),
    detail=st.text(),
    project=st.none() | st.text(),
    preview=st.none() | st.text(),
    token_id=st.none() | st.integers(min_value=1, max_value=2**63 - 1),
    seq=st.integers(min_value=1, max_value=2**63 - 1),
)
def test_the_canonical_json_is_what_json_dumps_writes(
    actor, detail, project, preview, token_id, seq
):
    e = event(
        actor=actor, detail=detail, project=project, preview=preview, token_id=token_id, seq=seq
    )
    assert canonical_json(e) == as_json_dumps_writes_it(e)
    assert json.loads(canonical_json(e))["actor"] == actor


def test_the_hash_is_sha256_of_the_previous_hash_and_the_canonical_json():
    e = event()
    expected = hashlib.sha256(GENESIS_HASH.encode() + canonical_json(e)).hexdigest()
    assert event_hash(GENESIS_HASH, e) == expected
    assert (
        canonical_json(e)
        == (
            '{"action":"generated","actor":"alice","at":"2026-12-04T09:30:00.000120Z",'
            '"detail":"expires in 30 days","preview":"mldt_…abcd","project":"web","seq":1,'
            '"token_id":7}'
        ).encode()
    )


def test_every_field_and_the_previous_hash_change_the_hash():
    base = event_hash(GENESIS_HASH, event())
    changes = {
        "seq": 2,
        "at": MOMENT + timedelta(microseconds=1),
        "actor": "mallory",
        "action": "revoked",
        "project": "api",
        "token_id": 8,
        "preview": "mldt_…abce",
        "detail": "",
    }
    for field, value in changes.items():
        assert event_hash(GENESIS_HASH, event(**{field: value})) != base, field
    assert event_hash("1" * 64, event()) != base
    assert event_hash(GENESIS_HASH, event(project=None)) != event_hash(
        GENESIS_HASH, event(project="")
    )


def test_a_time_is_written_in_utc_to_the_microsecond_whatever_its_zone():
    aware = MOMENT.replace(tzinfo=UTC).astimezone(timezone(timedelta(hours=2)))
    assert chain_time(aware) == chain_time(MOMENT) == "2026-12-04T09:30:00.000120Z"
    assert chain_time(datetime(2026, 1, 1)) == "2026-01-01T00:00:00.000000Z"
    # Four-digit years, as PostgreSQL's to_char writes them (strftime would write "1-").
    assert chain_time(datetime(1, 1, 2)) == "0001-01-02T00:00:00.000000Z"


def test_an_event_renumbered_is_the_same_event_elsewhere():
    e = event(hash="ab" * 32)
    moved = e.renumbered(5)
    assert (moved.seq, moved.hash, moved.actor) == (5, e.hash, e.actor)
    assert moved != e
    assert moved.renumbered(1) == e
