"""Schema version 11: trusted deployers (OIDC bindings and the subject tokens already
exchanged). Frozen, as every migration is: the tables below are those of its own day,
not today's models (``app.store.deployer_models``).

In a module of its own, beside its PostgreSQL script (``deployers_v11.sql``); that module
lists it in MIGRATIONS as ``_v11_trusted_deployers``.
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


class _TrustedDeployer(_Frozen):
    id = MonotonicIdField()
    project = peewee.ForeignKeyField(_Project, on_delete="CASCADE")
    name = peewee.CharField(max_length=100)
    issuer = peewee.CharField(max_length=255)
    audience = peewee.CharField(max_length=255)
    claims = peewee.CharField(max_length=700)
    environments = peewee.CharField(max_length=4000)
    lifetime_seconds = peewee.IntegerField()
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField(max_length=255)
    last_exchanged_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "trusted_deployer"


class _ExchangedSubject(_Frozen):
    issuer = peewee.CharField(max_length=255)
    jti = peewee.CharField(max_length=255)
    expires_at = peewee.DateTimeField(index=True)

    class Meta:
        table_name = "exchanged_subject"
        indexes = ((("issuer", "jti"), True),)


def v11_trusted_deployers(database: peewee.Database) -> None:
    """A project's bindings (issuer, audience, claims, environments, lifetime) and the
    exchanged subject tokens' (issuer, jti), unique, until they expire. On PostgreSQL,
    their row-level security and privileges, and ``dt_exchange``, the one way the
    verification service's role issues a token (``deployers_v11.sql``)."""
    database.create_tables([_TrustedDeployer, _ExchangedSubject], safe=False)
    if isinstance(database, peewee.SqliteDatabase):
        return
    from importlib import resources

    script = resources.files("app.store").joinpath("deployers_v11.sql").read_text("utf-8")
    # On the cursor itself, with no parameters, as version 8 runs its script.
    database.cursor().execute(script)  # type: ignore[no-untyped-call]
