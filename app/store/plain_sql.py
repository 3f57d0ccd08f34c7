"""The store in plain SQL: the one module that writes SQL about our tables by hand.

The peewee models (``app.store.models``) describe the tables. What reaches them without peewee
is here: the dialect (placeholders, how a write transaction begins, how a time is
stored), opening an SQLite file with ``sqlite3`` alone, and every statement that the
plain-SQL verifier (``app.verification``) and issuer (``app.issuing``: generate and
rotate) run, and that ``db grant-verifier`` grants (``app.store.verifier_role``). The salt
check, the revision bump and the naive/aware time conversion are here as well, for the
peewee use cases as much as for the fast paths, so each exists once.

Imports no peewee, no driver, no ``dataclasses`` and no ``typing`` at run time: the
verify and generate processes load it (``tests/test_import_budget.py``).
``tests/app/store/test_plain_sql.py`` checks every statement's tables and columns against
the models.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

from app import config, tokens
from app.errors import ConfigurationError, StorageError
from app.store import locations, schema
from app.store.schema import (
    AUDIT_TABLE,
    CONTROL_STATE_TABLE,
    ENVIRONMENT_TABLE,
    EXCHANGED_SUBJECT_TABLE,
    INTROSPECTION_CLIENT_TABLE,
    PROJECT_TABLE,
    SCHEMA_VERSION_TABLE,
    TOKEN_ENVIRONMENT_TABLE,
    TOKEN_TABLE,
    TRUSTED_DEPLOYER_TABLE,
)

# Written with "?" for a parameter; each dialect has them in its own placeholder. Only
# app.store.schema's table names are put in, never input.

# The store's shared row and its version, for every client: the salt check, the revision
# bump, and whether a file is at this release's schema.
STORE_STATEMENTS = {
    "schema_version": f"SELECT version FROM {SCHEMA_VERSION_TABLE}",
    "salt_fingerprint": f"SELECT salt_fingerprint FROM {CONTROL_STATE_TABLE} WHERE id = ?",
    "claim_salt_fingerprint": f"UPDATE {CONTROL_STATE_TABLE} SET salt_fingerprint = ? "
    "WHERE id = ? AND salt_fingerprint IS NULL",
    "bump_revision": f"UPDATE {CONTROL_STATE_TABLE} SET revision = revision + 1 WHERE id = ?",
}
# The verifier's (app.verification).
VERIFY_STATEMENTS = {
    # The project's name comes with the token, by a join rather than a cache: projects
    # can be renamed (and deleted) while a verifier runs for days.
    # Whether the token is limited to environments comes with it too (one index probe):
    # a token that is not, the common case, needs no second round trip.
    "lookup": "SELECT t.id, t.digest, t.last_used_at, t.project_id, t.expires_at, "
    "t.replaced_by, p.name, p.name_key, "
    f"EXISTS (SELECT 1 FROM {TOKEN_ENVIRONMENT_TABLE} te WHERE te.token_id = t.id) "
    f"FROM {TOKEN_TABLE} t JOIN {PROJECT_TABLE} p ON p.id = t.project_id "
    "WHERE t.digest = ?",
    # A project's environment by its key; the issuer finds environments with it too.
    "environment": f"SELECT id, name, name_key FROM {ENVIRONMENT_TABLE} "
    "WHERE project_id = ? AND name_key = ?",
    # In the order `tokens list` shows them.
    "token_environments": "SELECT e.name, e.name_key "
    f"FROM {TOKEN_ENVIRONMENT_TABLE} te "
    f"JOIN {ENVIRONMENT_TABLE} e ON e.id = te.environment_id "
    "WHERE te.token_id = ? ORDER BY e.name_key",
    "record_use": f"UPDATE {TOKEN_TABLE} SET last_used_at = ? WHERE id = ?",
    # /metrics: each project's live tokens that expire within 1, 7 and 30 days (a token
    # replaced by rotation is on its way out already, and not counted).
    "expiry_counts": "SELECT p.name, "
    "SUM(CASE WHEN t.expires_at <= ? THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN t.expires_at <= ? THEN 1 ELSE 0 END), COUNT(*) "
    f"FROM {TOKEN_TABLE} t JOIN {PROJECT_TABLE} p ON p.id = t.project_id "
    "WHERE t.expires_at > ? AND t.expires_at <= ? AND t.replaced_by IS NULL GROUP BY p.name",
    # Both that and the revision bump in one call, on the server's clock (app.store.migrations,
    # version 7): true while the token exists, false once it is revoked.
    "record_use_on_server": "SELECT record_token_use(CAST(? AS bigint))",
}
# The issuer's (app.issuing): a new token, and a rotation's successor.
ISSUE_STATEMENTS = {
    "project": "SELECT id, name, default_lifetime_hours, max_lifetime_hours, allow_no_expiry "
    f"FROM {PROJECT_TABLE} WHERE name_key = ?",
    "count_default_name": f"UPDATE {PROJECT_TABLE} "
    "SET default_names_given = default_names_given + 1 WHERE id = ?",
    "default_names_given": f"SELECT default_names_given FROM {PROJECT_TABLE} WHERE id = ?",
    "insert_token": f"INSERT INTO {TOKEN_TABLE} "
    "(project_id, name, digest, preview, created_at, created_by, expires_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    # An exchange's, on SQLite (PostgreSQL's is dt_exchange's): with its binding.
    "insert_exchanged_token": f"INSERT INTO {TOKEN_TABLE} "
    "(project_id, name, digest, preview, created_at, created_by, expires_at, deployer_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    "insert_token_environment": f"INSERT INTO {TOKEN_ENVIRONMENT_TABLE} "
    "(token_id, environment_id) VALUES (?, ?)",
    # A rotation: the old token, its environments, and its end.
    "project_token": "SELECT id, name, preview, created_at, expires_at, replaced_by "
    f"FROM {TOKEN_TABLE} WHERE id = ? AND project_id = ?",
    "token_environment_rows": "SELECT e.id, e.name, e.name_key "
    f"FROM {TOKEN_ENVIRONMENT_TABLE} te "
    f"JOIN {ENVIRONMENT_TABLE} e ON e.id = te.environment_id WHERE te.token_id = ?",
    "retire_token": f"UPDATE {TOKEN_TABLE} SET expires_at = ?, replaced_by = ? WHERE id = ?",
    # A rotation with a push claims the old token for its successor (replaced_by set to
    # minus the successor's id) until it finishes or gives up: one rotation at a time.
    "claim_rotation": f"UPDATE {TOKEN_TABLE} SET replaced_by = ? "
    "WHERE id = ? AND replaced_by IS NULL",
    "release_rotation": f"UPDATE {TOKEN_TABLE} SET replaced_by = NULL "
    "WHERE id = ? AND replaced_by = ?",
    "delete_token": f"DELETE FROM {TOKEN_TABLE} WHERE id = ?",
}
# The audit trail's appends (append_audit): on SQLite the appender makes the chain's link
# from the head; on PostgreSQL a trigger makes it (and stamps the actor and the project's
# name), and no client role may name those columns.
AUDIT_STATEMENTS = {
    # seq IS NOT NULL: the index on seq may still hold dead copies of the events the
    # upgrade to version 9 numbered (until a vacuum): a descending scan skips them.
    "audit_head": f"SELECT seq, hash FROM {AUDIT_TABLE} WHERE seq IS NOT NULL "
    "ORDER BY seq DESC LIMIT 1",
    # The whole chain, oldest first, as app.audit_chain.ChainedEvent takes it; from a
    # time on, for incremental exports; and one project's part of it.
    "audit_chain": "SELECT seq, occurred_at, actor, action, project_name, token_id, "
    f"token_preview, detail, hash FROM {AUDIT_TABLE} ORDER BY seq",
    "audit_chain_since": "SELECT seq, occurred_at, actor, action, project_name, token_id, "
    f"token_preview, detail, hash FROM {AUDIT_TABLE} WHERE occurred_at >= ? ORDER BY seq",
    "project_audit_chain": "SELECT seq, occurred_at, actor, action, project_name, token_id, "
    f"token_preview, detail, hash FROM {AUDIT_TABLE} WHERE project_id = ? "
    "AND occurred_at >= ? ORDER BY seq",
    "audit_append": f"INSERT INTO {AUDIT_TABLE} "
    "(seq, hash, project_id, project_name, action, token_id, token_preview, actor, "
    "occurred_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "audit_append_on_server": f"INSERT INTO {AUDIT_TABLE} "
    "(project_id, action, token_id, token_preview, actor, occurred_at, detail) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)",
}
# An exchange's write on SQLite (app.use_cases.deployers.issue_in_sqlite; PostgreSQL's is
# its dt_exchange function): the binding as it is now, the spent subject tokens, the
# binding's last exchange. The jti's unique index refuses a replay.
EXCHANGE_STATEMENTS = {
    # What an exchange reads first: the issuers and audiences any binding trusts (a
    # genuine token for the wrong project is then 403, not 401), and the named project's
    # bindings, not every project's.
    "trusted_issuers": f"SELECT DISTINCT issuer, audience FROM {TRUSTED_DEPLOYER_TABLE}",
    "project_bindings": "SELECT d.id, d.name, d.issuer, d.audience, d.claims, "
    "d.environments, d.lifetime_seconds, p.id, p.name, p.name_key "
    f"FROM {TRUSTED_DEPLOYER_TABLE} d JOIN {PROJECT_TABLE} p ON p.id = d.project_id "
    "WHERE p.name_key = ? ORDER BY d.id",
    "binding_now": "SELECT d.issuer, d.claims, d.name, d.environments, d.lifetime_seconds, "
    f"p.name FROM {TRUSTED_DEPLOYER_TABLE} d JOIN {PROJECT_TABLE} p ON p.id = d.project_id "
    "WHERE d.id = ?",
    "forget_spent_subjects": f"DELETE FROM {EXCHANGED_SUBJECT_TABLE} WHERE expires_at < ?",
    "spend_subject": f"INSERT INTO {EXCHANGED_SUBJECT_TABLE} (issuer, jti, expires_at) "
    "VALUES (?, ?, ?)",
    "binding_exchanged": f"UPDATE {TRUSTED_DEPLOYER_TABLE} SET last_exchanged_at = ? WHERE id = ?",
}
# Access control, on PostgreSQL only: the server's functions (app.store.migrations, version
# 8, access_control_v8.sql) decide; these ask them. Levels are the session's own.
ACCESS_STATEMENTS = {
    "session_user": "SELECT session_user",
    # The issuer's project with the session's level on it: one round trip for both.
    "project_and_level": "SELECT id, name, default_lifetime_hours, max_lifetime_hours, "
    f"allow_no_expiry, dt_level(CAST(id AS integer)) FROM {PROJECT_TABLE} WHERE name_key = ?",
    "level": "SELECT dt_level(CAST(? AS integer))",
    "global_level": "SELECT dt_global_level()",
    "whoami": "SELECT project, level FROM dt_whoami()",
    "project_admins": "SELECT role, scope FROM dt_project_admins(CAST(? AS integer))",
    "access_list": "SELECT role, project_name, level FROM dt_access_list(CAST(? AS integer))",
    "grant_level": "SELECT dt_grant(?, CAST(? AS integer), ?)",
    # Every delete a client makes, each checking the level (no client holds DELETE on a
    # table: with it, it could LOCK the table).
    "delete_token_checked": "SELECT dt_delete_token(CAST(? AS bigint))",
    "clear_token_environments": "SELECT dt_clear_token_environments(CAST(? AS bigint))",
    "delete_environment": "SELECT dt_delete_environment(CAST(? AS integer))",
    "delete_project": "SELECT dt_delete_project(CAST(? AS integer))",
    "delete_holder": "SELECT dt_delete_holder(?, CAST(? AS integer))",
    "revoke_level": "SELECT dt_revoke(?, CAST(? AS integer))",
    # Every login role of the cluster, to complete a name in Members (PostgreSQL shows
    # pg_roles to every role).
    "login_roles": "SELECT rolname FROM pg_roles WHERE rolcanlogin ORDER BY rolname",
}
_GROUPS = (
    STORE_STATEMENTS,
    VERIFY_STATEMENTS,
    ISSUE_STATEMENTS,
    AUDIT_STATEMENTS,
    EXCHANGE_STATEMENTS,
    ACCESS_STATEMENTS,
)
STATEMENTS = {name: sql for group in _GROUPS for name, sql in group.items()}
if len(STATEMENTS) != sum(len(group) for group in _GROUPS):
    raise RuntimeError("two plain-SQL statements share a name")

# What the verifier runs on PostgreSQL, where it may be a role that only reads (below):
# reads alone, and the server's function that records a use.
VERIFIER_STATEMENTS = (
    "salt_fingerprint",
    "lookup",
    "environment",
    "token_environments",
    "record_use_on_server",
)


# typing.TYPE_CHECKING without importing typing: what follows is for the type checker.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any, Protocol

    class Cursor(Protocol):
        @property
        def rowcount(self) -> int: ...

        def fetchone(self) -> Any: ...

        def fetchall(self) -> list[Any]: ...

    class Connection(Protocol):
        def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...

    # What runs a statement: a DB-API connection's ``execute``, or peewee's
    # ``Database.execute_sql`` on the database the models are bound to.
    Execute = Callable[[str, Any], Cursor]


class Dialect:
    """What differs between the backends at the level of plain SQL.

    A plain class rather than a named tuple: making a named tuple's class costs the
    verify process about 50 µs, more than this whole module's other work.
    """

    __slots__ = (
        "begin_write",
        "chains_on_server",
        "placeholder",
        "read_time",
        "records_use_on_server",
        "sql",
        "store_time",
    )

    def __init__(
        self,
        *,
        placeholder: str,
        begin_write: str,
        store_time: Callable[[datetime], Any],
        read_time: Callable[[Any], datetime],
        records_use_on_server: bool,
        chains_on_server: bool,
    ) -> None:
        self.placeholder = placeholder
        self.begin_write = begin_write
        # How a timestamp (naive UTC) is passed to the driver, in a form that compares
        # with what the driver hands back: ISO text on SQLite, as peewee stores it, which
        # sorts in time order; a datetime on PostgreSQL.
        self.store_time = store_time
        # What the driver handed back for a timestamp, as a naive UTC datetime.
        self.read_time = read_time
        # Whether a use is recorded by the server's record_token_use function (schema
        # version 7, PostgreSQL): it writes the server's time, and a verify-only role
        # may call it but not update the tables (verifier_grants).
        self.records_use_on_server = records_use_on_server
        # Whether the audit chain's links are the server's (schema version 9, PostgreSQL:
        # a trigger) rather than the appender's (append_audit).
        self.chains_on_server = chains_on_server
        # STATEMENTS with this dialect's placeholder.
        self.sql = {name: sql.replace("?", placeholder) for name, sql in STATEMENTS.items()}

    def __repr__(self) -> str:
        return f"Dialect(placeholder={self.placeholder!r}, begin_write={self.begin_write!r})"


SQLITE = Dialect(
    placeholder="?",
    # Takes the write lock up front; an upgrade from a read lock could fail at once.
    begin_write="BEGIN IMMEDIATE",
    store_time=lambda moment: moment.isoformat(" "),
    read_time=datetime.fromisoformat,
    records_use_on_server=False,
    chains_on_server=False,
)
POSTGRESQL = Dialect(
    placeholder="%s",
    begin_write="BEGIN",
    store_time=lambda moment: moment,
    read_time=lambda moment: moment,
    records_use_on_server=True,
    chains_on_server=True,
)


# Time: the database stores naive UTC (portable across both backends); the service
# hands times out aware.


def naive_utc(moment: datetime) -> datetime:
    """``moment`` as the database stores a time: naive UTC."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None)


