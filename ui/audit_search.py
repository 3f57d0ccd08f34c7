"""Finding one event of the audit chain from the window: whether the event Verify found
broken is in the open project, the rows of its log down to it, and an event's hash.

The audit log pane reads a page at a time, newest first; the chain is numbered oldest
first across all projects. These read the project's part of the chain as a stream (the
service's ``export_audit``, constant memory) and are slow for a long log: the pane runs
them off the GUI thread (``ui.background``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from app.audit_chain import ChainedEvent
from app.records import AuditRecord
from ui.models.paged import PAGE_SIZE


class ChainSource(Protocol):
    """What the search needs of the service."""

    def export_audit(
        self, since: datetime | None = ..., *, project: str | None = ...
    ) -> Iterator[ChainedEvent]: ...

    def audit_log(
        self,
        project_name: str,
        *,
        offset: int = ...,
        limit: int | None = ...,
        action: str | None = ...,
        actor: str | None = ...,
    ) -> list[AuditRecord]: ...


@dataclass(frozen=True, slots=True)
class Located:
    """The rows of the project's log, newest first, down to the event looked for (and a
    page beyond), read with the filters ``action`` and ``actor``: the ones asked for,
    or none when the event is hidden by them."""

    seq: int
    records: list[AuditRecord]
    action: str | None
    actor: str | None
    exhausted: bool


def locate(
    source: ChainSource,
    project: str,
    seq: int,
    action: str | None = None,
    actor: str | None = None,
    page_size: int = PAGE_SIZE,
) -> Located | None:
    """The rows down to the event ``seq`` of ``project``'s log as the pane shows it
    (filtered by ``action`` and ``actor``, unless the event is not among what they
    show), or None when the event is not the project's (another project's, or gone)."""
    event = _event(source, project, seq)
    if event is None:
        return None
    if not _matches(event, action, actor):
        action = actor = None  # shown only without the filters
    before = _rows_before(source, project, event, action, actor)
    # A page more than needed: events added meanwhile push the event down.
    wanted = before + 1 + page_size
    records = source.audit_log(project, offset=0, limit=wanted, action=action, actor=actor)
    return Located(seq, records, action, actor, len(records) < wanted)


def hash_of(source: ChainSource, project: str, record: AuditRecord) -> str | None:
    """The hash the chain holds for ``record`` (None: not found, e.g. the project's events
    were deleted meanwhile). Reads from the event's time on, so recent events are quick."""
    with closed_after(source.export_audit(record.occurred_at, project=project)) as events:
        for event in events:
            if event.seq >= record.seq:
                return event.hash if event.seq == record.seq else None
    return None


def _event(source: ChainSource, project: str, seq: int) -> ChainedEvent | None:
    """The project's event ``seq``: its part of the chain is read oldest first up to it."""
    with closed_after(source.export_audit(project=project)) as events:
        for event in events:
            if event.seq >= seq:
                return event if event.seq == seq else None
    return None


def _rows_before(
    source: ChainSource,
    project: str,
    event: ChainedEvent,
    action: str | None,
    actor: str | None,
) -> int:
    """How many rows the pane shows above ``event``: the newer ones that match, newest
    first by time, then by place in the chain (the order of ``audit_log``)."""
    count = 0
    since = event.at.replace(tzinfo=UTC)  # the chain's times are naive UTC
    with closed_after(source.export_audit(since, project=project)) as events:
        for other in events:
            newer = other.at > event.at or (other.at == event.at and other.seq > event.seq)
            if newer and _matches(other, action, actor):
                count += 1
    return count


def _matches(event: ChainedEvent, action: str | None, actor: str | None) -> bool:
    return (action is None or event.action == action) and (actor is None or event.actor == actor)


@contextlib.contextmanager
def closed_after(events: Iterator[ChainedEvent]) -> Iterator[Iterator[ChainedEvent]]:
    """``events``, closed when done even if read only in part: the service's read
    transaction ends with the stream."""
    try:
        yield events
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()
