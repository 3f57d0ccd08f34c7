"""Every use case of a deployment token: generating it with an expiry and environments,
listing and paging, renaming, rotating, changing its expiry or environments, finding the
ones expiring, and revoking it.

Generating and rotating are plain SQL (``app.issuing``), the very writes `tokens
generate` makes on its own; the rest work on the peewee models.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, cast

from app import durations, lifecycle, tokens
from app.errors import ConflictError, LockedError, NotFoundError, ValidationError
from app.issuing import DEFAULT_TOKEN_NAME, Issued, when
from app.lifecycle import Expiry, later
from app.names import clean_name, refuse_token
from app.records import TokenOrder, TokenRecord
from app.store.models import AuditEvent, DeploymentToken, Project, TokenEnvironment
from app.store.orm import peewee
from app.store.plain_sql import naive_utc as naive
from app.use_cases import lookups
from app.use_cases.context import Context, changed
from app.use_cases.lookups import aware, check_page, check_token_id

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_TOKEN_NAME", "DeploymentTokens"]

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
_PageRow = tuple[
    int,
    str,
    str,
    datetime,
    str,
    datetime | None,
    datetime | None,
    int | None,
    int | None,
    int | None,
]


class DeploymentTokens:
    """The deployment tokens of every project."""

    def __init__(self, context: Context) -> None:
        self._context = context

    # Reading

    def list_tokens(self, project_name: str) -> list[TokenRecord]:
        """The project's live tokens, newest first."""
        with self._context.reading():
            project = lookups.project(project_name)
            query = (
                DeploymentToken.select()
                .where((DeploymentToken.project == project) & self._listed())
                .order_by(DeploymentToken.created_at.desc(), DeploymentToken.id.desc())
            )
            return lookups.token_records(query, project.name)

    def token_page(
        self,
        project_name: str,
        *,
        order: TokenOrder = TokenOrder.CREATED,
        descending: bool = True,
        offset: int = 0,
        limit: int = 200,
        search: str | None = None,
        hide_exchanged: bool = False,
    ) -> list[TokenRecord]:
        """One page of the project's live tokens, for views that load as they scroll.

        Ties are broken by id, so pages neither repeat nor skip a token while nothing
        changes; the default order (newest first) reads straight from an index. With
        ``search``, only tokens whose name or masked preview contains it, ignoring case;
        with ``hide_exchanged``, none a trusted deployer's exchange issued.
        """
        check_page(offset, limit)
        wanted = (search or "").strip()
        if wanted:
            refuse_token(wanted, "search")
        key, tie = _page_order(order, descending)
        with self._context.reading():
            project = lookups.project(project_name)
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
                    DeploymentToken.deployer_id,
                    DeploymentToken.destination_id,
                )
                .where(
                    (DeploymentToken.project == project)
                    & self._listed(hide_exchanged)
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
            environments = lookups.environment_names(row[0] for row in rows)
        return [_page_record(project.name, row, environments) for row in rows]

    def token_by_id(self, token_id: int) -> TokenRecord:
        """One live token by id, in any project (for the verification service)."""
        check_token_id(token_id)
        with self._context.reading():
            found = (
                DeploymentToken.select(DeploymentToken, Project.name)
                .join(Project)
                .where(DeploymentToken.id == token_id)
                .first()
            )
            if found is None:
                raise NotFoundError(f"there is no token with id {token_id}")
            return lookups.token_record(found, found.project.name)

    def count_tokens(self, project_name: str, *, hide_exchanged: bool = False) -> int:
        """How many live tokens the project lists (``token_page`` with nothing searched)."""
        with self._context.reading():
            project = lookups.project(project_name)
            mine = DeploymentToken.project == project
            # Two counts, each from the (project, deployer) index: with the OR of _listed
            # a count read every row (20 ms for 100,000 tokens).
            count = DeploymentToken.select().where(mine & DeploymentToken.deployer_id.is_null())
            total = int(count.count())
            if not hide_exchanged:
                live = DeploymentToken.expires_at > self._context.stored_now()
                exchanged = mine & DeploymentToken.deployer_id.is_null(False) & live
                total += int(DeploymentToken.select().where(exchanged).count())
            return total

    def _listed(self, hide_exchanged: bool = False) -> Any:
        """Which tokens lists show: an exchanged token only while it lives (it lasts
        minutes: a pipeline's, not a person's to manage), and none with
        ``hide_exchanged``."""
        a_persons = DeploymentToken.deployer_id.is_null()
        if hide_exchanged:
            return a_persons
        return a_persons | (DeploymentToken.expires_at > self._context.stored_now())

    def rename_token(self, project_name: str, token_id: int, name: str) -> TokenRecord:
        """Give a token a new label; its secret and digest do not change."""
        label = clean_name(name, "token name")
        check_token_id(token_id)
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require("manager", project)
            token = lookups.token(project, token_id)
            if token.name != label:
                token.name = label
                token.save(only=[DeploymentToken.name])
                self._context.audit(
                    project, AuditEvent.RENAMED, token, self._context.stored_now(), f"to {label}"
                )
                changed()
        log.info("renamed token %d (%s) in project %r", token.id, token.preview, project.name)
        return lookups.token_record(token, project.name)

    def revoke(self, project_name: str, token_id: int) -> TokenRecord:
        """Delete the token so that it fails verification at once, and audit it."""
        check_token_id(token_id)
        started = time.monotonic()
        try:
            with self._context.writing():
                project = lookups.project(project_name)
                self._context.require("manager", project)
                token = lookups.token(project, token_id)
                record = lookups.token_record(token, project.name)
                now = self._context.stored_now()
                if not lookups.delete_token(token, project, now):
                    # Another client revoked it between our read and our delete; its
                    # revoke is the one audited.
                    raise lookups.already_revoked(project, token_id)
                self._context.audit(project, AuditEvent.REVOKED, token, now)
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

    # Issuing

    def generate(
        self,
        project_name: str,
        name: str | None = None,
        *,
        expiry: Expiry | None = None,
        environments: Iterable[str] = (),
    ) -> tuple[TokenRecord, str]:
        """Store a new token's digest and return its record and, once, its plaintext.

        ``name`` None gives a unique default, "Deployment token 3". ``expiry``
        None applies the project's default lifetime; ``environments`` empty allows every
        environment of the project. The plaintext is returned only after the commit
        succeeded: a token the user sees is always a token that works.
        """
        wanted = list(environments)
        salt = self._context.salt()
        plaintext = tokens.new_token()
        with self._context.writing():
            # Plain SQL (app.issuing), the very write `tokens generate` makes on its own;
            # on PostgreSQL it refuses a role below manager with the project's lookup.
            issued = self._context.issuer.generate(
                self._context.storage.raw_connection(),
                salt=salt,
                plaintext=plaintext,
                project_name=project_name,
                name=name,
                expiry=expiry,
                environments=wanted,
                actor=self._context.actor,
                now=self._context.clock(),
            )
        log.info("generated token %d (%s) in project %r", issued.id, issued.preview, issued.project)
        return issued_record(issued), plaintext

    def rotate(
        self, project_name: str, token_id: int, *, grace: timedelta = timedelta(0)
    ) -> tuple[TokenRecord, str]:
        """Replace a token with a successor of the same name, environments and lifetime.

        The old token stops working at now + ``grace``, or when it expires if that comes
        sooner (at once with no grace, when it is revoked outright). One transaction; the
        plaintext of the successor is returned only after it committed.
        """
        successor, plaintext, _ = self.rotate_with_stop(project_name, token_id, grace=grace)
        return successor, plaintext

    def rotate_with_stop(
        self, project_name: str, token_id: int, *, grace: timedelta = timedelta(0)
    ) -> tuple[TokenRecord, str, datetime]:
        """As ``rotate``, and also when the old token stops working: now with no grace,
        else the sooner of now + ``grace`` and its own expiry (a grace never lengthens a
        token's life)."""
        if grace < timedelta(0):
            raise ValidationError("the grace period cannot be negative")
        lifecycle.check_duration(grace, "grace period")
        salt = self._context.salt()
        plaintext = tokens.new_token()
        with self._context.writing():
            # Plain SQL (app.issuing), as generate: the successor is the issuer's write,
            # and the whole rotation one transaction on one side of the store.
            successor, stop = self._context.issuer.rotate(
                self._context.storage.raw_connection(),
                salt=salt,
                plaintext=plaintext,
                project_name=project_name,
                token_id=token_id,
                grace=grace,
                actor=self._context.actor,
                clock=self._context.clock,
            )
        log.info(
            "rotated token %d into %d in project %r", token_id, successor.id, successor.project
        )
        return issued_record(successor), plaintext, stop

    # Changing

    def set_token_expiry(self, project_name: str, token_id: int, expiry: Expiry) -> TokenRecord:
        """Give a token a new expiry, within the project's policy.

        Refused for a token that was rotated: its end was set by the rotation, and a new
        expiry would keep a replaced token alive (or bring it back).
        """
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require("manager", project)
            token = lookups.token(project, token_id)
            if token.replaced_by is not None:
                raise ConflictError(
                    f"token {token.id} was rotated (token {abs(token.replaced_by)} replaces "
                    "it), so its expiry cannot be changed; revoke it to stop it sooner"
                )
            now = self._context.clock()
            expires_at = expiry.resolve(now, lookups.policy_of(project))
            token.expires_at = None if expires_at is None else naive(expires_at)
            token.save(only=[DeploymentToken.expires_at])
            self._context.audit(
                project,
                AuditEvent.EXPIRY_CHANGED,
                token,
                naive(now),
                "no expiry" if expires_at is None else f"expires {when(expires_at)}",
            )
            changed()
        return lookups.token_record(token, project.name)

    def set_token_environments(
        self, project_name: str, token_id: int, environments: Iterable[str]
    ) -> TokenRecord:
        """Limit a token to some of the project's environments (none: all of them)."""
        wanted = list(environments)
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require("manager", project)
            token = lookups.token(project, token_id)
            chosen = [lookups.environment(project, env) for env in wanted]
            lookups.clear_token_environments(token)
            for environment in {e.id: e for e in chosen}.values():
                TokenEnvironment.create(token=token, environment=environment)
            names = sorted({e.name for e in chosen}, key=str.casefold)
            self._context.audit(
                project,
                AuditEvent.ENVIRONMENTS_CHANGED,
                token,
                self._context.stored_now(),
                "environments: " + (", ".join(names) if names else "all"),
            )
            changed()
        return lookups.token_record(token, project.name)

    def expiring(self, within: timedelta = durations.EXPIRING_WITHIN) -> list[TokenRecord]:
        """Across all projects, live tokens that expire within ``within`` or have expired,
        soonest first."""
        with self._context.reading():
            query = (
                DeploymentToken.select(DeploymentToken, Project.name)
                .join(Project)
                .where(DeploymentToken.expires_at <= later(self._context.stored_now(), within))
                .order_by(DeploymentToken.expires_at, DeploymentToken.id)
            )
            found: list[TokenRecord] = []
            for token in query:
                found.extend(lookups.token_records([token], token.project.name))
            return found


def issued_record(issued: Issued) -> TokenRecord:
    """A token just issued, as the service hands tokens out."""
    return TokenRecord(
        id=issued.id,
        project=issued.project,
        name=issued.name,
        preview=issued.preview,
        created_at=issued.created_at,
        created_by=issued.created_by,
        last_used_at=None,
        expires_at=issued.expires_at,
        environments=issued.environments,
        replaced_by=None,
    )


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
    id_, name, preview, created, by, used, expires, replaced_by, deployer, destination = row
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
        lookups.replacement(replaced_by),
        deployer,
        destination,
    )
