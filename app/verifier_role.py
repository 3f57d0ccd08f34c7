"""``deployment-tokens db grant-verifier ROLE``: what the verification service needs on
PostgreSQL, and nothing more.

The role can read tokens, projects, environments and introspection clients, and update
exactly two columns: a token's ``last_used_at`` and the shared change counter. It cannot
insert, delete or rename anything, so a leaked service credential cannot make, revive
or revoke a token.
"""

from __future__ import annotations

from app import db, schema
from app.errors import ConfigurationError
from app.names import clean_name
from app.storage import open_storage

# The tables verify, authorize, introspect and readiness read.
READ = (
    schema.SCHEMA_VERSION_TABLE,
    schema.PROJECT_TABLE,
    schema.TOKEN_TABLE,
    schema.ENVIRONMENT_TABLE,
    schema.TOKEN_ENVIRONMENT_TABLE,
    schema.INTROSPECTION_CLIENT_TABLE,
    schema.CONTROL_STATE_TABLE,
)
# The only columns it writes: when a token was last used, and the counter that tells
# other clients something changed.
WRITE = ((schema.TOKEN_TABLE, "last_used_at"), (schema.CONTROL_STATE_TABLE, "revision"))


def statements(role: str) -> list[str]:
    """The SQL that grants ``role`` the verifier's rights, and only those."""
    quoted = _identifier(role)
    granted = [f"GRANT USAGE ON SCHEMA public TO {quoted}"]
    granted += [f'GRANT SELECT ON "{table}" TO {quoted}' for table in READ]
    granted += [f'GRANT UPDATE ("{column}") ON "{table}" TO {quoted}' for table, column in WRITE]
    return granted


def grant_verifier(database_url: str | None, role: str) -> list[str]:
    """Grant the rights on the PostgreSQL database at ``database_url``; returns the SQL."""
    storage = open_storage(database_url, create=False)
    try:
        if storage.is_sqlite:
            raise ConfigurationError(
                "grant-verifier is for PostgreSQL: an SQLite file has no roles (protect the "
                "file with its permissions instead)"
            )
        granted = statements(role)
        with storage.guard, db.write_transaction(storage.database):
            for statement in granted:
                storage.database.execute_sql(statement)  # type: ignore[no-untyped-call]
        return granted
    finally:
        storage.close()


def _identifier(role: str) -> str:
    """``role`` as a quoted SQL identifier, refusing what no role name should hold."""
    name = clean_name(role, "role name")
    if len(name.encode("utf-8")) > 63:
        raise ConfigurationError("a PostgreSQL role name is at most 63 bytes")
    return '"' + name.replace('"', '""') + '"'
