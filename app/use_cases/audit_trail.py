"""The audit trail: what happened in a project, newest first, each token named."""

from __future__ import annotations

from app.records import AuditRecord
from app.store.models import AuditEvent, DeploymentToken, Project, RevokedToken
from app.use_cases import lookups
from app.use_cases.context import Context
from app.use_cases.lookups import aware, check_page


class AuditTrail:
    """Reading the audit trail (the use cases write it through ``Context.audit``)."""

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
                .where(AuditEvent.project == project)
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
