"""The stored side of notifications (schema version 10): who is notified, what was
warned about, and what was delivered. Never a secret: a webhook's signing secret is
derived from its seed and the salt (``app.notifications.webhooks``).

Each target keeps two cursors, so that delivery is at least once and in order: the
``seq`` of the last audit event and the id of the last expiry warning it was sent (or, for
e-mail, that it has seen: only leak revocations of the audit trail are mailed).
"""

from __future__ import annotations

from typing import Any

from app.store.db import database_proxy
from app.store.models import (
    ACTOR_MAX_LENGTH,
    DETAIL_MAX_LENGTH,
    BaseModel,
    DeploymentToken,
    MonotonicIdField,
    Project,
)
from app.store.orm import peewee

NOTIFICATION_TARGET_TABLE = "notification_target"
EXPIRY_WARNING_TABLE = "expiry_warning"
NOTIFICATION_DELIVERY_TABLE = "notification_delivery"
NOTIFICATION_POLICY_TABLE = "notification_policy"

ADDRESS_MAX_LENGTH = 2000
KIND_MAX_LENGTH = 16
SEED_LENGTH = 64
THRESHOLDS_MAX_LENGTH = 100


class NotificationTarget(BaseModel):
    """An e-mail recipient or a webhook, of one project or (``project`` NULL) of all."""

    # Never reused: a stale "notifications remove 7" must not remove a newer target.
    id = MonotonicIdField()
    project = peewee.ForeignKeyField(Project, null=True, on_delete="CASCADE")
    kind = peewee.CharField(max_length=KIND_MAX_LENGTH)
    address = peewee.CharField(max_length=ADDRESS_MAX_LENGTH)
    # Lower-cased where case does not matter: one target per place and scope.
    address_key = peewee.CharField(max_length=ADDRESS_MAX_LENGTH)
    # Webhooks only: what the signing secret is derived from. Not readable by clients
    # on PostgreSQL but through dt_notification_seed (notifications_v10.sql).
    secret_seed = peewee.CharField(max_length=SEED_LENGTH, null=True)
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField(max_length=ACTOR_MAX_LENGTH)
    # The last audit event (seq) and expiry warning (id) it has been sent.
    audit_cursor = peewee.BigIntegerField(default=0)
    warning_cursor = peewee.BigIntegerField(default=0)

    class Meta:
        table_name = NOTIFICATION_TARGET_TABLE
        indexes = ((("project", "kind", "address_key"), False),)


class ExpiryWarning(BaseModel):
    """A warning threshold a token has passed: one row per (token, threshold), ever.
    ``warned``: this one was sent; a threshold passed together with a nearer one is
    recorded without a warning of its own."""

    # The order warnings reach webhooks in, and their cursor: never reused.
    id = MonotonicIdField()
    project = peewee.ForeignKeyField(Project, on_delete="CASCADE")
    token = peewee.ForeignKeyField(DeploymentToken, on_delete="CASCADE")
    threshold_days = peewee.IntegerField()
    warned = peewee.BooleanField()
    recorded_at = peewee.DateTimeField()

    class Meta:
        table_name = EXPIRY_WARNING_TABLE
        indexes = ((("token", "threshold_days"), True),)


class NotificationDelivery(BaseModel):
    """What one run of notify did for one target: the delivery log."""

    id = MonotonicIdField()
    target = peewee.ForeignKeyField(NotificationTarget, on_delete="CASCADE")
    attempted_at = peewee.DateTimeField()
    # "sent" or "failed".
    outcome = peewee.CharField(max_length=KIND_MAX_LENGTH)
    items = peewee.IntegerField()
    detail = peewee.CharField(max_length=DETAIL_MAX_LENGTH, default="")

    class Meta:
        table_name = NOTIFICATION_DELIVERY_TABLE
        indexes = ((("target", "attempted_at"), False),)


class NotificationPolicy(BaseModel):
    """A project's expiry warning thresholds, when they are not the default (30,7,1)."""

    project = peewee.ForeignKeyField(Project, primary_key=True, on_delete="CASCADE")
    # "30,7,1", or "none" (app.notifications.thresholds).
    warning_days = peewee.CharField(max_length=THRESHOLDS_MAX_LENGTH)

    class Meta:
        table_name = NOTIFICATION_POLICY_TABLE


NOTIFICATION_MODELS = (NotificationTarget, ExpiryWarning, NotificationDelivery, NotificationPolicy)


def on_the_server(function: str, *arguments: int) -> Any | None:
    """On PostgreSQL, ``SELECT function(arguments)`` (each a bigint) through the models'
    connection: the server's functions of version 10 and its advisory locks. None on
    SQLite, where the caller works on the models itself (as ``lookups.deleted_on_the_
    server`` does for version 8's functions)."""
    database = database_proxy.obj
    if database is None or isinstance(database, peewee.SqliteDatabase):
        return None
    call = getattr(peewee.fn, function)(*(peewee.Cast(value, "bigint") for value in arguments))
    return peewee.Select(columns=[call]).bind(database).scalar()
