"""The use cases of Deployment Tokens: the one place with transactions and audit events.

The GUI and the command line both go through ``TokenService``; it hands out plain
records and never a model, and it returns a plaintext token only after the commit that
stored its digest succeeded. The projects themselves are in ``app.projects``; generating
and the rest of a token's lifecycle in ``app.token_lifecycle``, a project's settings
(environments, token policy) in ``app.project_settings``, introspection clients in
``app.introspection_clients``; what every use case shares is in ``app.use_cases``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from app import config, db, salt_fingerprint, schema
from app.audit_trail import AuditTrail
from app.errors import ConfigurationError, LockedError, NotFoundError
from app.introspection_clients import IntrospectionClients
from app.leak_response import LeakResponse
from app.models import (
    AuditEvent,
    ControlState,
    DeploymentToken,
    Project,
)
from app.names import clean_name, refuse_token
from app.orm import peewee
from app.projects import Projects
from app.records import AuditRecord, ProjectRecord, TokenOrder, TokenRecord, utc_now
from app.revocation_keys import RevocationKeys
from app.storage import Storage, open_storage
from app.token_lifecycle import DEFAULT_TOKEN_NAME, TokenLifecycle
from app.use_cases import (
    Clock,
    already_revoked,
    aware,
    changed,
    check_page,
    check_token_id,
)
from app.verification import POSTGRESQL, SQLITE, TokenVerifier, Verdict

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

log = logging.getLogger(__name__)

# A revoke that took longer than this says so (it waited for another session's lock).
REVOKE_WAIT_WORTH_SAYING_SECONDS = 1.0


_ORDER_COLUMNS = {
    # Names sort as people read them, not by code point ("alpha" before "Beta").
    TokenOrder.NAME: peewee.fn.LOWER(DeploymentToken.name),
    TokenOrder.PREVIEW: DeploymentToken.preview,
    TokenOrder.CREATED: DeploymentToken.created_at,
    TokenOrder.LAST_USED: DeploymentToken.last_used_at,
    TokenOrder.CREATED_BY: peewee.fn.LOWER(DeploymentToken.created_by),
    TokenOrder.EXPIRES: DeploymentToken.expires_at,
}
# Orders whose "none" (never used, never expires) sorts as if it were the furthest.
_NONE_IS_LATEST = {TokenOrder.EXPIRES}
_NONE_IS_EARLIEST = {TokenOrder.LAST_USED}
# id, name, preview, created, created by, last used, expires, replaced by
_PageRow = tuple[int, str, str, datetime, str, datetime | None, datetime | None, int | None]


class TokenService(
    Projects, TokenLifecycle, AuditTrail, IntrospectionClients, LeakResponse, RevocationKeys
):
    """Projects and their deployment tokens in one database."""

    def __init__(
        self,
        storage: Storage,
        *,
        environ: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        actor: str | None = None,
    ) -> None:
        super().__init__(storage, environ=environ, clock=clock, actor=actor)
        self._verifier = TokenVerifier(
            SQLITE if storage.is_sqlite else POSTGRESQL, clock=self._clock
        )

    # Tokens

    def list_tokens(self, project_name: str) -> list[TokenRecord]:
        """The project's live tokens, newest first."""
        with self.storage.guard:
            project = self._project(project_name)
            query = (
                DeploymentToken.select()
                .where(DeploymentToken.project == project)
                .order_by(DeploymentToken.created_at.desc(), DeploymentToken.id.desc())
            )
            return self._token_records(query, project.name)

    def token_page(
        self,
        project_name: str,
        *,
        order: TokenOrder = TokenOrder.CREATED,
        descending: bool = True,
        offset: int = 0,
        limit: int = 200,
        search: str | None = None,
    ) -> list[TokenRecord]:
        """One page of the project's live tokens, for views that load as they scroll.

        Ties are broken by id, so pages neither repeat nor skip a token while nothing
        changes; the default order (newest first) reads straight from an index. With
        ``search``, only tokens whose name or masked preview contains it, ignoring case.
        """
        check_page(offset, limit)
        wanted = (search or "").strip()
        if wanted:
            refuse_token(wanted, "search")
        key, tie = _page_order(order, descending)
        with self.storage.guard:
            project = self._project(project_name)
            query = (
                DeploymentToken.select(
                    DeploymentToken.id,
                    DeploymentToken.name,
                    DeploymentToken.preview,
                    DeploymentToken.created_at,
                    DeploymentToken.created_by,
                    DeploymentToken.last_used_at,
                    DeploymentToken.expires_at,
                    DeploymentToken.replaced_by,
                )
                .where(
                    (DeploymentToken.project == project)
                    & (
                        (DeploymentToken.name.contains(wanted))
                        | (DeploymentToken.preview.contains(wanted))
                        if wanted
                        else True
                    )
                )
                .order_by(key, tie)
                .offset(offset)
                .limit(limit)
                # Tuples, not model instances: a page is read each time the pane opens
                # or scrolls, and building models cost more than the query.
                .tuples()
            )
            rows = cast("list[_PageRow]", list(query))
            environments = self._environment_names(row[0] for row in rows)
        return [_page_record(project.name, row, environments) for row in rows]

    def token_by_id(self, token_id: int) -> TokenRecord:
        """One live token by id, in any project (for the verification service)."""
        check_token_id(token_id)
        with self.storage.guard:
            found = (
                DeploymentToken.select(DeploymentToken, Project.name)
                .join(Project)
                .where(DeploymentToken.id == token_id)
                .first()
            )
            if found is None:
                raise NotFoundError(f"there is no token with id {token_id}")
            return self._token_record(found, found.project.name)

    def count_tokens(self, project_name: str) -> int:
        """How many live tokens the project has."""
        with self.storage.guard:
            project = self._project(project_name)
            return int(DeploymentToken.select().where(DeploymentToken.project == project).count())

    def rename_token(self, project_name: str, token_id: int, name: str) -> TokenRecord:
        """Give a token a new label; its secret and digest do not change."""
        label = clean_name(name, "token name")
        check_token_id(token_id)
        with self.storage.guard, db.write_transaction(self._database):
            project = self._project(project_name)
            token = self._token(project, token_id)
            if token.name != label:
                token.name = label
                token.save(only=[DeploymentToken.name])
                self._audit(project, AuditEvent.RENAMED, token, self._now(), f"to {label}")
                changed()
        log.info("renamed token %d (%s) in project %r", token.id, token.preview, project.name)
        return self._token_record(token, project.name)

    def revoke(self, project_name: str, token_id: int) -> TokenRecord:
        """Delete the token so that it fails verification at once, and audit it."""
        check_token_id(token_id)
        started = time.monotonic()
        try:
            with self.storage.guard, db.write_transaction(self._database):
                project = self._project(project_name)
                token = self._token(project, token_id)
                record = self._token_record(token, project.name)
                now = self._now()
                if not self._delete_token(token, project, now):
                    # Another client revoked it between our read and our delete; its
                    # revoke is the one audited.
                    raise already_revoked(project, token_id)
                self._audit(project, AuditEvent.REVOKED, token, now)
                changed()
        except LockedError as locked:  # held past the lock timeout: nothing happened
            raise locked.saying("nothing was revoked") from None
        took = time.monotonic() - started
        if took > REVOKE_WAIT_WORTH_SAYING_SECONDS:
            # Whoever revokes a leaked token wants to know that it was held up.
            log.warning(
                "token %d (%s) was revoked, but only after %.1f s: it waited for another "
                "session's lock (or for a slow database)",
                record.id,
                record.preview,
                took,
            )
        log.info("revoked token %d (%s) in project %r", record.id, record.preview, project.name)
        return record

    # The salt and other clients

    def salt_problem(self) -> str | None:
        """What is wrong with the configured salt, or None when tokens can be generated.

        Besides an unset or short salt, this catches a salt that differs from the one
        this database's tokens were made with.
        """
        problem = config.salt_problem(self._environ)
        if problem is not None:
            return problem
        try:
            with self.storage.guard:
                salt_fingerprint.check(config.load_salt(self._environ))
        except ConfigurationError as error:
            return str(error)
        return None

    def revision(self) -> int:
        """A number that changes whenever any client commits a change: one tiny read."""
        with self.storage.guard:
            row = (
                ControlState.select(ControlState.revision)
                .where(ControlState.id == schema.CONTROL_STATE_ID)
                .tuples()
                .first()
            )
        return 0 if row is None else int(row[0])

    # Verifying

    def verify(
        self, plaintext: str, project_name: str | None = None, environment: str | None = None
    ) -> str | None:
        """The name of the project the token belongs to, or None if it is not valid.

        With ``project_name``, a valid token of another project is not valid either;
        with ``environment``, nor is one not allowed there. Expired tokens are not valid.
        """
        return self.check(plaintext, project_name, environment).project

    def check(
        self,
        plaintext: str,
        project_name: str | None = None,
        environment: str | None = None,
        *,
        environment_required: bool = True,
    ) -> Verdict:
        """Verify like ``verify``, and say why a token was refused (``Verdict.code``).

        A token limited to environments needs one of them named, unless
        ``environment_required`` is False: introspection asks what a token is, not
        whether it may deploy somewhere, and reports its environments instead.

        Plain SQL on this service's connection (``app.verification``): the query builder
        would cost more than the lookup itself on this path.
        """
        salt = config.load_salt(self._environ)
        with self.storage.verify_guard:
            connection = self.storage.raw_connection()
            return self._verifier.check(
                connection,
                salt,
                plaintext,
                project_name,
                environment,
                environment_required=environment_required,
            )

    # The connection

    def reconnect(self) -> None:
        """Drop the connection and open it again, for a Retry after an outage.

        Never creates a database: a file that was deleted stays an error.
        """
        self.storage.reconnect()

    def __enter__(self) -> TokenService:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Helpers


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
    (returning an aware datetime) and ``actor`` replace the system clock and the
    operating-system user, for tests, tools and imports.
    """
    return TokenService(open_storage(database_url, create=create), clock=clock, actor=actor)


def _page_order(order: TokenOrder, descending: bool) -> tuple[Any, Any]:
    """The ORDER BY of a page: the column, then the id to break ties."""
    column = _ORDER_COLUMNS[order]
    if order in _NONE_IS_EARLIEST or order in _NONE_IS_LATEST:
        # Both backends put "none" in the same place: never used sorts as the oldest
        # use, never expires as the latest expiry.
        last = (order in _NONE_IS_EARLIEST) == descending
        nulls = "LAST" if last else "FIRST"
        key = column.desc(nulls=nulls) if descending else column.asc(nulls=nulls)
    else:
        key = column.desc() if descending else column.asc()
    tie = DeploymentToken.id.desc() if descending else DeploymentToken.id.asc()
    return key, tie


def _page_record(
    project: str, row: _PageRow, environments: Mapping[int, tuple[str, ...]]
) -> TokenRecord:
    id_, name, preview, created, by, used, expires, replaced_by = row
    return TokenRecord(
        id_,
        project,
        name,
        preview,
        aware(created),
        by,
        used and aware(used),
        expires and aware(expires),
        environments.get(id_, ()),
        replaced_by,
    )
