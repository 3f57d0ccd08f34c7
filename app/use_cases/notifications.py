"""Notifications: who hears about what (``notifications add|list|remove|thresholds``), and
``notify``, the run that records expiry warnings and delivers everything pending.

Nothing is sent from inside a write: ``notify`` runs on its own (cron, a systemd timer),
reads what is pending for each target, sends it with no transaction open, and then
records the delivery and moves the target's cursors. A revoke never waits for a webhook
that is down, and a webhook that was down gets everything it missed, in order, at the
next run: at least once (receivers deduplicate on each event's ``id``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import cast

from app.access_levels import ADMIN, VIEWER
from app.errors import ConflictError, NotFoundError, ValidationError
from app.notifications import thresholds
from app.notifications.addresses import (
    EMAIL,
    KINDS,
    WEBHOOK,
    address_key,
    clean_address,
    shown,
)
from app.notifications.items import ExpiringToken
from app.notifications.records import NotificationRecord, NotifyReport
from app.store import db, salt_fingerprint, schema
from app.store.models import DeploymentToken, Project
from app.store.notification_models import (
    ExpiryWarning,
    NotificationDelivery,
    NotificationPolicy,
    NotificationTarget,
    on_the_server,
)
from app.store.orm import peewee
from app.store.plain_sql import append_audit
from app.use_cases import lookups
from app.use_cases.context import Context, changed
from app.use_cases.lookups import aware
from app.use_cases.notification_runs import Heads, Target, deliver_all, pending_for, targets

log = logging.getLogger(__name__)

__all__ = ["Notifications", "Notifying"]

ADDED = "notification added"
REMOVED = "notification removed"
WARNINGS_CHANGED = "warning days changed"
# An advisory lock key ("mldn"): one run of notify records warnings at a time.
_WARNING_LOCK_KEY = 0x6D6C646E


class Notifications:
    """The e-mail recipients and webhooks of a project, or of all projects (``None``),
    and a project's expiry warning thresholds."""

    def __init__(self, context: Context) -> None:
        self._context = context

    def add_notification(
        self, project_name: str | None, kind: str, address: str
    ) -> tuple[NotificationRecord, str | None]:
        """Add a recipient (``email``) or a webhook; return it with, for a webhook, its
        signing secret, once. It hears of what happens from now on: its first event is
        its own "notification added"."""
        if kind not in KINDS:
            raise ValidationError(f"a notification goes by {' or '.join(KINDS)}, not {kind!r}")
        clean = clean_address(kind, address)
        from app.notifications import webhooks  # its sender's modules: only here and notify

        seed = webhooks.new_seed() if kind == WEBHOOK else None
        salt = self._context.salt() if seed is not None else b""
        with self._context.writing():
            project = self._scope(project_name, ADMIN)
            if seed is not None:
                salt_fingerprint.check(salt)  # a secret under another salt would not verify
            same = NotificationTarget.select().where(
                _in_scope(project),
                NotificationTarget.kind == kind,
                NotificationTarget.address_key == address_key(kind, clean),
            )
            if same.exists():
                owner = (
                    "all projects already have"
                    if project is None
                    else (f"project '{project.name}' already has")
                )
                raise ConflictError(f"{owner} that {_noun(kind)}")
            heads = Heads.now()
            target = NotificationTarget.create(
                project=project,
                kind=kind,
                address=clean,
                address_key=address_key(kind, clean),
                secret_seed=seed,
                created_at=self._context.stored_now(),
                created_by=self._context.actor,
                audit_cursor=heads.seq,
                warning_cursor=heads.warning,
            )
            self._audit(project, ADDED, f"{_noun(kind)} {target.id}: {shown(kind, clean)}")
            changed()
        log.info("added %s %d for %s", _noun(kind), target.id, _where(project))
        record = Target.of(target, project).record(None)
        return record, None if seed is None else webhooks.secret(seed, salt)

    def list_notifications(self, project_name: str | None) -> list[NotificationRecord]:
        """The project's recipients and webhooks and, for a role that may see them, those
        of all projects; with ``None``, those of all projects alone. Each with its last
        delivery."""
        with self._context.reading():
            project = self._scope(project_name, VIEWER)
            where = (
                _in_scope(project)
                if project is None
                else (
                    (NotificationTarget.project == project) | NotificationTarget.project.is_null()
                )
            )
            return [target.record(last) for target, last in targets(where, with_last=True)]

    def remove_notification(self, project_name: str | None, target_id: int) -> NotificationRecord:
        """Remove a recipient or webhook at once, with its delivery log."""
        if isinstance(target_id, bool) or not isinstance(target_id, int):
            raise ValidationError("a notification's id is a whole number")
        if not 1 <= target_id <= schema.MAX_ID:
            raise NotFoundError(f"there is no notification {target_id} (ids are positive)")
        with self._context.writing():
            project = self._scope(project_name, ADMIN)
            found = targets(_in_scope(project) & (NotificationTarget.id == target_id))
            if not found:
                raise NotFoundError(f"there is no notification {target_id} {_where(project)}")
            target = found[0][0]
            # On PostgreSQL the server's function deletes, checking the level again; on
            # SQLite, in the order the foreign keys ask for.
            deleted = on_the_server("dt_delete_notification", target.id)
            if deleted is None:
                NotificationDelivery.delete().where(
                    NotificationDelivery.target == target.id
                ).execute()
                NotificationTarget.delete().where(NotificationTarget.id == target.id).execute()
            elif not deleted:  # removed by another client meanwhile
                raise NotFoundError(f"there is no notification {target_id} {_where(project)}")
            self._audit(project, REMOVED, f"{_noun(target.kind)} {target.id}: {target.shown}")
            changed()
        log.info("removed %s %d for %s", _noun(target.kind), target.id, _where(project))
        return target.record(None)

    def warning_days(self, project_name: str) -> tuple[int, ...]:
        """The project's expiry warning thresholds, farthest first (default 30, 7, 1)."""
        with self._context.reading():
            project = lookups.project(project_name)
            return _policy_days(project.id)

    def set_warning_days(self, project_name: str, days: Iterable[int]) -> tuple[int, ...]:
        """Set the project's thresholds (empty: no expiry warnings); returns them."""
        wanted = thresholds.parse_days(thresholds.stored(days))
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require(ADMIN, project)
            if _policy_days(project.id) != wanted:
                value = thresholds.stored(wanted)
                row = NotificationPolicy.get_or_none(NotificationPolicy.project == project.id)
                if row is None:
                    NotificationPolicy.create(project=project.id, warning_days=value)
                else:
                    NotificationPolicy.update(warning_days=value).where(
                        NotificationPolicy.project == project.id
                    ).execute()
                self._audit(project, WARNINGS_CHANGED, thresholds.describe(wanted))
                changed()
        return wanted

    def _scope(self, project_name: str | None, level: str) -> Project | None:
        """The project named, or None for all projects, once ``level`` there is held."""
        project = None if project_name is None else lookups.project(project_name)
        self._context.require(level, project)
        return project

    def _audit(self, project: Project | None, action: str, detail: str) -> None:
        """An event of the project, or of every project (Context.audit takes a project)."""
        now = self._context.stored_now()
        if project is not None:
            self._context.audit(project, action, None, now, detail)
            return
        execute, dialect = db.on_the_models_database()
        append_audit(execute, dialect, None, action, None, self._context.actor, now, detail)


