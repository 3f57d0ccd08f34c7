"""Forward-only schema migrations, applied in order when a database is opened.

Each migration is frozen: it describes the schema of its own day, not today's models,
so that an old database always passes through the same steps as a new one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from app.errors import StorageError
from app.store import db, schema
from app.store.audit_chain_v9 import v9_audit_chain as _v9_audit_chain
from app.store.deployers_v11 import v11_trusted_deployers as _v11_trusted_deployers
from app.store.destinations_v12 import v12_destinations as _v12_destinations
from app.store.models import MonotonicIdField, SchemaVersion
from app.store.notifications_v10 import v10_notifications as _v10_notifications
from app.store.orm import peewee, playhouse_migrate

log = logging.getLogger(__name__)

Migration = Callable[[peewee.Database], None]


def _v1_initial_tables(database: peewee.Database) -> None:
    """Projects, token digests and the audit trail, as first released."""

    class Base(peewee.Model):
        class Meta:
            database = db.database_proxy
            legacy_table_names = False

    class Project(Base):
        id = MonotonicIdField()
        name = peewee.CharField(max_length=100)
        name_key = peewee.CharField(max_length=400, unique=True)
        created_at = peewee.DateTimeField()

    class DeploymentToken(Base):
        id = MonotonicIdField()
        project = peewee.ForeignKeyField(Project, on_delete="CASCADE")
        name = peewee.CharField(max_length=100)
        digest = peewee.CharField(max_length=64, unique=True)
        preview = peewee.CharField(max_length=16)
        created_at = peewee.DateTimeField()
        created_by = peewee.CharField(max_length=255)
        last_used_at = peewee.DateTimeField(null=True)

    class AuditEvent(Base):
        id = MonotonicIdField()
        project = peewee.ForeignKeyField(Project, on_delete="CASCADE")
        action = peewee.CharField(max_length=16)
        token_id = peewee.IntegerField()
        token_preview = peewee.CharField(max_length=16)
        actor = peewee.CharField(max_length=255)
        occurred_at = peewee.DateTimeField()

    database.create_tables([Project, DeploymentToken, AuditEvent], safe=False)


def _v2_listing_indexes(database: peewee.Database) -> None:
    """Indexes for the two listings that grow without bound: tokens and audit events."""
    migrator = playhouse_migrate.SchemaMigrator.from_database(database)
    playhouse_migrate.migrate(
        migrator.add_index("deployment_token", ("project_id", "created_at"), False),
        migrator.add_index("audit_event", ("project_id", "occurred_at"), False),
    )


def _v3_control_state(database: peewee.Database) -> None:
    """The row that several clients share: a change counter and the salt's fingerprint."""

    class ControlState(peewee.Model):
        id = peewee.IntegerField(primary_key=True)
        revision = peewee.BigIntegerField(default=0)
        salt_fingerprint = peewee.CharField(max_length=64, null=True)

        class Meta:
            database = db.database_proxy
            legacy_table_names = False

    database.create_tables([ControlState], safe=False)
    ControlState.insert(id=schema.CONTROL_STATE_ID, revision=0, salt_fingerprint=None).execute()


def _v4_token_lifecycle(database: peewee.Database) -> None:
    """Expiry, rotation, environments and each project's token policy.

    Existing tokens keep no expiry and every environment, so each of them still
    verifies; existing projects get the default policy (90 days, no maximum).
    """

    class Base(peewee.Model):
        class Meta:
            database = db.database_proxy
            legacy_table_names = False

    class Project(Base):
        id = MonotonicIdField()
        default_lifetime_hours = peewee.IntegerField(null=True)

    class DeploymentToken(Base):
        id = MonotonicIdField()

    class Environment(Base):
        id = MonotonicIdField()
        project = peewee.ForeignKeyField(Project, on_delete="CASCADE")
        name = peewee.CharField(max_length=100)
        name_key = peewee.CharField(max_length=400)
        created_at = peewee.DateTimeField()

        class Meta:
            indexes = ((("project", "name_key"), True),)

    class TokenEnvironment(Base):
        token = peewee.ForeignKeyField(DeploymentToken, on_delete="CASCADE")
        environment = peewee.ForeignKeyField(Environment, on_delete="CASCADE")

        class Meta:
            primary_key = peewee.CompositeKey("token", "environment")

    migrator = playhouse_migrate.SchemaMigrator.from_database(database)
    playhouse_migrate.migrate(
        migrator.add_column(
            "project", "default_lifetime_hours", peewee.IntegerField(null=True, default=90 * 24)
        ),
        migrator.add_column("project", "max_lifetime_hours", peewee.IntegerField(null=True)),
        migrator.add_column("project", "allow_no_expiry", peewee.BooleanField(default=True)),
        migrator.add_column("project", "default_names_given", peewee.IntegerField(default=0)),
        migrator.add_column("deployment_token", "expires_at", peewee.DateTimeField(null=True)),
        migrator.add_column("deployment_token", "replaced_by", peewee.IntegerField(null=True)),
        migrator.add_index("deployment_token", ("expires_at",), False),
        migrator.drop_not_null("audit_event", "token_id"),
        migrator.drop_not_null("audit_event", "token_preview"),
        migrator.alter_column_type("audit_event", "action", peewee.CharField(max_length=24)),
        migrator.add_column("audit_event", "detail", peewee.CharField(max_length=1000, default="")),
    )
    database.create_tables([Environment, TokenEnvironment], safe=False)
    # A nullable column's default is not written into the rows that already exist.
    Project.update({Project.default_lifetime_hours: 90 * 24}).execute()


