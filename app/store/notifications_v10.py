"""Schema version 10: notifications (``deployment-tokens notify``). Frozen, as every
migration is: the tables below are those of its own day, not today's models
(``app.store.notification_models``), so that an old database always passes through the
same steps as a new one.

In a module of its own, beside its PostgreSQL script (``notifications_v10.sql``), to keep
``app.store.migrations`` readable; that module lists it in MIGRATIONS as
``_v10_notifications``.
"""

from __future__ import annotations

from app.store import db
from app.store.models import MonotonicIdField
from app.store.orm import peewee


class _Frozen(peewee.Model):
    class Meta:
        database = db.database_proxy
        legacy_table_names = False


class _Project(_Frozen):
    id = MonotonicIdField()

    class Meta:
        table_name = "project"


class _DeploymentToken(_Frozen):
    id = MonotonicIdField()

    class Meta:
        table_name = "deployment_token"


class _NotificationTarget(_Frozen):
    id = MonotonicIdField()
    project = peewee.ForeignKeyField(_Project, null=True, on_delete="CASCADE")
    kind = peewee.CharField(max_length=16)
    address = peewee.CharField(max_length=2000)
    address_key = peewee.CharField(max_length=2000)
    secret_seed = peewee.CharField(max_length=64, null=True)
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField(max_length=255)
    audit_cursor = peewee.BigIntegerField(default=0)
    warning_cursor = peewee.BigIntegerField(default=0)

    class Meta:
        table_name = "notification_target"
        indexes = ((("project", "kind", "address_key"), False),)


class _ExpiryWarning(_Frozen):
    id = MonotonicIdField()
    project = peewee.ForeignKeyField(_Project, on_delete="CASCADE")
    token = peewee.ForeignKeyField(_DeploymentToken, on_delete="CASCADE")
    threshold_days = peewee.IntegerField()
    warned = peewee.BooleanField()
    recorded_at = peewee.DateTimeField()

    class Meta:
        table_name = "expiry_warning"
        indexes = ((("token", "threshold_days"), True),)


class _NotificationDelivery(_Frozen):
    id = MonotonicIdField()
    target = peewee.ForeignKeyField(_NotificationTarget, on_delete="CASCADE")
    attempted_at = peewee.DateTimeField()
    outcome = peewee.CharField(max_length=16)
    items = peewee.IntegerField()
    detail = peewee.CharField(max_length=1000, default="")

    class Meta:
        table_name = "notification_delivery"
        indexes = ((("target", "attempted_at"), False),)


class _NotificationPolicy(_Frozen):
    project = peewee.ForeignKeyField(_Project, primary_key=True, on_delete="CASCADE")
    warning_days = peewee.CharField(max_length=100)

    class Meta:
        table_name = "notification_policy"


def v10_notifications(database: peewee.Database) -> None:
    """The e-mail recipients and webhooks of a project or of all projects, each with its
    cursors (the last audit event's seq and expiry warning's id it was sent); the expiry
    warnings recorded, one row per (token, threshold); the delivery log; a project's
    warning thresholds. On PostgreSQL, their row-level security, privileges and
    functions (``notifications_v10.sql``, beside this module)."""
    tables = [_NotificationTarget, _ExpiryWarning, _NotificationDelivery, _NotificationPolicy]
    database.create_tables(tables, safe=False)
    if isinstance(database, peewee.SqliteDatabase):
        return
    from importlib import resources

    script = resources.files("app.store").joinpath("notifications_v10.sql").read_text("utf-8")
    # On the cursor itself, with no parameters, as version 8 runs its script.
    database.cursor().execute(script)  # type: ignore[no-untyped-call]