class Notifying:
    """One run of ``notify``: warnings recorded, then every target's pending events sent."""

    def __init__(self, context: Context) -> None:
        self._context = context

    def notify(
        self, *, dry_run: bool = False, sleep: Callable[[float], None] = time.sleep
    ) -> NotifyReport:
        """Record the expiry warnings now due, then send each target what it has not had
        yet: the digest by e-mail, each event to webhooks. With ``dry_run``, nothing is
        written or sent: the report says what would be. ``sleep`` waits between a
        webhook's attempts."""
        from app.notifications import smtp

        mail = smtp.settings(self._context.environ)
        with self._context.reading():
            # Every project's tokens and events, and every target: a level on all projects.
            self._context.require(VIEWER)
            found = [target for target, _ in targets(None)]
        salt = None
        if not dry_run and any(target.kind == WEBHOOK for target in found):
            salt = self._context.salt()
            with self._context.reading():
                salt_fingerprint.check(salt)
        warnings = self._record_warnings(found, dry_run) if found else []
        with self._context.reading():
            heads = Heads.now()
            pending = [pending_for(target, heads, warnings if dry_run else ()) for target in found]
        if dry_run:
            owed = tuple(p.would_send() for p in pending if p.items)
            return NotifyReport(tuple(warnings), owed, True)
        deliveries = deliver_all(self._context, pending, mail, salt, sleep)
        return NotifyReport(tuple(warnings), tuple(deliveries))

    def _record_warnings(self, found: list[Target], dry_run: bool) -> list[ExpiringToken]:
        """The thresholds passed since the last run, recorded (one row each); the
        warnings to send, one per token: its nearest new threshold."""
        everywhere = any(target.project_id is None for target in found)
        scope = {target.project_id for target in found}
        now = self._context.stored_now()
        transaction = self._context.reading() if dry_run else self._context.writing()
        with transaction:
            if not dry_run:  # PostgreSQL: one run records at a time (SQLite: the write lock)
                on_the_server("pg_advisory_xact_lock", _WARNING_LOCK_KEY)
            policies = _all_policy_days()
            horizon = max((max(days, default=0) for days in policies.values()), default=0)
            horizon = max(horizon, *thresholds.DEFAULT_DAYS)
            rows = _expiring_tokens(now, horizon, None if everywhere else scope)
            recorded = _recorded(token.id for token, _ in rows)
            warned: list[ExpiringToken] = []
            for token, project_name in rows:
                days = policies.get(token.project.id, thresholds.DEFAULT_DAYS)
                passed = thresholds.passed(days, cast("datetime", token.expires_at), now)
                new, nearest = thresholds.to_record(passed, recorded.get(token.id, set()))
                warning_id = 0
                for day in sorted(new, reverse=True):
                    if not dry_run:
                        row = ExpiryWarning.create(
                            project=token.project.id, token=token.id, threshold_days=day,
                            warned=day == nearest, recorded_at=now,
                        )  # fmt: skip
                        warning_id = row.id if day == nearest else warning_id
                if nearest is not None:
                    warned.append(_expiring(token, project_name, nearest, warning_id))
        for warning in warned:
            log.info("token %d of %r is within %d days of expiry",
                     warning.token_id, warning.project, warning.threshold_days)  # fmt: skip
        return warned


