"""A project's settings: the environments it deploys to and its token policy.

Use cases of ``TokenService``, kept apart from the token use cases they configure.
"""

from __future__ import annotations

import logging

from app import durations, lifecycle
from app.errors import ConflictError
from app.names import clean_name, name_key
from app.records import EnvironmentRecord
from app.store.models import AuditEvent, Environment, Project, TokenEnvironment
from app.store.orm import peewee
from app.use_cases import lookups
from app.use_cases.context import Context, changed
from app.use_cases.lookups import aware

log = logging.getLogger(__name__)


class ProjectSettings:
    """Environments and the token policy of each project."""

    def __init__(self, context: Context) -> None:
        self._context = context

    # Environments

    def add_environment(self, project_name: str, name: str) -> EnvironmentRecord:
        """Add a place the project deploys to, such as "staging" or "production"."""
        clean = clean_name(name, "environment name")
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require("admin", project)
            existing = lookups.find_environment(project, clean)
            if existing is not None:
                raise ConflictError(
                    f"project '{project.name}' already has an environment named "
                    f"'{existing.name}' (names ignore case)"
                )
            now = self._context.stored_now()
            try:
                environment = Environment.create(
                    project=project, name=clean, name_key=name_key(clean), created_at=now
                )
            except peewee.IntegrityError:
                raise ConflictError(
                    f"project '{project.name}' already has an environment named '{clean}'"
                ) from None
            self._context.audit(
                project, AuditEvent.ENVIRONMENTS_CHANGED, None, now, f"added {clean}"
            )
            changed()
        log.info("added environment %r to project %r", clean, project.name)
        return EnvironmentRecord(environment.id, project.name, clean, aware(now))

    def list_environments(self, project_name: str) -> list[EnvironmentRecord]:
        """The project's environments, by name ignoring case."""
        with self._context.reading():
            project = lookups.project(project_name)
            query = (
                Environment.select()
                .where(Environment.project == project)
                .order_by(Environment.name_key)
            )
            return [
                EnvironmentRecord(e.id, project.name, e.name, aware(e.created_at)) for e in query
            ]

    def remove_environment(self, project_name: str, name: str) -> EnvironmentRecord:
        """Remove an environment no token is limited to.

        A token limited to it would otherwise be left limited to fewer places, or to
        none, which would mean every environment: a wider scope nobody chose.
        """
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require("admin", project)
            environment = lookups.environment(project, name)
            limited = (
                TokenEnvironment.select().where(TokenEnvironment.environment == environment).count()
            )
            if limited:
                raise ConflictError(
                    f"{limited} token{'s are' if limited != 1 else ' is'} limited to "
                    f"environment '{environment.name}'; change their environments or revoke "
                    "them first"
                )
            record = EnvironmentRecord(
                environment.id, project.name, environment.name, aware(environment.created_at)
            )
            lookups.delete_environment(environment)
            now = self._context.stored_now()
            self._context.audit(
                project, AuditEvent.ENVIRONMENTS_CHANGED, None, now, f"removed {record.name}"
            )
            changed()
        log.info("removed environment %r from project %r", record.name, project.name)
        return record

    # The token policy

    def token_policy(self, project_name: str) -> lifecycle.TokenPolicy:
        """How long the project's tokens live by default and at most."""
        with self._context.reading():
            return lookups.policy_of(lookups.project(project_name))

    def set_token_policy(
        self, project_name: str, policy: lifecycle.TokenPolicy
    ) -> lifecycle.TokenPolicy:
        """Change the project's token policy; tokens already made keep their expiry."""
        policy.check()
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require("admin", project)
            if lookups.policy_of(project) == policy:
                return policy
            project.default_lifetime_hours = lifecycle.hours_of(policy.default_lifetime)
            project.max_lifetime_hours = lifecycle.hours_of(policy.max_lifetime)
            project.allow_no_expiry = policy.allow_no_expiry
            project.save(
                only=[
                    Project.default_lifetime_hours,
                    Project.max_lifetime_hours,
                    Project.allow_no_expiry,
                ]
            )
            self._context.audit(
                project,
                AuditEvent.POLICY_CHANGED,
                None,
                self._context.stored_now(),
                describe_policy(policy),
            )
            changed()
        log.info("changed the token policy of project %r", project.name)
        return policy


def describe_policy(policy: lifecycle.TokenPolicy) -> str:
    """The policy in one line, as the audit trail and the command line show it."""
    default = (
        lifecycle.NO_EXPIRY
        if policy.default_lifetime is None
        else durations.describe_duration(policy.default_lifetime)
    )
    maximum = (
        "none" if policy.max_lifetime is None else durations.describe_duration(policy.max_lifetime)
    )
    allowed = "allowed" if policy.allow_no_expiry else "not allowed"
    return f"default lifetime {default}; maximum {maximum}; {lifecycle.NO_EXPIRY} {allowed}"
