"""The audit trail as a hash chain: how an event's hash is made, and how a chain is checked.

Every event carries a sequence number (1, 2, 3, … across all projects, in the order the
events were appended) and ``hash = SHA-256(previous hash ‖ canonical JSON of the event)``,
the previous hash written as 64 lower-case hex digits (64 zeros before the first event).
Changing, removing, inserting or reordering an event then breaks the chain at that event;
cutting off the newest events is caught against a head (``SEQ:HASH``) anchored elsewhere.

The canonical JSON is the event's fields with the keys sorted, no spaces, UTF-8 and JSON's
own escapes (``json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False)``); the time is UTC to the microsecond, ``2026-12-04T09:30:00.000000Z``.
PostgreSQL builds the same bytes in a trigger (``app/store/audit_chain_v9.sql``): a test
holds the two to one another. Pure: no store, no clock.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

GENESIS_HASH = "0" * 64


class ChainedEvent:
    """One event as the chain sees it: what its hash covers, and the hash it carries.

    A plain class, and the JSON written by hand below: ``tokens generate`` appends an
    event, and its process may load neither ``dataclasses`` nor ``json``
    (``tests/test_import_budget.py``)."""

    __slots__ = ("action", "actor", "at", "detail", "hash", "preview", "project", "seq", "token_id")

    def __init__(
        self,
        seq: int,
        at: datetime,
        actor: str,
        action: str,
        project: str | None,
        token_id: int | None,
        preview: str | None,
        detail: str,
        hash: str = "",
    ) -> None:
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.project = project
        self.token_id = token_id
        self.preview = preview
        self.detail = detail
        self.hash = hash

    def renumbered(self, seq: int) -> ChainedEvent:
        """The same event at another place in the chain."""
        return ChainedEvent(
            seq,
            self.at,
            self.actor,
            self.action,
            self.project,
            self.token_id,
            self.preview,
            self.detail,
            self.hash,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ChainedEvent):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return f"ChainedEvent(seq={self.seq}, action={self.action!r}, hash={self.hash[:12]!r})"


def chain_time(moment: datetime) -> str:
    """A time as the chain writes it: UTC, to the microsecond, with a Z. isoformat, not
    strftime: its year is always four digits, as PostgreSQL's to_char writes it."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds") + "Z"


def canonical_json(event: ChainedEvent) -> bytes:
    """The event's canonical JSON, as the bytes its hash covers: what ``json.dumps`` with
    ``sort_keys=True, separators=(",", ":"), ensure_ascii=False`` writes (a test holds
    the two together)."""
    token_id = "null" if event.token_id is None else str(int(event.token_id))
    text = (
        f'{{"action":{_string(event.action)},"actor":{_string(event.actor)},'
        f'"at":"{chain_time(event.at)}","detail":{_string(event.detail)},'
        f'"preview":{_optional(event.preview)},"project":{_optional(event.project)},'
        f'"seq":{int(event.seq)},"token_id":{token_id}}}'
    )
    return text.encode("utf-8")


# JSON's escapes, as json.dumps writes them with ensure_ascii=False.
_ESCAPES = {chr(code): f"\\u{code:04x}" for code in range(0x20)}
_ESCAPES.update({'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_ESCAPES.update({"\b": "\\b", "\f": "\\f"})
_TRANSLATION = str.maketrans(_ESCAPES)


def _string(text: str) -> str:
    return '"' + text.translate(_TRANSLATION) + '"'


def _optional(text: str | None) -> str:
    return "null" if text is None else _string(text)


def event_hash(previous: str, event: ChainedEvent) -> str:
    """``SHA-256(previous ‖ canonical JSON)``, in hex."""
    return hashlib.sha256(previous.encode("ascii") + canonical_json(event)).hexdigest()
