"""The stored records: projects, token digests and the audit trail. Never a plaintext token.

Times are stored as naive UTC (portable across SQLite and PostgreSQL); the service hands
them out timezone-aware.
"""

from __future__ import annotations

from app.names import NAME_MAX_LENGTH
from app.store import schema
from app.store.db import database_proxy
from app.store.orm import peewee

# casefold() can lengthen a name ("ß" -> "ss"), so the key column is wider than the name.
NAME_KEY_MAX_LENGTH = 4 * NAME_MAX_LENGTH
PREVIEW_MAX_LENGTH = 16
ACTOR_MAX_LENGTH = 255
DETAIL_MAX_LENGTH = 1000
DEFAULT_LIFETIME_HOURS = 90 * 24


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
    # The token policy (app.lifecycle.TokenPolicy), in hours; NULL default: No expiry,
    # NULL maximum: no limit.
    default_lifetime_hours = peewee.IntegerField(null=True, default=DEFAULT_LIFETIME_HOURS)
    max_lifetime_hours = peewee.IntegerField(null=True)
    allow_no_expiry = peewee.BooleanField(default=True)
    # How many tokens were given a numbered default name ("Deployment token 3"): one
    # counter, so naming a token never reads all of the project's names.
    default_names_given = peewee.IntegerField(default=0)

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
    # NULL: never expires. A rotation sets the old token's to the end of its grace.
    expires_at = peewee.DateTimeField(null=True, index=True)
    # Not a foreign key: the successor may be revoked while this row lives on.
    replaced_by = peewee.IntegerField(null=True)
    # The trusted deployer (binding) whose exchange issued it (schema version 12): such a
    # token lives minutes, is named after the binding, and is hidden once expired. Not a
    # foreign key: the token outlives a binding removed meanwhile.
    deployer_id = peewee.IntegerField(null=True)
    # The destination it was pushed to (schema version 12): where rotate-due pushes its
    # successor. Cleared when the destination is removed.
    destination_id = peewee.IntegerField(null=True)

    class Meta:
        table_name = schema.TOKEN_TABLE
        # The second: counting a project's tokens without its expired exchanged ones
        # reads the index alone (schema version 12).
        indexes = ((("project", "created_at"), False), (("project", "deployer_id"), False))


class Environment(BaseModel):
    """A place a project deploys to (staging, production); tokens may be limited to some."""

    id = MonotonicIdField()
    project = peewee.ForeignKeyField(Project, backref="environments", on_delete="CASCADE")
    name = peewee.CharField(max_length=NAME_MAX_LENGTH)
    name_key = peewee.CharField(max_length=NAME_KEY_MAX_LENGTH)
    created_at = peewee.DateTimeField()

    class Meta:
        table_name = schema.ENVIRONMENT_TABLE
        indexes = ((("project", "name_key"), True),)


class TokenEnvironment(BaseModel):
    """A token allowed in an environment. A token with no rows is allowed in all."""

    token = peewee.ForeignKeyField(DeploymentToken, on_delete="CASCADE")
    environment = peewee.ForeignKeyField(Environment, on_delete="CASCADE")

    class Meta:
        table_name = schema.TOKEN_ENVIRONMENT_TABLE
        primary_key = peewee.CompositeKey("token", "environment")


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


class IntrospectionClient(BaseModel):
    """A caller of the verification service's introspection endpoint (RFC 7662), such as a
    deploy gateway. Its secret is kept only as a digest, like a token's."""

    id = MonotonicIdField()
    name = peewee.CharField(max_length=NAME_MAX_LENGTH)
    name_key = peewee.CharField(max_length=NAME_KEY_MAX_LENGTH, unique=True)
    digest = peewee.CharField(max_length=64, unique=True)
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField(max_length=ACTOR_MAX_LENGTH)

    class Meta:
        table_name = schema.INTROSPECTION_CLIENT_TABLE


class RevokedToken(BaseModel):
    """A token that was revoked, kept by digest (the digest of a dead token guards
    nothing), so that a leak report can say "already revoked" rather than "unknown"."""

    id = MonotonicIdField()
    project = peewee.ForeignKeyField(Project, on_delete="CASCADE")
    token_id = peewee.IntegerField()
    name = peewee.CharField(max_length=NAME_MAX_LENGTH)
    preview = peewee.CharField(max_length=PREVIEW_MAX_LENGTH)
    digest = peewee.CharField(max_length=64, unique=True)
    revoked_at = peewee.DateTimeField()

    class Meta:
        table_name = schema.REVOKED_TOKEN_TABLE


class RevocationKey(BaseModel):
    """A key that GitLab's Token Revocation API calls authenticate with; kept only as a
    digest, like a token's."""

    id = MonotonicIdField()
    name = peewee.CharField(max_length=NAME_MAX_LENGTH)
    name_key = peewee.CharField(max_length=NAME_KEY_MAX_LENGTH, unique=True)
    digest = peewee.CharField(max_length=64, unique=True)
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField(max_length=ACTOR_MAX_LENGTH)

    class Meta:
        table_name = schema.REVOCATION_KEY_TABLE


class AuditEvent(BaseModel):
    GENERATED = "generated"
    REVOKED = "revoked"
    RENAMED = "renamed"
    ROTATED = "rotated"
    EXPIRY_CHANGED = "expiry changed"
    ENVIRONMENTS_CHANGED = "environments changed"
    POLICY_CHANGED = "policy changed"
    PROJECT_RENAMED = "project renamed"
    PROJECT_DELETED = "project deleted"
    # Written by the database on PostgreSQL (audit_chain_v9.sql), whoever changes a level.
    ACCESS_GRANTED = "access granted"
    ACCESS_REVOKED = "access revoked"

    id = MonotonicIdField()
    # The chain (app.audit_chain): 1, 2, 3, ... across all projects, and the hash linking
    # each event to the one before. Written by the appender (app.store.plain_sql.append_audit)
    # on SQLite, by a trigger on PostgreSQL.
    seq = peewee.BigIntegerField(unique=True)
    hash = peewee.CharField(max_length=64)
    # Not a foreign key: the event outlives its project (deleting one keeps its events,
    # or the chain would break), as it outlives its token. NULL for events of every
    # project at once. The name is the project's when the event happened.
    project_id = peewee.IntegerField(null=True)
    project_name = peewee.CharField(max_length=NAME_MAX_LENGTH, null=True)
    action = peewee.CharField(max_length=24)
    # NULL for events of the project itself (its policy, its environments).
    token_id = peewee.IntegerField(null=True)
    token_preview = peewee.CharField(max_length=PREVIEW_MAX_LENGTH, null=True)
    actor = peewee.CharField(max_length=ACTOR_MAX_LENGTH)
    occurred_at = peewee.DateTimeField()
    detail = peewee.CharField(max_length=DETAIL_MAX_LENGTH, default="")

    class Meta:
        table_name = schema.AUDIT_TABLE
        indexes = ((("project_id", "occurred_at"), False),)


ALL_MODELS = (
    SchemaVersion,
    Project,
    DeploymentToken,
    AuditEvent,
    ControlState,
    Environment,
    TokenEnvironment,
    IntrospectionClient,
    RevokedToken,
    RevocationKey,
)