def aware_utc(moment: datetime) -> datetime:
    """A time read from the database (naive UTC) as an aware one."""
    return moment.replace(tzinfo=UTC)


# The salt and the change counter, in the one row every client shares.


def check_salt(execute: Execute, dialect: Dialect, salt: bytes) -> bool:
    """Refuse a salt other than the one this database's tokens were made with.

    Raises ConfigurationError, which never quotes the salt. Returns whether a fingerprint
    is stored (and so matched); with none, any salt may be the first
    (``remember_salt`` records it).
    """
    row = execute(dialect.sql["salt_fingerprint"], (schema.CONTROL_STATE_ID,)).fetchone()
    stored = None if row is None else row[0]
    if stored is None:
        return False
    if not hmac.compare_digest(stored, tokens.salt_fingerprint(salt)):
        raise ConfigurationError(config.SALT_CHANGED)
    return True


def remember_salt(execute: Execute, dialect: Dialect, salt: bytes) -> None:
    """As ``check_salt``, and record the first salt ever used (as a fingerprint, never
    the salt), inside the caller's write transaction."""
    if check_salt(execute, dialect, salt):
        return
    fingerprint = tokens.salt_fingerprint(salt)
    claim = (fingerprint, schema.CONTROL_STATE_ID)
    if execute(dialect.sql["claim_salt_fingerprint"], claim).rowcount:
        return
    # Another client recorded its salt first (PostgreSQL re-reads the row once that
    # client commits): ours must match it.
    check_salt(execute, dialect, salt)


