"""What a run of notify reads, sends and records for each target (``app.use_cases.
notifications.Notifying`` drives it).

Each target has two cursors: the ``seq`` of the last audit event and the id of the last
expiry warning it was sent. A run reads what lies between a target's cursors and the
heads (read once, at the start), sends it with no transaction open, then records the
delivery and moves the cursors, in one short write: to the heads when everything went,
to the last event sent when a webhook failed part-way (order is kept: the event that
failed comes first next time). E-mail gets one digest of everything; webhooks one POST
per event, audit events before warnings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from app import config
from app.notifications.addresses import EMAIL, shown
from app.notifications.items import LEAK_DETAIL_PREFIX, PUSH_FAILED, AuditItem, ExpiringToken
from app.notifications.records import (
    FAILED,
    SENT,
    WOULD_SEND,
    Delivery,
    DeliveryRecord,
    NotificationRecord,
)
from app.store.models import AuditEvent, DeploymentToken, Project
from app.store.notification_models import (
    ExpiryWarning,
    NotificationDelivery,
    NotificationTarget,
    on_the_server,
)
from app.store.orm import peewee
from app.use_cases.context import Context
from app.use_cases.lookups import aware

# The senders (smtplib, ssl, urllib.request, email: 30 ms) are loaded by a run that
# sends: the desktop app builds its service without them.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.notifications import smtp

log = logging.getLogger(__name__)

# What one run sends a target at most, of each kind; the rest goes at the next run.
MAX_ITEMS_PER_RUN = 500


@dataclass(frozen=True, slots=True)
class Heads:
    """The newest audit event and expiry warning: how far a run delivers."""

    seq: int
    warning: int

    @classmethod
    def now(cls) -> Heads:
        seq = AuditEvent.select(peewee.fn.MAX(AuditEvent.seq)).scalar()
        warning = ExpiryWarning.select(peewee.fn.MAX(ExpiryWarning.id)).scalar()
        return cls(int(seq or 0), int(warning or 0))


@dataclass(frozen=True, slots=True)
class Target:
    """A recipient or webhook as a run sees it: never its secret's seed."""

    id: int
    project_id: int | None
    project: str | None
    kind: str
    address: str
    created_at: datetime
    created_by: str
    audit_cursor: int
    warning_cursor: int

    @classmethod
    def of(cls, row: NotificationTarget, project: Project | None) -> Target:
        """A target just made, of ``project`` (None: of all)."""
        return cls(
            row.id, None if project is None else project.id,
            None if project is None else project.name, row.kind, row.address,
            aware(row.created_at), row.created_by, row.audit_cursor, row.warning_cursor,
        )  # fmt: skip

    def record(self, last: DeliveryRecord | None) -> NotificationRecord:
        return NotificationRecord(
            self.id, self.project, self.kind, self.address, self.created_at, self.created_by, last
        )

    @property
    def shown(self) -> str:
        return shown(self.kind, self.address)

    def sees(self, project_id: int | None) -> bool:
        return self.project_id is None or self.project_id == project_id


_COLUMNS = (
    NotificationTarget.id,
    NotificationTarget.project,
    Project.name,
    NotificationTarget.kind,
    NotificationTarget.address,
    NotificationTarget.created_at,
    NotificationTarget.created_by,
    NotificationTarget.audit_cursor,
    NotificationTarget.warning_cursor,
)


def targets(
    where: peewee.Expression | None, *, with_last: bool = False
) -> list[tuple[Target, DeliveryRecord | None]]:
    """The targets (``where`` None: all this role may see), oldest first, with their
    last delivery when asked. Their columns by name: the seed is not every role's."""
    query = NotificationTarget.select(*_COLUMNS).join(Project, peewee.JOIN.LEFT_OUTER)
    if where is not None:
        query = query.where(where)
    rows = cast("Iterable[tuple[Any, ...]]", query.order_by(NotificationTarget.id).tuples())
    found = [
        Target(int(id_), project_id, name, kind, address, aware(at), by, int(seq), int(warning))
        for id_, project_id, name, kind, address, at, by, seq, warning in rows
    ]
    last = _last_deliveries([target.id for target in found]) if with_last else {}
    return [(target, last.get(target.id)) for target in found]


def _last_deliveries(target_ids: list[int]) -> dict[int, DeliveryRecord]:
    if not target_ids:
        return {}
    newest = (
        NotificationDelivery.select(peewee.fn.MAX(NotificationDelivery.id))
        .where(NotificationDelivery.target.in_(target_ids))
        .group_by(NotificationDelivery.target)
    )
    rows = cast(
        "Iterable[tuple[int, datetime, str, int, str]]",
        NotificationDelivery.select(
            NotificationDelivery.target,
            NotificationDelivery.attempted_at,
            NotificationDelivery.outcome,
            NotificationDelivery.items,
            NotificationDelivery.detail,
        )
        .where(NotificationDelivery.id.in_(newest))
        .tuples(),
    )
    return {
        int(target): DeliveryRecord(aware(at), outcome, items, detail)
        for target, at, outcome, items, detail in rows
    }


