"""Projects: adding, listing, finding, renaming and deleting them.

A project scopes deployment tokens: a token works for one project. Its name is unique
ignoring case, and may not look like another's (Unicode TR 39 skeletons).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import cast

from app import durations
from app.errors import ConflictError, StillHasTokensError
from app.names import clean_name, confusable_with, name_key, storable
from app.records import ProjectRecord
from app.store.models import (
    AuditEvent,
    DeploymentToken,
    Environment,
    Project,
    RevokedToken,
    TokenEnvironment,
)
from app.store.orm import peewee
from app.use_cases import lookups
from app.use_cases.context import Context, changed
from app.use_cases.lookups import aware

log = logging.getLogger(__name__)


class Projects:
    """The projects of one database."""

    def __init__(self, context: Context) -> None:
        self._context = context

    def add_project(self, name: str) -> ProjectRecord:
        clean = clean_name(name, "project name")
        with self._context.writing():
            self._context.require("admin")  # of every project: a new one is theirs too
            key = name_key(clean)
            existing = Project.get_or_none(Project.name_key == key)
            if existing is not None:
                raise _duplicate_project(existing.name)
            _refuse_look_alike(clean, (p.name for p in Project.select(Project.name)))
            try:
                project = Project.create(
                    name=clean, name_key=key, created_at=self._context.stored_now()
                )
            except peewee.IntegrityError:
                # Another writer got there between the check and the insert.
                raise _duplicate_project(clean) from None
            changed()
        log.info("added project %d %r", project.id, clean)
        return ProjectRecord(project.id, project.name, aware(project.created_at), 0)

    def rename_project(self, project_name: str, new_name: str) -> ProjectRecord:
        """Give the project a new name; its tokens keep working (a pipeline that names
        the project must then use the new name), and the audit trail records it."""
        clean = clean_name(new_name, "project name")
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require("admin", project)
            old = project.name
            key = name_key(clean)
            if clean != old:
                existing = Project.get_or_none(Project.name_key == key)
                if existing is not None and existing.id != project.id:
                    raise _duplicate_project(existing.name)
                others = Project.select(Project.name).where(Project.id != project.id)
                _refuse_look_alike(clean, (p.name for p in others))
                try:
                    Project.update(name=clean, name_key=key).where(
                        Project.id == project.id
                    ).execute()
                except peewee.IntegrityError:
                    raise _duplicate_project(clean) from None
                project.name = clean  # the event is the project's under its new name
                self._context.audit(
                    project,
                    AuditEvent.PROJECT_RENAMED,
                    None,
                    self._context.stored_now(),
                    f"from {old} to {clean}",
                )
                changed()
            record = self._project_records(Project.id == project.id)[0]
        if clean != old:
            log.info("renamed project %d from %r to %r", project.id, old, clean)
        return record

    def delete_project(self, project_name: str, *, revoke_tokens: bool = True) -> int:
        """Delete the project with everything in it: its tokens (revoked at once, so the
        pipelines that use them fail), environments and policy. Its audit trail stays in
        the chain, closed by a "project deleted" event. Returns how many live tokens were
        revoked.

        With ``revoke_tokens=False``, a project that still has live tokens is refused
        (StillHasTokensError) rather than deleted, judged in the deleting transaction itself.
        """
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require("admin", project)
            tokens = DeploymentToken.select(DeploymentToken.id).where(
                DeploymentToken.project == project
            )
            revoked = int(tokens.count())
            if revoked and not revoke_tokens:
                raise StillHasTokensError(
                    f"project '{project.name}' still has {revoked} live deployment "
                    f"token{'' if revoked == 1 else 's'}, which deleting it would revoke"
                )
            detail = f"with {revoked} live token{'' if revoked == 1 else 's'} revoked"
            self._context.audit(
                project, AuditEvent.PROJECT_DELETED, None, self._context.stored_now(), detail
            )
            # On PostgreSQL the server's function deletes it, and its foreign keys'
            # cascades everything in it. On SQLite, in the order the foreign keys ask
            # for, rather than relying on cascades. The audit trail stays (schema 9).
            if lookups.deleted_on_the_server("delete_project", project.id) is None:
                TokenEnvironment.delete().where(TokenEnvironment.token.in_(tokens)).execute()
                DeploymentToken.delete().where(DeploymentToken.project == project).execute()
                for dependent in (Environment, RevokedToken):
                    dependent.delete().where(dependent.project == project).execute()
                Project.delete().where(Project.id == project.id).execute()
            changed()
        log.info(
            "deleted project %d %r and revoked its %d tokens", project.id, project.name, revoked
        )
        return revoked

    def list_projects(self) -> list[ProjectRecord]:
        """Every project, by name ignoring case, with its count of live tokens and of
        those that need attention (expired, or expiring within a week)."""
        with self._context.reading():
            return self._project_records(None)

    def find_project(self, name: str) -> ProjectRecord | None:
        """The project of this name (ignoring case), with its counts as
        ``list_projects`` gives them; None when there is none (a window reopening a
        project renamed or deleted by another client since)."""
        key = name_key(name.strip())
        if not storable(key):
            return None
        with self._context.reading():
            return next(iter(self._project_records(Project.name_key == key)), None)

    def project_name(self, project_id: int) -> str | None:
        """The current name of the project with this id; None once it is deleted. One
        lookup by primary key: a window asks it at every change another client makes,
        to follow a project renamed or deleted elsewhere."""
        with self._context.reading():
            found = Project.select(Project.name).where(Project.id == project_id).scalar()
            return None if found is None else str(found)

    def _project_records(self, where: peewee.Expression | None) -> list[ProjectRecord]:
        soon = self._context.stored_now() + durations.EXPIRING_WITHIN
        needs_attention = peewee.fn.SUM(
            peewee.Case(None, [(DeploymentToken.expires_at <= soon, 1)], 0)
        )
        query = Project.select(
            Project.id,
            Project.name,
            Project.created_at,
            peewee.fn.COUNT(DeploymentToken.id),
            needs_attention,
        ).join(DeploymentToken, peewee.JOIN.LEFT_OUTER)
        if where is not None:
            query = query.where(where)
        query = (
            query.group_by(Project.id, Project.name, Project.created_at, Project.name_key)
            .order_by(Project.name_key)
            .tuples()
        )
        rows = cast("Iterable[tuple[int, str, datetime, int, int | None]]", query)
        return [
            ProjectRecord(id_, name, aware(created_at), count, int(attention or 0))
            for id_, name, created_at, count, attention in rows
        ]


def _duplicate_project(existing_name: str) -> ConflictError:
    return ConflictError(f"a project named '{existing_name}' already exists (names ignore case)")


def _refuse_look_alike(name: str, others: Iterable[str]) -> None:
    look_alike = confusable_with(name, others)
    if look_alike is not None:
        raise ConflictError(
            f"'{name}' would look like the existing project '{look_alike}' "
            "(their letters look alike); choose a name that reads differently"
        )
