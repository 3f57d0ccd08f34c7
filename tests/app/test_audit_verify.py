"""Checking an audit chain (``app/audit_verify.py``) built in memory: each kind of
tampering is named at the right event, and a head anchored elsewhere catches a cut."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.audit_chain import GENESIS_HASH, ChainedEvent, event_hash
from app.audit_verify import Head, verify

START = datetime(2026, 12, 1, 9, 0)


def chain(count: int) -> list[ChainedEvent]:
    events, previous = [], GENESIS_HASH
    for seq in range(1, count + 1):
        e = ChainedEvent(
            seq,
            START + timedelta(minutes=seq),
            "alice",
            "generated",
            "web",
            seq,
            f"mldt_…{seq:04d}",
            "",
        )
        e.hash = previous = event_hash(previous, e)
        events.append(e)
    return events


def test_an_untouched_chain_is_intact_with_its_head():
    events = chain(5)
    verdict = verify(events)
    assert verdict.intact
    assert (verdict.events, verdict.head) == (5, Head(5, events[-1].hash))
    assert verify(events, Head(3, events[2].hash)).intact


def test_an_empty_chain_is_intact_with_no_head():
    verdict = verify([])
    assert verdict.intact
    assert verdict.events == 0
    assert verdict.head is None


def test_a_changed_event_is_named():
    events = chain(5)
    events[2].actor = "mallory"
    verdict = verify(events)
    assert (verdict.broken_at, verdict.events) == (3, 2)
    assert "event 3 was changed" in verdict.reason
    assert verdict.head == Head(2, events[1].hash)  # the last good event


def test_the_newest_event_changed_is_named_too():
    events = chain(3)
    events[2].detail = "nothing to see"
    assert verify(events).broken_at == 3


def test_a_removed_event_is_named():
    events = chain(5)
    del events[1]
    verdict = verify(events)
    assert verdict.broken_at == 2
    assert "event 2 was removed" in verdict.reason
    del events[1:3]  # 3 and 4 gone as well
    assert "events 2 to 4 were removed" in verify(events).reason


def test_an_event_inserted_with_the_rest_renumbered_is_named():
    events = chain(4)
    forged = ChainedEvent(2, START, "mallory", "revoked", "web", 1, "mldt_…0001", "", "f" * 64)
    tampered = [events[0], forged, *(e.renumbered(e.seq + 1) for e in events[1:])]
    verdict = verify(tampered)
    assert verdict.broken_at == 2
    assert "event 2 does not follow" in verdict.reason


def test_an_event_inserted_with_its_own_valid_hash_breaks_the_next_one():
    events = chain(4)
    forged = ChainedEvent(2, START, "mallory", "revoked", "web", 1, "mldt_…0001", "")
    forged.hash = event_hash(events[0].hash, forged)
    tampered = [events[0], forged, *(e.renumbered(e.seq + 1) for e in events[1:])]
    assert verify(tampered).broken_at == 3


@pytest.mark.parametrize("how", ["numbers", "contents"])
def test_two_events_swapped_are_named_as_reordered(how):
    events = chain(5)
    second, third = events[1], events[2]
    if how == "numbers":  # the rows swap their sequence numbers, each keeping its hash
        swapped = [second.renumbered(3), third.renumbered(2)]
        swapped.sort(key=lambda e: e.seq)
    else:  # the contents swap, each place keeping its hash
        swapped = [
            ChainedEvent(2, third.at, third.actor, third.action, third.project, third.token_id,
                         third.preview, third.detail, second.hash),
            ChainedEvent(3, second.at, second.actor, second.action, second.project,
                         second.token_id, second.preview, second.detail, third.hash),
        ]  # fmt: skip
    verdict = verify([events[0], *swapped, *events[3:]])
    assert verdict.broken_at == 2
    assert verdict.reason == "events 2 and 3 were reordered"


def test_a_head_no_longer_in_the_chain_means_the_newest_were_cut_off():
    events = chain(6)
    head = Head(6, events[-1].hash)
    cut = events[:4]
    assert verify(cut).intact  # alone, a cut chain looks whole
    verdict = verify(cut, head)
    assert verdict.broken_at == 6
    assert "events 5 to 6 were cut off" in verdict.reason


def test_a_head_whose_event_was_replaced_is_caught():
    events = chain(4)
    head = Head(4, events[-1].hash)
    redone = chain(3)
    extra = ChainedEvent(4, START, "mallory", "revoked", "web", 1, "mldt_…0001", "")
    extra.hash = event_hash(redone[-1].hash, extra)
    verdict = verify([*redone, extra], head)
    assert verdict.broken_at == 4
    assert "not the one the head" in verdict.reason


@pytest.mark.parametrize(
    "text",
    ["", "12", "0:" + "a" * 64, "x:" + "a" * 64, "3:" + "a" * 63, "3:" + "g" * 64, "٣:" + "a" * 64],
)
def test_a_head_is_read_strictly(text):
    with pytest.raises(ValueError, match="SEQ:HASH"):
        Head.parse(text)


def test_a_head_reads_back_what_it_prints():
    head = Head(12, "AB" * 32)
    assert Head.parse(f" 12:{'AB' * 32} ") == Head(12, "ab" * 32)
    assert str(Head.parse(str(Head(3, "0" * 64)))) == "3:" + "0" * 64
    assert head.seq == 12
