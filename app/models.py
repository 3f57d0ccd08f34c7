"""The stored records: projects, token digests and the audit trail. Never a plaintext token.

Times are stored as naive UTC (portable across SQLite and PostgreSQL); the service hands
them out timezone-aware.
"""

from __future__ import annotations

import peewee

from app import schema
from app.db import database_proxy
from app.names import NAME_MAX_LENGTH

# casefold() can lengthen a name ("ß" -> "ss"), so the key column is wider than the name.
NAME_KEY_MAX_LENGTH = 4 * NAME_MAX_LENGTH
PREVIEW_MAX_LENGTH = 16
ACTOR_MAX_LENGTH = 255


class MonotonicIdField(peewee.AutoField):
    """An id that is never handed out again after its row is deleted.

    SQLite reuses the largest rowid after a delete unless the key is AUTOINCREMENT; a
    revoked token's id must never come back, or a stale ``tokens revoke 7`` would revoke
    a newer token. PostgreSQL sequences never go back, so they need nothing extra.
    """

    def ddl(self, ctx: peewee.Context) -> peewee.NodeList:
        nodes = super().ddl(ctx)
        if isinstance(database_proxy.obj, peewee.SqliteDatabase):
            return peewee.NodeList((nodes, peewee.SQL("AUTOINCREMENT")))
        return nodes


class BaseModel(peewee.Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row: the schema version the migrations have brought this database to."""

    version = peewee.IntegerField()

    class Meta:
        table_name = schema.SCHEMA_VERSION_TABLE


class Project(BaseModel):
    id = MonotonicIdField()
    name = peewee.CharField(max_length=NAME_MAX_LENGTH)
    # Uniqueness ignoring case, done in Python (casefold) so both backends agree.
    name_key = peewee.CharField(max_length=NAME_KEY_MAX_LENGTH, unique=True)
    created_at = peewee.DateTimeField()

    class Meta:
        table_name = schema.PROJECT_TABLE


class DeploymentToken(BaseModel):
    id = MonotonicIdField()
    project = peewee.ForeignKeyField(Project, backref="tokens", on_delete="CASCADE")
    name = peewee.CharField(max_length=NAME_MAX_LENGTH)
    digest = peewee.CharField(max_length=64, unique=True)
    preview = peewee.CharField(max_length=PREVIEW_MAX_LENGTH)
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField(max_length=ACTOR_MAX_LENGTH)
    last_used_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = schema.TOKEN_TABLE
        indexes = ((("project", "created_at"), False),)


class ControlState(BaseModel):
    """One row that every client shares.

    ``revision`` goes up in every write transaction, so another window can tell with one
    tiny read that something changed. ``salt_fingerprint`` is an HMAC of a fixed label
    under the salt the first token was made with (never the salt), so a changed salt is
    caught before it makes every stored token fail.
    """

    # The one row is schema.CONTROL_STATE_ID.
    id = peewee.IntegerField(primary_key=True)
    revision = peewee.BigIntegerField(default=0)
    salt_fingerprint = peewee.CharField(max_length=64, null=True)

    class Meta:
        table_name = schema.CONTROL_STATE_TABLE


class AuditEvent(BaseModel):
    GENERATED = "generated"
    REVOKED = "revoked"
    RENAMED = "renamed"

    id = MonotonicIdField()
    project = peewee.ForeignKeyField(Project, backref="audit_events", on_delete="CASCADE")
    action = peewee.CharField(max_length=16)
    # Not a foreign key: the event outlives the token it describes.
    token_id = peewee.IntegerField()
    token_preview = peewee.CharField(max_length=PREVIEW_MAX_LENGTH)
    actor = peewee.CharField(max_length=ACTOR_MAX_LENGTH)
    occurred_at = peewee.DateTimeField()

    class Meta:
        table_name = schema.AUDIT_TABLE
        indexes = ((("project", "occurred_at"), False),)


ALL_MODELS = (SchemaVersion, Project, DeploymentToken, AuditEvent, ControlState)