def bump_revision(execute: Execute, dialect: Dialect) -> None:
    """Tell other clients, inside the caller's write transaction, that something
    changed: every write moves the shared revision, and windows refresh when it does."""
    execute(dialect.sql["bump_revision"], (schema.CONTROL_STATE_ID,))


def append_audit(
    execute: Execute,
    dialect: Dialect,
    project: tuple[int, str] | None,
    action: str,
    token: tuple[int, str] | None,
    actor: str,
    at: datetime,
    detail: str = "",
) -> None:
    """Append an event to the audit chain inside the caller's write transaction: of
    ``project`` (id, name; None for every project at once), about ``token`` (id,
    preview), at ``at`` (naive UTC).

    SQLite has one writer at a time (the transaction holds the write lock), so the head
    read here is the head the event follows. On PostgreSQL the trigger makes the link
    under the lock on the shared row, and stamps the actor with the session's user.
    """
    project_id, project_name = (None, None) if project is None else project
    token_id, preview = (None, None) if token is None else token
    stored = dialect.store_time(at)
    if dialect.chains_on_server:
        row: tuple[object, ...] = (project_id, action, token_id, preview, actor, stored, detail)
        execute(dialect.sql["audit_append_on_server"], row)
        return
    from app.audit_chain import GENESIS_HASH, ChainedEvent, event_hash  # not on verify's path

    head = execute(dialect.sql["audit_head"], ()).fetchone()
    seq, previous = (1, GENESIS_HASH) if head is None else (head[0] + 1, head[1])
    event = ChainedEvent(seq, at, actor, action, project_name, token_id, preview, detail)
    link = event_hash(previous, event)
    row = (seq, link, project_id, project_name, action, token_id, preview, actor, stored, detail)
    execute(dialect.sql["audit_append"], row)


