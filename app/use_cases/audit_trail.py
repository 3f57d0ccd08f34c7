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
        self,
        project_name: str,
        *,
        offset: int = 0,
        limit: int | None = None,
        action: str | None = None,
        actor: str | None = None,
    ) -> list[AuditRecord]:
        """What happened in the project, newest first: tokens generated, renamed,
        rotated and revoked, expiries, environments and policy changed.

        With ``limit``, one page of them, for views that load as they scroll; with
        ``action`` or ``actor``, only the events of that action, or by that person.
        """
        check_page(offset, limit)
        with self._context.reading():
            project = lookups.project(project_name)
            query = (
                AuditEvent.select()
                .where(self._of(project, action, actor))
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
                    e.seq,
                )
                for e in events
            ]

    def audit_filters(self, project_name: str) -> tuple[list[str], list[str]]:
        """The actions and the people the project's audit trail holds, each sorted: what
        its filters offer."""
        with self._context.reading():
            project = lookups.project(project_name)
            mine = AuditEvent.project_id == project.id
            actions = AuditEvent.select(AuditEvent.action).where(mine).distinct()
            actors = AuditEvent.select(AuditEvent.actor).where(mine).distinct()
            return sorted(e.action for e in actions), sorted(e.actor for e in actors)

    @staticmethod
    def _of(project: Project, action: str | None, actor: str | None) -> Any:
        condition = AuditEvent.project_id == project.id
        if action is not None:
            condition &= AuditEvent.action == action
        if actor is not None:
            condition &= AuditEvent.actor == actor
        return condition

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

    def export_audit(
        self, since: datetime | None = None, *, project: str | None = None
    ) -> Iterator[ChainedEvent]:
        """Every event oldest first (from ``since`` on, when given), read in batches: a
        log of millions of events streams in constant memory. A generator: the read
        transaction lasts until it is exhausted or closed.

        With ``project``, that project's events alone (viewer on it is enough): a part of
        the chain, to read, not to verify.
        """
        with self._context.reading():
            if project is None:
                self._context.require(VIEWER)
                only = None
            else:
                only = lookups.project(project).id
            with self._chain(since, only) as events:
                yield from events

    def _chain(
        self, since: datetime | None, project_id: int | None = None
    ) -> contextlib.AbstractContextManager[Iterator[ChainedEvent]]:
        """The chain's events, oldest first, as a stream: all, or one project's."""
        _, dialect = db.on_the_models_database()
        parameters: tuple[object, ...] = ()
        if since is not None or project_id is not None:
            start = datetime.min if since is None else naive_utc(since)
            parameters = (dialect.store_time(start),)
        if project_id is not None:
            statement = dialect.sql["project_audit_chain"]
            parameters = (project_id, *parameters)
        else:  # the whole chain unfiltered (as verify reads it), or from a time on
            statement = dialect.sql["audit_chain_since" if parameters else "audit_chain"]
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
