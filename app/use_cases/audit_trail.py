"""The audit trail: what happened in a project, newest first, each token named; and the
whole trail as a hash chain, to check and to export."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from app import audit_verify
from app.access_levels import VIEWER
from app.audit_chain import ChainedEvent
from app.audit_verify import Head, Verdict
from app.records import AuditRecord
from app.store import db
from app.store.models import AuditEvent, DeploymentToken, Project, RevokedToken
from app.store.plain_sql import naive_utc
from app.use_cases import lookups
from app.use_cases.context import Context
from app.use_cases.lookups import aware, check_page


class AuditTrail:
    """Reading the audit trail (the use cases write it through ``Context.audit``).

    The chain is one across all projects: checking it, its head and its export need
    viewer on every project (on PostgreSQL; SQLite has one user). A part of it would
    have holes that read as tampering.
    """

    def __init__(self, context: Context) -> None:
        self._context = context

    def audit_log(
        self, project_name: str, *, offset: int = 0, limit: int | None = None
    ) -> list[AuditRecord]:
        """What happened in the project, newest first: tokens generated, renamed,
        rotated and revoked, expiries, environments and policy changed.

        With ``limit``, one page of them, for views that load as they scroll.
        """
        check_page(offset, limit)
        with self._context.reading():
            project = lookups.project(project_name)
            query = (
                AuditEvent.select()
                .where(AuditEvent.project_id == project.id)
                .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
                .offset(offset)
            )
            if limit is not None:
                query = query.limit(limit)
            events = list(query)
            names = self._token_names(project, {e.token_id for e in events if e.token_id})
            return [
                AuditRecord(
                    e.id,
                    project.name,
                    e.action,
                    e.token_id,
                    e.token_preview,
                    e.actor,
                    aware(e.occurred_at),
                    e.detail or "",
                    names.get(e.token_id) if e.token_id else None,
                )
                for e in events
            ]

    def audit_head(self) -> Head | None:
        """The newest event's ``SEQ:HASH``, to anchor elsewhere; None for an empty trail."""
        with self._context.reading():
            self._context.require(VIEWER)
            row = self._context.ask("audit_head")
        return None if not row else Head(int(row[0][0]), str(row[0][1]))

    def verify_audit(self, head: Head | None = None) -> Verdict:
        """Check the whole chain in one pass: the first event changed, removed, inserted
        or reordered; with ``head`` (an earlier ``audit_head``), also whether the newest
        events were cut off since."""
        with self._context.reading():
            self._context.require(VIEWER)
            with self._chain(None) as events:
                return audit_verify.verify(events, head)

    def export_audit(self, since: datetime | None = None) -> Iterator[ChainedEvent]:
        """Every event oldest first (from ``since`` on, when given), read in batches: a
        log of millions of events streams in constant memory. A generator: the read
        transaction lasts until it is exhausted or closed."""
        with self._context.reading():
            self._context.require(VIEWER)
            with self._chain(since) as events:
                yield from events

    def _chain(
        self, since: datetime | None
    ) -> contextlib.AbstractContextManager[Iterator[ChainedEvent]]:
        """The chain's events, oldest first, as a stream."""
        _, dialect = db.on_the_models_database()
        parameters: tuple[object, ...] = ()
        if since is None:
            statement = dialect.sql["audit_chain"]
        else:
            statement = dialect.sql["audit_chain_since"]
            parameters = (dialect.store_time(naive_utc(since)),)
        return _events(db.streamed_rows(statement, parameters), dialect.read_time)

    @staticmethod
    def _token_names(project: Project, token_ids: set[int]) -> dict[int, str]:
        """The names of these tokens of ``project``: live ones, then revoked ones."""
        if not token_ids:
            return {}
        revoked = (
            RevokedToken.select(RevokedToken.token_id, RevokedToken.name)
            .where((RevokedToken.project == project) & RevokedToken.token_id.in_(token_ids))
            .tuples()
        )
        live = (
            DeploymentToken.select(DeploymentToken.id, DeploymentToken.name)
            .where((DeploymentToken.project == project) & DeploymentToken.id.in_(token_ids))
            .tuples()
        )
        names: dict[int, str] = {}
        for token_id, name in (*revoked, *live):  # a live token's name wins: it is current
            names[token_id] = name
        return names


@contextlib.contextmanager
def _events(
    rows: contextlib.AbstractContextManager[Iterator[Any]],
    read_time: Callable[[Any], datetime],
) -> Iterator[Iterator[ChainedEvent]]:
    with rows as stream:
        yield (
            ChainedEvent(
                int(seq),
                read_time(at),
                str(actor),
                str(action),
                None if project is None else str(project),
                None if token_id is None else int(token_id),
                None if preview is None else str(preview),
                str(detail or ""),
                str(link),
            )
            for seq, at, actor, action, project, token_id, preview, detail, link in stream
        )