# db grant-verifier (app.store.verifier_role): what the verification service's role may do.

# The tables verify, authorize, introspect and readiness read: VERIFIER_STATEMENTS'
# tables, the schema's version (checked on opening) and introspection clients (read by
# the service).
VERIFIER_READS = (
    SCHEMA_VERSION_TABLE,
    PROJECT_TABLE,
    TOKEN_TABLE,
    ENVIRONMENT_TABLE,
    TOKEN_ENVIRONMENT_TABLE,
    INTROSPECTION_CLIENT_TABLE,
    CONTROL_STATE_TABLE,
)
# Up to schema version 6 the role updated these itself; revoked again for a role granted
# back then (the upgrade to version 7 does the same for every such role). A table's
# REVOKE takes its columns' grants with it.
VERIFIER_NOT_WRITTEN = (TOKEN_TABLE, CONTROL_STATE_TABLE)
# How it records a use instead (app.store.migrations, version 7).
RECORD_USE_FUNCTION = "record_token_use(bigint)"


# The group role the access control's policies let read what verify reads (version 8).
VERIFIER_GROUP = "deployment_tokens_verifier"


def verifier_grants(quoted_role: str) -> list[str]:
    """The statements that give ``quoted_role`` (a quoted identifier) the verifier's
    rights on PostgreSQL, and only those."""
    granted = [f"GRANT USAGE ON SCHEMA public TO {quoted_role}"]
    granted += [f'GRANT SELECT ON "{table}" TO {quoted_role}' for table in VERIFIER_READS]
    granted += [f'REVOKE UPDATE ON "{table}" FROM {quoted_role}' for table in VERIFIER_NOT_WRITTEN]
    granted += [f"GRANT EXECUTE ON FUNCTION {RECORD_USE_FUNCTION} TO {quoted_role}"]
    # Row-level security lets the verifier group read every row (schema version 8).
    granted += [f"GRANT {VERIFIER_GROUP} TO {quoted_role}"]
    return granted