def _v5_introspection_clients(database: peewee.Database) -> None:
    """The callers of the verification service's introspection endpoint."""

    class IntrospectionClient(peewee.Model):
        id = MonotonicIdField()
        name = peewee.CharField(max_length=100)
        name_key = peewee.CharField(max_length=400, unique=True)
        digest = peewee.CharField(max_length=64, unique=True)
        created_at = peewee.DateTimeField()
        created_by = peewee.CharField(max_length=255)

        class Meta:
            database = db.database_proxy
            legacy_table_names = False

    database.create_tables([IntrospectionClient], safe=False)


def _v6_leak_response(database: peewee.Database) -> None:
    """What was revoked, by digest, so a leak report can tell "already revoked" from
    "unknown"; and the keys that GitLab's Token Revocation API calls authenticate with."""

    class Base(peewee.Model):
        class Meta:
            database = db.database_proxy
            legacy_table_names = False

    class Project(Base):
        id = MonotonicIdField()

    class RevokedToken(Base):
        id = MonotonicIdField()
        project = peewee.ForeignKeyField(Project, on_delete="CASCADE")
        token_id = peewee.IntegerField()
        name = peewee.CharField(max_length=100)
        preview = peewee.CharField(max_length=16)
        digest = peewee.CharField(max_length=64, unique=True)
        revoked_at = peewee.DateTimeField()

    class RevocationKey(Base):
        id = MonotonicIdField()
        name = peewee.CharField(max_length=100)
        name_key = peewee.CharField(max_length=400, unique=True)
        digest = peewee.CharField(max_length=64, unique=True)
        created_at = peewee.DateTimeField()
        created_by = peewee.CharField(max_length=255)

    database.create_tables([RevokedToken, RevocationKey], safe=False)


