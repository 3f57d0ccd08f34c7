"""The one API the desktop app, the command line and the HTTP service use.

``TokenService`` is built from the use cases in ``app.use_cases``, small objects that
share one ``Context`` (the open storage, the clock, who acts). It hands out plain records
and never a model, and returns a plaintext token only after the commit that stored its
digest succeeded. Each public method is one use case's, under the name the README
documents; the service itself adds only the connection (reconnect, close, where it is)
and the change counter.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from app.records import AuditRecord, ProjectRecord, TokenOrder, TokenRecord, utc_now
from app.store import schema
from app.store.models import ControlState
from app.store.storage import Storage, open_storage
from app.use_cases.access import Access
from app.use_cases.audit_trail import AuditTrail
from app.use_cases.context import Clock, Context
from app.use_cases.deployers import Deployers
from app.use_cases.deployment_tokens import DEFAULT_TOKEN_NAME, DeploymentTokens
from app.use_cases.destinations import Destinations
from app.use_cases.leak_response import LeakResponse
from app.use_cases.notifications import Notifications, Notifying
from app.use_cases.project_settings import ProjectSettings
from app.use_cases.projects import Projects
from app.use_cases.pushing import Pushing
from app.use_cases.secret_holders import IntrospectionClients, RevocationKeys
from app.use_cases.verifying import Verifying
from app.verification import Verdict

__all__ = [
    "DEFAULT_TOKEN_NAME",
    "AuditRecord",
    "ProjectRecord",
    "TokenOrder",
    "TokenRecord",
    "TokenService",
    "Verdict",
    "open_service",
    "utc_now",
]

_Arguments = ParamSpec("_Arguments")
_Result = TypeVar("_Result")


class _UseCase(Generic[_Arguments, _Result]):
    """A service method that is a use case's: ``generate = _UseCase(DeploymentTokens.
    generate)`` calls ``generate`` of the service's DeploymentTokens, with its signature
    and docstring. The bound method is kept on the instance at the first call, so later
    calls cost nothing more than calling the use case directly (verify is called per
    request)."""

    def __init__(
        self, method: Callable[Concatenate[Any, _Arguments], _Result], of: type | None = None
    ) -> None:
        # Whose method: the class that defines it, or ``of`` for one it inherits.
        self._owner = of.__name__ if of is not None else method.__qualname__.split(".")[0]
        self._method = method.__name__
        # Read on the class, it looks like the method it stands for (help, inspect).
        functools.update_wrapper(self, method)

    def __set_name__(self, service: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, service: None, kind: type) -> _UseCase[_Arguments, _Result]: ...
    @overload
    def __get__(self, service: object, kind: type) -> Callable[_Arguments, _Result]: ...
    def __get__(
        self, service: object, kind: type
    ) -> _UseCase[_Arguments, _Result] | Callable[_Arguments, _Result]:
        if service is None:
            return self
        bound: Callable[_Arguments, _Result] = getattr(
            service.__dict__["_use_cases"][self._owner], self._method
        )
        service.__dict__[self._name] = bound
        return bound

    def __call__(
        self, service: object, /, *args: _Arguments.args, **kwargs: _Arguments.kwargs
    ) -> _Result:
        """``TokenService.generate(service, ...)``, as with any method read on the class."""
        method: Callable[_Arguments, _Result] = getattr(service, self._name)
        return method(*args, **kwargs)


class TokenService:
    """Projects and their deployment tokens in one database."""

    def __init__(
        self,
        storage: Storage,
        *,
        environ: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        actor: str | None = None,
    ) -> None:
        self.context = Context(storage, environ=environ, clock=clock, actor=actor)
        self._use_cases = {
            kind.__name__: kind(self.context)
            for kind in (
                Projects,
                DeploymentTokens,
                ProjectSettings,
                AuditTrail,
                Verifying,
                LeakResponse,
                IntrospectionClients,
                RevocationKeys,
                Access,
                Notifications,
                Notifying,
                Deployers,
                Destinations,
                Pushing,
            )
        }

    # Projects
    add_project = _UseCase(Projects.add_project)
    rename_project = _UseCase(Projects.rename_project)
    delete_project = _UseCase(Projects.delete_project)
    list_projects = _UseCase(Projects.list_projects)
    find_project = _UseCase(Projects.find_project)
    project_name = _UseCase(Projects.project_name)

    # Deployment tokens
    generate = _UseCase(DeploymentTokens.generate)
    list_tokens = _UseCase(DeploymentTokens.list_tokens)
    token_page = _UseCase(DeploymentTokens.token_page)
    token_by_id = _UseCase(DeploymentTokens.token_by_id)
    count_tokens = _UseCase(DeploymentTokens.count_tokens)
    rename_token = _UseCase(DeploymentTokens.rename_token)
    rotate = _UseCase(DeploymentTokens.rotate)
    rotate_with_stop = _UseCase(DeploymentTokens.rotate_with_stop)
    set_token_expiry = _UseCase(DeploymentTokens.set_token_expiry)
    set_token_environments = _UseCase(DeploymentTokens.set_token_environments)
    expiring = _UseCase(DeploymentTokens.expiring)
    revoke = _UseCase(DeploymentTokens.revoke)

    # A project's settings
    add_environment = _UseCase(ProjectSettings.add_environment)
    list_environments = _UseCase(ProjectSettings.list_environments)
    remove_environment = _UseCase(ProjectSettings.remove_environment)
    token_policy = _UseCase(ProjectSettings.token_policy)
    set_token_policy = _UseCase(ProjectSettings.set_token_policy)

    # The audit trail
    audit_log = _UseCase(AuditTrail.audit_log)
    audit_filters = _UseCase(AuditTrail.audit_filters)
    audit_head = _UseCase(AuditTrail.audit_head)
    verify_audit = _UseCase(AuditTrail.verify_audit)
    export_audit = _UseCase(AuditTrail.export_audit)

    # Verifying
    verify = _UseCase(Verifying.verify)
    check = _UseCase(Verifying.check)
    salt_problem = _UseCase(Verifying.salt_problem)
    expiry_counts = _UseCase(Verifying.expiry_counts)

    # Leaks
    revoke_leaked = _UseCase(LeakResponse.revoke_leaked)

    # Introspection clients and the Token Revocation API's keys
    add_client = _UseCase(IntrospectionClients.add, of=IntrospectionClients)
    list_clients = _UseCase(IntrospectionClients.list_all, of=IntrospectionClients)
    revoke_client = _UseCase(IntrospectionClients.revoke, of=IntrospectionClients)
    authenticate_client = _UseCase(IntrospectionClients.authenticate)
    add_revocation_key = _UseCase(RevocationKeys.add, of=RevocationKeys)
    list_revocation_keys = _UseCase(RevocationKeys.list_all, of=RevocationKeys)
    revoke_revocation_key = _UseCase(RevocationKeys.revoke, of=RevocationKeys)
    authenticate_revocation_key = _UseCase(RevocationKeys.authenticate)

    # Who may do what (PostgreSQL decides; SQLite's one user is admin of everything)
    whoami = _UseCase(Access.whoami)
    access_level = _UseCase(Access.level)
    project_admins = _UseCase(Access.project_admins)
    list_access = _UseCase(Access.list_access)
    grant_access = _UseCase(Access.grant_access)
    revoke_access = _UseCase(Access.revoke_access)
    login_roles = _UseCase(Access.login_roles)

    # Notifications: who hears of what, and the run that tells them (notify)
    add_notification = _UseCase(Notifications.add_notification)
    list_notifications = _UseCase(Notifications.list_notifications)
    remove_notification = _UseCase(Notifications.remove_notification)
    warning_days = _UseCase(Notifications.warning_days)
    set_warning_days = _UseCase(Notifications.set_warning_days)
    notify = _UseCase(Notifying.notify)

    # Trusted deployers: OIDC bindings, and the exchange of a CI job's ID token
    add_deployer = _UseCase(Deployers.add_deployer)
    list_deployers = _UseCase(Deployers.list_deployers)
    remove_deployer = _UseCase(Deployers.remove_deployer)
    exchange = _UseCase(Deployers.exchange)
    explain_deployers = _UseCase(Deployers.explain)

    # Destinations: where tokens are pushed, and pushing them (never through a terminal)
    add_destination = _UseCase(Destinations.add_destination)
    list_destinations = _UseCase(Destinations.list_destinations)
    remove_destination = _UseCase(Destinations.remove_destination)
    check_destination = _UseCase(Destinations.check_destination)
    rotation_policy = _UseCase(Destinations.rotation_policy)
    set_rotation_policy = _UseCase(Destinations.set_rotation_policy)
    generate_and_push = _UseCase(Pushing.generate_and_push)
    push_token = _UseCase(Pushing.push_token)
    rotate_and_push = _UseCase(Pushing.rotate_and_push)
    rotate_due = _UseCase(Pushing.rotate_due)

    # Who, when, where

    @property
    def actor(self) -> str:
        """Who generates and revokes, as the audit trail records it."""
        return self.context.actor

    def now(self) -> datetime:
        """Now by this service's clock (aware UTC): what statuses are judged against."""
        return self.context.now()

    @property
    def storage(self) -> Storage:
        """The database, for tools and tests that need it as such."""
        return self.context.storage

    @property
    def location(self) -> str:
        """Where the data lives: a file path, or the URL without its password."""
        return self.context.storage.location

    # The connection

    def revision(self) -> int:
        """A number that changes whenever any client commits a change: one tiny read."""
        with self.context.reading():
            row = (
                ControlState.select(ControlState.revision)
                .where(ControlState.id == schema.CONTROL_STATE_ID)
                .tuples()
                .first()
            )
        return 0 if row is None else int(row[0])

    def reconnect(self) -> None:
        """Drop the connection and open it again, for a Retry after an outage.

        Never creates a database: a file that was deleted stays an error.
        """
        self.context.storage.reconnect()

    def close(self) -> None:
        """Close this thread's connection; the next call in the thread opens another."""
        self.context.storage.close()

    def __enter__(self) -> TokenService:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_service(
    database_url: str | None = None,
    *,
    create: bool = True,
    clock: Clock | None = None,
    actor: str | None = None,
) -> TokenService:
    """Open the database (migrating it forward) and return the service over it.

    ``database_url`` overrides ML_DEPLOYMENT_DATABASE_URL, which overrides the default
    SQLite file in the user's data directory. With ``create`` false nothing is created or
    migrated: a missing SQLite file or an older schema is a StorageError. ``clock``
    (returning an aware datetime) replaces the system clock, for tests, tools and
    imports; so does ``actor`` the operating-system user on SQLite. On PostgreSQL the
    actor is the login role, whatever is given: the database records it.
    """
    return TokenService(open_storage(database_url, create=create), clock=clock, actor=actor)