@dataclass(frozen=True, slots=True)
class Pending:
    """What a target has not been sent yet, up to the heads."""

    target: Target
    events: tuple[AuditItem, ...]
    warnings: tuple[ExpiringToken, ...]
    heads: Heads
    # False when the run's limit cut it short: the cursors stop at what was sent.
    complete: bool = True

    @property
    def items(self) -> int:
        return len(self.events) + len(self.warnings)

    def summary(self) -> str:
        if self.target.kind == EMAIL:
            from app.notifications import digest

            return digest.subject(self.warnings, self.events).removeprefix(digest.SUBJECT_PREFIX)
        return f"{_count(len(self.events), 'event')}, {_count(len(self.warnings), 'warning')}"

    def would_send(self) -> Delivery:
        return Delivery(self.target.record(None), WOULD_SEND, self.items, self.summary())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def pending_for(target: Target, heads: Heads, extra: Iterable[ExpiringToken] = ()) -> Pending:
    """What ``target`` is owed (``extra``: warnings a dry run would record)."""
    events = AuditEvent.select().where(
        AuditEvent.seq > target.audit_cursor, AuditEvent.seq <= heads.seq
    )
    if target.project_id is not None:
        events = events.where(AuditEvent.project_id == target.project_id)
    if target.kind == EMAIL:  # by e-mail, of the audit trail leak revocations, failed pushes
        events = events.where(
            ((AuditEvent.action == "revoked") & AuditEvent.detail.startswith(LEAK_DETAIL_PREFIX))
            | (AuditEvent.action == PUSH_FAILED)
        )
    items = [_audit_item(e) for e in events.order_by(AuditEvent.seq).limit(MAX_ITEMS_PER_RUN + 1)]
    if target.kind == EMAIL:
        items = [item for item in items if item.mailed]
    warnings = _warnings(target, heads)
    warnings += [w for w in extra if target.sees(w.project_id)]
    complete = len(items) <= MAX_ITEMS_PER_RUN and len(warnings) <= MAX_ITEMS_PER_RUN
    return Pending(
        target, tuple(items[:MAX_ITEMS_PER_RUN]), tuple(warnings[:MAX_ITEMS_PER_RUN]), heads,
        complete,
    )  # fmt: skip


def _audit_item(event: AuditEvent) -> AuditItem:
    return AuditItem(
        seq=int(event.seq),
        hash=event.hash,
        at=aware(event.occurred_at),
        actor=event.actor,
        action=event.action,
        project=event.project_name,
        project_id=event.project_id,
        token_id=event.token_id,
        preview=event.token_preview,
        detail=event.detail or "",
    )


def _warnings(target: Target, heads: Heads) -> list[ExpiringToken]:
    query = (
        ExpiryWarning.select(ExpiryWarning, DeploymentToken, Project.id, Project.name)
        .join(DeploymentToken)
        .switch(ExpiryWarning)
        .join(Project)
        .where(
            ExpiryWarning.id > target.warning_cursor,
            ExpiryWarning.id <= heads.warning,
            ExpiryWarning.warned == True,  # noqa: E712 (a peewee expression)
        )
        .order_by(ExpiryWarning.id)
        .limit(MAX_ITEMS_PER_RUN + 1)
    )
    if target.project_id is not None:
        query = query.where(ExpiryWarning.project == target.project_id)
    return [
        ExpiringToken(
            warning_id=row.id,
            project_id=row.project.id,
            project=row.project.name,
            token_id=row.token.id,
            name=row.token.name,
            preview=row.token.preview,
            created_at=aware(row.token.created_at),
            created_by=row.token.created_by,
            expires_at=aware(cast("datetime", row.token.expires_at)),
            threshold_days=row.threshold_days,
        )
        for row in query
    ]


# Sending


@dataclass(frozen=True, slots=True)
class _Outcome:
    pending: Pending
    outcome: str | None  # SENT, FAILED, or None: nothing to send
    sent: int = 0
    detail: str = ""
    # Where the cursors go: (audit seq, warning id).
    cursors: tuple[int, int] | None = None


def deliver_all(
    context: Context,
    pending: list[Pending],
    mail: smtp.SmtpSettings | None,
    salt: bytes | None,
    sleep: Callable[[float], None],
) -> list[Delivery]:
    """Send everything pending, then record each target's delivery and cursors."""
    outcomes = _mail([p for p in pending if p.target.kind == EMAIL], mail, context.now())
    for hook in (p for p in pending if p.target.kind != EMAIL):
        outcomes.append(_post(context, hook, salt or b"", sleep))
    deliveries = []
    for outcome in outcomes:
        _record(context, outcome)
        if outcome.outcome is not None:
            target = outcome.pending.target
            log.info("%s %s %d: %s", outcome.outcome, target.kind, target.id, outcome.detail)
            deliveries.append(
                Delivery(target.record(None), outcome.outcome, outcome.sent, outcome.detail)
            )
    return deliveries


