"""``deployment-tokens db grant-verifier ROLE``: what the verification service needs on
PostgreSQL, and nothing more.

The role can read tokens, projects, environments and introspection clients, and write
nothing itself: it records a use by calling ``record_token_use(token_id)`` (schema version
7), a ``SECURITY DEFINER`` function that stamps that one token with the server's time, at
most once a minute, and moves the shared change counter. It cannot insert, delete,
rename or back-date anything, nor lock a row (PostgreSQL wants UPDATE for ``SELECT ...
FOR UPDATE``), so a leaked service credential cannot make, revive or revoke a token, nor
hold a revoke up. The statements are ``app.store.plain_sql``'s, beside the verifier's own.
"""

from __future__ import annotations

from app.errors import ConfigurationError
from app.names import clean_name
from app.store import db, plain_sql
from app.store.storage import open_storage

# What the role may read and may no longer write, and the function it records a use with.
READ = plain_sql.VERIFIER_READS
NOT_WRITTEN = plain_sql.VERIFIER_NOT_WRITTEN
RECORD_USE_FUNCTION = plain_sql.RECORD_USE_FUNCTION


def statements(role: str) -> list[str]:
    """The SQL that grants ``role`` the verifier's rights, and only those."""
    return plain_sql.verifier_grants(_identifier(role))


def grant_verifier(database_url: str | None, role: str, *, exchanges: bool = False) -> list[str]:
    """Grant the rights on the PostgreSQL database at ``database_url``; returns the SQL.
    With ``exchanges``, also the exchange of trusted deployers' ID tokens (``dt_exchange``,
    schema version 12): ``db grant-exchanger``."""
    storage = open_storage(database_url, create=False)
    try:
        if storage.is_sqlite:
            command = "grant-exchanger" if exchanges else "grant-verifier"
            raise ConfigurationError(
                f"{command} is for PostgreSQL: an SQLite file has no roles (protect the "
                "file with its permissions instead)"
            )
        granted = plain_sql.exchanger_grants(_identifier(role)) if exchanges else statements(role)
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