def _v7_record_use_function(database: peewee.Database) -> None:
    """On PostgreSQL, the one way a verify-only role records a use: a function that
    writes the server's time for one token and moves the change counter, running with
    its owner's rights. Verifiers granted before lose their UPDATE on the two columns
    (with it, they could write any time on every token, and lock rows against any
    writer) and may call the function instead. SQLite has no roles: nothing to do."""
    if isinstance(database, peewee.SqliteDatabase):
        return
    [(namespace, owner)] = _execute(
        database,
        "SELECT quote_ident(n.nspname), quote_ident(pg_get_userbyid(c.relowner)) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.oid = 'deployment_token'::regclass",
    ).fetchall()
    function = f"{namespace}.record_token_use(bigint)"
    # SECURITY DEFINER with the search path fixed: the caller's path cannot put its own
    # tables or operators in front of these. The server's clock, not the caller's, and
    # at most once a minute a token. The lock timeout keeps a verify from waiting long
    # behind a writer, whatever the caller set.
    _execute(
        database,
        f"""
        CREATE OR REPLACE FUNCTION {namespace}.record_token_use(used_token_id bigint)
        RETURNS boolean
        LANGUAGE plpgsql
        SECURITY DEFINER
        SET search_path = {namespace}, pg_temp
        SET lock_timeout = '5s'
        AS $body$
        DECLARE
            moment timestamp := statement_timestamp() AT TIME ZONE 'UTC';
        BEGIN
            UPDATE deployment_token SET last_used_at = moment
            WHERE id = used_token_id
              AND (last_used_at IS NULL OR last_used_at <= moment - interval '1 minute');
            IF FOUND THEN
                UPDATE control_state SET revision = revision + 1 WHERE id = 1;
                RETURN true;
            END IF;
            -- False when the token is gone: revoked since the verifier read it.
            RETURN EXISTS (SELECT 1 FROM deployment_token WHERE id = used_token_id);
        END
        $body$
        """,  # noqa: S608 (the schema's name comes quoted by the server)
    )
    # A superuser may be the one upgrading: the function must not run as that.
    _execute(database, f"ALTER FUNCTION {function} OWNER TO {owner}")
    _execute(database, f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    _v7_move_verifiers_to(database, function)


def _v7_move_verifiers_to(database: peewee.Database, function: str) -> None:
    """Roles that 'db grant-verifier' made verifiers (those granted UPDATE on exactly the
    column of last use: a table-wide grant is someone else's, and stays) lose their
    UPDATE rights and may call ``function`` instead."""
    verifiers = _execute(
        database,
        "SELECT DISTINCT CASE WHEN acl.grantee = 0 THEN 'PUBLIC' "
        "ELSE quote_ident(pg_get_userbyid(acl.grantee)) END "
        "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid, aclexplode(a.attacl) acl "
        "WHERE c.oid = 'deployment_token'::regclass AND a.attname = 'last_used_at' "
        "AND acl.privilege_type = 'UPDATE' AND acl.grantee <> c.relowner",
    ).fetchall()
    for (verifier,) in verifiers:
        _execute(database, f'REVOKE UPDATE ("last_used_at") ON deployment_token FROM {verifier}')
        _execute(database, f'REVOKE UPDATE ("revision") ON control_state FROM {verifier}')
        _execute(database, f"GRANT EXECUTE ON FUNCTION {function} TO {verifier}")


def _v8_access_control(database: peewee.Database) -> None:
    """On PostgreSQL, who may do what, decided by the server: per-project levels in
    ``access_grant``, row-level security forced on every table, the actor stamped from
    ``session_user``, an append-only audit trail, and the functions the app asks
    (``access_control_v8.sql``, beside this module). SQLite has one user: nothing to do.

    Needs the two group roles (``deployment_tokens_user``, ``deployment_tokens_verifier``)
    and ADMIN OPTION on them for the owner: it makes them when it may, else the error
    names the statements a superuser runs once."""
    if isinstance(database, peewee.SqliteDatabase):
        return
    from importlib import resources

    script = resources.files("app.store").joinpath("access_control_v8.sql").read_text("utf-8")
    # On the cursor itself, with no parameters: through execute_sql, psycopg would read
    # the script's format() patterns as placeholders.
    database.cursor().execute(script)  # type: ignore[no-untyped-call]


MIGRATIONS: tuple[Migration, ...] = (
    _v1_initial_tables,
    _v2_listing_indexes,
    _v3_control_state,
    _v4_token_lifecycle,
    _v5_introspection_clients,
    _v6_leak_response,
    _v7_record_use_function,
    _v8_access_control,
    _v9_audit_chain,
    _v10_notifications,
    _v11_trusted_deployers,
    _v12_destinations,
)
LATEST_VERSION = schema.SCHEMA_VERSION
if len(MIGRATIONS) != LATEST_VERSION:
    raise RuntimeError("app.store.schema.SCHEMA_VERSION must count the migrations")


def schema_version(database: peewee.Database, tables: list[str] | None = None) -> int:
    """The version a database is at: 0 for one that has never been migrated."""
    if tables is None:
        tables = database.get_tables()
    if SchemaVersion._meta.table_name not in tables:
        return 0
    row = SchemaVersion.select(SchemaVersion.version).first()
    return 0 if row is None else int(row.version)


# PostgreSQL advisory lock key for schema changes: "mldt" in ASCII.
MIGRATION_LOCK_KEY = 0x6D6C6474


def migrate_forward(database: peewee.Database, target: int = LATEST_VERSION) -> int:
    """Bring ``database`` up to ``target``; return the version it ended at.

    Refuses a database of another application and one written by a newer release.
    """
    # Every open passes here, verify's included: one look at the tables and one at the
    # version when nothing needs doing.
    tables = database.get_tables()
    _refuse_foreign(tables)
    try:
        current = _checked(schema_version(database, tables))
    except peewee.ProgrammingError:
        # Before version 8 a role nobody granted anything may not even read the version:
        # it is not the owner, and only the owner sets the database up.
        if isinstance(database, peewee.SqliteDatabase) or owns_the_schema(database):
            raise
        raise StorageError(_owner_must_set_up(None)) from None
    if current >= target:
        return current
    if current and not owns_the_schema(database):
        # On PostgreSQL only the tables' owner changes them: another role's upgrade would
        # fail half-way on a privilege, or run the owner's steps as someone else.
        raise StorageError(_owner_must_set_up(current))
    # SQLite changes a column by copying its table and dropping the old one; with
    # foreign keys on, dropping a project table would cascade into every token. SQLite's
    # own procedure: keys off outside the transaction, checked before the commit.
    sqlite = isinstance(database, peewee.SqliteDatabase)
    if sqlite:
        _execute(database, "PRAGMA foreign_keys = OFF")
    try:
        # The write lock makes concurrent first opens take turns: the second one finds
        # the work done when it gets the lock.
        with db.write_transaction(database):
            if not sqlite:
                # Clients opening a new database together take turns here; without it
                # their CREATE TABLE IF NOT EXISTS collide in PostgreSQL's catalogue.
                _execute(database, f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
            database.create_tables([SchemaVersion])
            current = _checked(schema_version(database))
            for version in range(current + 1, target + 1):
                log.info("migrating the database schema to version %d", version)
                MIGRATIONS[version - 1](database)
            if sqlite and _execute(database, "PRAGMA foreign_key_check").fetchone():
                raise StorageError("the schema upgrade would break references; nothing changed")
            if current == 0:
                SchemaVersion.create(version=target)
            elif target > current:
                SchemaVersion.update(version=target).execute()
            return max(current, target)
    finally:
        if sqlite:
            _execute(database, "PRAGMA foreign_keys = ON")


def require_current(database: peewee.Database, location: str) -> None:
    """Raise StorageError unless ``database`` is at this release's schema; change nothing.

    For verifiers: a verify that created or upgraded a schema would answer "unknown" from
    a database nobody set up, and a verify-only role may not change a schema anyway.
    """
    tables = database.get_tables()
    _refuse_foreign(tables)
    current = _checked(schema_version(database, tables))
    if current == 0:
        raise StorageError(
            f"the database {location} has not been set up: it holds no projects or tokens; "
            "check --database or ML_DEPLOYMENT_DATABASE_URL"
        )
    if current < LATEST_VERSION:
        if isinstance(database, peewee.SqliteDatabase):
            raise StorageError(
                f"the database {location} is at schema version {current}, older than this "
                f"release's {LATEST_VERSION}; upgrade it once with any other command, for "
                "example 'deployment-tokens projects list'"
            )
        raise StorageError(_owner_must_set_up(current, location))


def owns_the_schema(database: peewee.Database) -> bool:
    """Whether this session may create and change the tables: on PostgreSQL, whether its
    login is the tables' owner (or a member of that role, or a superuser); SQLite has
    one user, who does."""
    if isinstance(database, peewee.SqliteDatabase):
        return True
    [(owner,)] = _execute(
        database,
        "SELECT pg_has_role(session_user, c.relowner, 'MEMBER') FROM pg_class c "
        "WHERE c.oid = to_regclass('schema_version')",
    ).fetchall() or [(True,)]
    return bool(owner)


def _owner_must_set_up(current: int | None, location: str = "") -> str:
    version = "an older schema" if current is None else f"schema version {current}"
    database = f"the database {location}" if location else "the database"
    return (
        f"{database} is at {version}, older than this release's {LATEST_VERSION}, and only "
        "its owner may upgrade it: ask them to run 'deployment-tokens db setup'"
    )


def _execute(database: peewee.Database, sql: str) -> Any:
    return database.execute_sql(sql)  # type: ignore[no-untyped-call]


def _checked(version: int) -> int:
    if version > LATEST_VERSION:
        raise StorageError(
            f"the database is at schema version {version}, newer than this release "
            f"understands ({LATEST_VERSION}); upgrade deployment-tokens"
        )
    return version


def _refuse_foreign(tables: list[str]) -> None:
    if tables and SchemaVersion._meta.table_name not in tables:
        raise StorageError(
            "the database belongs to another application (it has tables but no "
            "Deployment Tokens schema); choose another file with --database"
        )
