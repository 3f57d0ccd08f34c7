"""Schema version 12: destinations (where tokens are pushed) and rotation policies; the
binding that issued a token, and the destination it was pushed to. Frozen, as every
migration is: the tables below are those of its own day, not today's models
(``app.store.destination_models``).

In a module of its own, beside its PostgreSQL script (``destinations_v12.sql``), which
also gives ``dt_exchange`` the token's binding and takes it from the verify-only group
(``db grant-exchanger`` gives it to the role that exchanges).
"""

from __future__ import annotations

from app.store import db
from app.store.models import MonotonicIdField
from app.store.orm import peewee, playhouse_migrate


class _Frozen(peewee.Model):
    class Meta:
        database = db.database_proxy
        legacy_table_names = False


class _Project(_Frozen):
    id = MonotonicIdField()

    class Meta:
        table_name = "project"


class _Destination(_Frozen):
    id = MonotonicIdField()
    project = peewee.ForeignKeyField(_Project, on_delete="CASCADE")
    name = peewee.CharField(max_length=100)
    name_key = peewee.CharField(max_length=400)
    kind = peewee.CharField(max_length=16)
    target = peewee.CharField(max_length=2000)
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField(max_length=255)
    last_push_at = peewee.DateTimeField(null=True)
    last_push_outcome = peewee.CharField(max_length=16, null=True)
    last_push_detail = peewee.CharField(max_length=1000, default="")

    class Meta:
        table_name = "destination"
        indexes = ((("project", "name_key"), True),)


class _RotationPolicy(_Frozen):
    project = peewee.ForeignKeyField(_Project, primary_key=True, on_delete="CASCADE")
    # The bounds set_rotation_policy keeps, kept by the database too (psql included).
    rotate_before_days = peewee.IntegerField(
        null=True, constraints=[peewee.Check("rotate_before_days BETWEEN 1 AND 365")]
    )
    grace_seconds = peewee.IntegerField(
        default=0, constraints=[peewee.Check("grace_seconds BETWEEN 0 AND 31536000")]
    )

    class Meta:
        table_name = "rotation_policy"


def v12_destinations(database: peewee.Database) -> None:
    """A project's destinations and rotation policy; a token's binding (``deployer_id``)
    and destination (``destination_id``). On PostgreSQL, the new tables' row-level
    security and privileges, ``dt_exchange`` recording the binding, and the exchange
    taken from the verify-only group (``destinations_v12.sql``)."""
    database.create_tables([_Destination, _RotationPolicy], safe=False)
    migrator = playhouse_migrate.SchemaMigrator.from_database(database)
    playhouse_migrate.migrate(
        migrator.add_column("deployment_token", "deployer_id", peewee.IntegerField(null=True)),
        migrator.add_column("deployment_token", "destination_id", peewee.IntegerField(null=True)),
        migrator.add_index("deployment_token", ("project_id", "deployer_id"), False),
    )
    if isinstance(database, peewee.SqliteDatabase):
        return
    from importlib import resources

    script = resources.files("app.store").joinpath("destinations_v12.sql").read_text("utf-8")
    # On the cursor itself, with no parameters, as version 8 runs its script.
    database.cursor().execute(script)  # type: ignore[no-untyped-call]
