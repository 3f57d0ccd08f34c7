"""``deployment-tokens db setup``: create or upgrade the schema, with its access control.

Run by the database's owner. Creating and upgrading are the migrations' (on PostgreSQL,
version 8 adds the row-level security and the levels); this refuses anyone else, so that
nobody believes a database set up that they could not set up.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import ConfigurationError
from app.store import migrations
from app.store.storage import open_storage


@dataclass(frozen=True, slots=True)
class SetUp:
    location: str
    version: int
    # Whether the database decides who may do what (PostgreSQL).
    access_controlled: bool


def set_up(database_url: str | None) -> SetUp:
    """Create or upgrade the database at ``database_url`` (idempotent); ConfigurationError
    for a role that does not own it."""
    storage = open_storage(database_url, create=True)
    try:
        with storage.guard:
            if not migrations.owns_the_schema(storage.database):
                raise ConfigurationError(
                    f"only the owner of {storage.location} sets it up, and this login role "
                    "is not it: run 'db setup' as the owner (the role that created the "
                    "tables), or ask who administers the database"
                )
            version = migrations.schema_version(storage.database)
        return SetUp(storage.location, version, not storage.is_sqlite)
    finally:
        storage.close()