# The exchange of trusted deployers' ID tokens (schema version 12): the verifier's rights
# and dt_exchange, which issues a token within what a binding allows.
EXCHANGE_FUNCTION = "dt_exchange(bigint, text, text, timestamp, text, text, text)"


def exchanger_grants(quoted_role: str) -> list[str]:
    """The verifier's rights and ``dt_exchange``: what ``serve`` needs to answer
    ``POST /v1/exchange`` as ``quoted_role`` (a quoted identifier), and only that."""
    return [
        *verifier_grants(quoted_role),
        f"GRANT EXECUTE ON FUNCTION {EXCHANGE_FUNCTION} TO {quoted_role}",
    ]


# An SQLite file with sqlite3 alone: the fast paths of verify and generate.


def open_current_sqlite_file(
    url: str, *, missing_ok: bool = False, schema_required: bool = False
) -> tuple[Any, Path] | None:
    """A plain ``sqlite3`` connection (autocommit, the store's busy timeout, foreign keys
    on) to the SQLite file ``url`` names, with its path; the caller closes it.

    None when the plain-SQL fast paths (verify, generate) do not apply: PostgreSQL, an
    in-memory database, a file without this release's schema (another version, or
    another application's), and with ``missing_ok`` no file at all. Otherwise a missing
    or unsafe file is refused (``locations.check_existing_sqlite_file``), and with
    ``schema_required`` a file with no schema of ours at all (empty, or another
    application's). Raises StorageError when SQLite cannot open or read it.
    """
    import sqlite3

    path = locations.sqlite_file(url)
    if path is None or (missing_ok and not path.exists()):
        return None
    locations.check_existing_sqlite_file(path)
    try:
        connection = sqlite3.connect(
            path, timeout=schema.BUSY_TIMEOUT_SECONDS, isolation_level=None
        )
    except sqlite3.Error as error:
        raise StorageError(f"{locations.describe_error(error)} ({path})") from None
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(schema.BUSY_TIMEOUT_SECONDS * 1000)}")
        connection.execute("PRAGMA foreign_keys = 1")
        try:
            row = connection.execute(SQLITE.sql["schema_version"]).fetchone()
        except sqlite3.OperationalError as error:
            if "no such table" not in str(error):
                raise
            row = None
    except sqlite3.Error as error:
        connection.close()
        raise StorageError(f"{locations.describe_error(error)} ({path})") from None
    if row is None or row[0] != schema.SCHEMA_VERSION:
        connection.close()
        if row is None and schema_required:
            raise StorageError(_not_a_database(path))
        return None
    return connection, path


def _not_a_database(path: Path) -> str:
    """Why a file with no schema of ours cannot be verified against."""
    where = f"point --database (or {config.DATABASE_URL_ENV}) at the database your tokens are in"
    try:
        empty = path.stat().st_size == 0
    except OSError:
        empty = False
    if empty:
        return (
            f"{path} is empty, not a Deployment Tokens database (it has not been set up); "
            f"run `deployment-tokens projects add` to start one there, or {where}"
        )
    return f"{path} is not a Deployment Tokens database (it has none of its tables); {where}"