def _in_scope(project: Project | None) -> peewee.Expression:
    if project is None:
        return NotificationTarget.project.is_null()
    return cast("peewee.Expression", NotificationTarget.project == project.id)


def _where(project: Project | None) -> str:
    return "for all projects" if project is None else f"in project '{project.name}'"


def _noun(kind: str) -> str:
    return "e-mail recipient" if kind == EMAIL else "webhook"


def _policy_days(project_id: int) -> tuple[int, ...]:
    row = NotificationPolicy.get_or_none(NotificationPolicy.project == project_id)
    return thresholds.from_stored(None if row is None else row.warning_days)


def _all_policy_days() -> dict[int, tuple[int, ...]]:
    rows = cast(
        "Iterable[tuple[int, str]]",
        NotificationPolicy.select(
            NotificationPolicy.project, NotificationPolicy.warning_days
        ).tuples(),
    )
    return {int(project): thresholds.from_stored(days) for project, days in rows}


def _expiring_tokens(
    now: datetime, horizon_days: int, projects: set[int | None] | None
) -> list[tuple[DeploymentToken, str]]:
    """Live tokens, not retiring in a rotation, that expire within the horizon; of the
    projects given (None: of every project)."""
    query = (
        DeploymentToken.select(DeploymentToken, Project.id, Project.name)
        .join(Project)
        .where(
            DeploymentToken.expires_at.is_null(False),
            DeploymentToken.expires_at > now,
            DeploymentToken.expires_at <= now + timedelta(days=horizon_days),
            DeploymentToken.replaced_by.is_null(),
        )
        .order_by(DeploymentToken.expires_at, DeploymentToken.id)
    )
    if projects is not None:
        query = query.where(DeploymentToken.project.in_([p for p in projects if p is not None]))
    return [(token, token.project.name) for token in query]  # with its project's id


def _recorded(token_ids: Iterable[int]) -> dict[int, set[int]]:
    ids = list(token_ids)
    found: dict[int, set[int]] = {}
    for start in range(0, len(ids), 500):
        query = ExpiryWarning.select(ExpiryWarning.token, ExpiryWarning.threshold_days).where(
            ExpiryWarning.token.in_(ids[start : start + 500])
        )
        for token_id, day in cast("Iterable[tuple[int, int]]", query.tuples()):
            found.setdefault(int(token_id), set()).add(int(day))
    return found


def _expiring(token: DeploymentToken, project: str, days: int, warning_id: int) -> ExpiringToken:
    return ExpiringToken(
        warning_id=warning_id,
        project_id=token.project.id,
        project=project,
        token_id=token.id,
        name=token.name,
        preview=token.preview,
        created_at=aware(token.created_at),
        created_by=token.created_by,
        expires_at=aware(cast("datetime", token.expires_at)),
        threshold_days=days,
    )