def _done(pending: Pending) -> tuple[int, int]:
    """The cursors once everything pending went: the heads, unless the limit cut it."""
    if pending.complete:
        return pending.heads.seq, pending.heads.warning
    last_event = pending.events[-1].seq if pending.events else pending.target.audit_cursor
    last_warning = (
        pending.warnings[-1].warning_id if pending.warnings else pending.target.warning_cursor
    )
    return last_event, last_warning


def _mail(pending: list[Pending], mail: smtp.SmtpSettings | None, now: datetime) -> list[_Outcome]:
    """One digest per recipient with anything to hear, over one SMTP session."""
    from app.notifications import digest, smtp

    outcomes = [_Outcome(p, None, cursors=_done(p)) for p in pending if not p.items]
    owed = [p for p in pending if p.items]
    if not owed:
        return outcomes
    if mail is None:
        why = f"{config.SMTP_URL_ENV} is not set: no e-mail can be sent"
        return outcomes + [_Outcome(p, FAILED, detail=why) for p in owed]
    sent: list[_Outcome] = []
    try:
        with smtp.connected(mail) as session:
            for p in owed:
                message = digest.message(mail.sender, p.target.address, p.warnings, p.events, now)
                try:
                    smtp.send(session, mail, message)
                except smtp.DeliveryError as error:
                    sent.append(_Outcome(p, FAILED, detail=str(error)))
                else:
                    sent.append(_Outcome(p, SENT, p.items, p.summary(), _done(p)))
    except smtp.DeliveryError as error:
        done = {outcome.pending.target.id for outcome in sent}
        sent += [_Outcome(p, FAILED, detail=str(error)) for p in owed if p.target.id not in done]
    return outcomes + sent


def _post(
    context: Context, pending: Pending, salt: bytes, sleep: Callable[[float], None]
) -> _Outcome:
    """Each event in order, until one is not taken; the cursors follow what went."""
    if not pending.items:
        return _Outcome(pending, None, cursors=_done(pending))
    seed = _seed(context, pending.target.id)
    if seed is None:
        return _Outcome(pending, FAILED, detail="this role may not read the webhook's secret")
    from app.notifications import webhooks

    poster = webhooks.Poster(pending.target.address, webhooks.secret(seed, salt), sleep=sleep)
    audit_cursor, warning_cursor = pending.target.audit_cursor, pending.target.warning_cursor
    sent = 0
    payloads: list[tuple[dict[str, Any], AuditItem | ExpiringToken]] = [
        (webhooks.audit_payload(e), e) for e in pending.events
    ] + [(webhooks.expiry_payload(w), w) for w in pending.warnings]
    for payload, item in payloads:
        try:
            poster.post(payload)
        except webhooks.WebhookError as error:
            left = pending.items - sent
            detail = f"{error}; {left} waiting for the next run"
            return _Outcome(pending, FAILED, sent, detail, (audit_cursor, warning_cursor))
        sent += 1
        if isinstance(item, AuditItem):
            audit_cursor = item.seq
        else:
            warning_cursor = item.warning_id
    return _Outcome(pending, SENT, sent, pending.summary(), _done(pending))


def _seed(context: Context, target_id: int) -> str | None:
    """The webhook's seed: on PostgreSQL through the server's function (the column is
    no client's to read)."""
    with context.reading():
        found = on_the_server("dt_notification_seed", target_id)
        if found is None and context.storage.is_sqlite:
            found = (
                NotificationTarget.select(NotificationTarget.secret_seed)
                .where(NotificationTarget.id == target_id)
                .scalar()
            )
    return None if found is None else str(found)


def _record(context: Context, outcome: _Outcome) -> None:
    """The delivery in the log, and the cursors moved (never back: another run may have
    moved them further meanwhile)."""
    target = outcome.pending.target
    moves = outcome.cursors is not None and outcome.cursors != (
        target.audit_cursor,
        target.warning_cursor,
    )
    if outcome.outcome is None and not moves:
        return
    with context.writing():
        if not NotificationTarget.select().where(NotificationTarget.id == target.id).exists():
            return  # removed while the run was sending
        if outcome.outcome is not None:
            NotificationDelivery.create(
                target=target.id,
                attempted_at=context.stored_now(),
                outcome=outcome.outcome,
                items=outcome.sent,
                detail=outcome.detail[:1000],
            )
        if outcome.cursors is not None and moves:
            seq, warning = outcome.cursors
            NotificationTarget.update(
                audit_cursor=_forward(NotificationTarget.audit_cursor, seq),
                warning_cursor=_forward(NotificationTarget.warning_cursor, warning),
            ).where(NotificationTarget.id == target.id).execute()


def _forward(column: Any, value: int) -> Any:
    return peewee.Case(None, [(column < value, value)], column)
