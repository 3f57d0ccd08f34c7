"""Checking an audit chain (``app.audit_chain``): the first event changed, removed,
inserted or reordered, and whether the newest events were cut off since a head was
anchored elsewhere. Reads the events once, oldest first: a log of millions streams."""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app.audit_chain import GENESIS_HASH, ChainedEvent, event_hash


@dataclass(frozen=True, slots=True)
class Head:
    """The newest event of a chain: anchor it elsewhere to prove nothing was cut off."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Head:
        """``SEQ:HASH`` as ``audit head`` prints it; ValueError with the reason if not."""
        seq_text, colon, digest = text.strip().partition(":")
        digest = digest.lower()
        if (
            not colon
            or not (seq_text.isascii() and seq_text.isdigit())
            or int(seq_text) < 1
            or len(digest) != 64
            or any(c not in "0123456789abcdef" for c in digest)
        ):
            raise ValueError(
                f"{text!r} is not a head: give it as audit head prints it, SEQ:HASH "
                "(a sequence number, a colon and 64 hex digits)"
            )
        return cls(int(seq_text), digest)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What checking a chain found: ``broken_at`` None when it is intact."""

    events: int
    head: Head | None
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(events: Iterable[ChainedEvent], head: Head | None = None) -> Verdict:
    """Check a chain read oldest first (by sequence number), in one pass.

    Names the first event that was changed, removed, inserted or reordered; with
    ``head``, an earlier head that is no longer in the chain means the newest events were
    cut off (or that head's event was changed).
    """
    previous = GENESIS_HASH
    expected = 1
    count = 0
    last: ChainedEvent | None = None
    anchored = head is None
    stream = _with_next(events)
    for event, following in stream:
        if event.seq != expected:
            return _gap(expected, event, count, last)
        if not hmac.compare_digest(event_hash(previous, event), event.hash):
            return Verdict(
                count, _head_of(last), event.seq, _why_broken(previous, event, following)
            )
        if head is not None and event.seq == head.seq:
            if not hmac.compare_digest(event.hash, head.hash):
                return Verdict(
                    count + 1,
                    _head_of(event),
                    event.seq,
                    f"event {event.seq} is not the one the head {head} names: the log was "
                    "rewritten from there on",
                )
            anchored = True
        previous = event.hash
        expected += 1
        count += 1
        last = event
    if not anchored:
        assert head is not None
        return Verdict(
            count,
            _head_of(last),
            head.seq,
            f"the head {head} is no longer in the log, which ends at event {count}: "
            f"events {count + 1} to {head.seq} were cut off",
        )
    return Verdict(count, _head_of(last))


def _with_next(
    events: Iterable[ChainedEvent],
) -> Iterator[tuple[ChainedEvent, ChainedEvent | None]]:
    """Each event with the one after it: a reordering shows only with both in view."""
    iterator = iter(events)
    current = next(iterator, None)
    while current is not None:
        following = next(iterator, None)
        yield current, following
        current = following


def _gap(expected: int, event: ChainedEvent, count: int, last: ChainedEvent | None) -> Verdict:
    if event.seq > expected:
        missing = (
            f"event {expected} was removed"
            if event.seq == expected + 1
            else f"events {expected} to {event.seq - 1} were removed"
        )
        return Verdict(count, _head_of(last), expected, missing)
    return Verdict(
        count,
        _head_of(last),
        event.seq,
        f"event {event.seq} appears again where {expected} belongs",
    )


def _why_broken(previous: str, event: ChainedEvent, following: ChainedEvent | None) -> str:
    """The likeliest story for an event whose hash does not follow: its place swapped
    with the next one's, or something put in before it, or its content changed."""
    if following is not None:
        # Either the rows swapped their numbers (each keeps its hash) or their contents
        # (each place keeps its hash): both read as the two events in the wrong order.
        here_as_next = event.renumbered(following.seq)
        next_as_here = following.renumbered(event.seq)
        first = event_hash(previous, next_as_here)
        rows_swapped = hmac.compare_digest(first, following.hash) and hmac.compare_digest(
            event_hash(following.hash, here_as_next), event.hash
        )
        contents_swapped = hmac.compare_digest(first, event.hash) and hmac.compare_digest(
            event_hash(event.hash, here_as_next), following.hash
        )
        if rows_swapped or contents_swapped:
            return f"events {event.seq} and {following.seq} were reordered"
    if following is not None and hmac.compare_digest(
        event_hash(event.hash, following), following.hash
    ):
        # The next event follows from this one's stored hash: this one alone was edited.
        return f"event {event.seq} was changed: its content no longer matches its hash"
    return (
        f"event {event.seq} does not follow from the one before it: it was changed or "
        "inserted there"
    )


def _head_of(event: ChainedEvent | None) -> Head | None:
    return None if event is None else Head(event.seq, event.hash)
