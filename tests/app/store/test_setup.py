"""``db setup`` (``app/store/setup.py``): it creates or upgrades the database, says where
and at which version, and whether the database decides who may do what; run again, it
changes nothing; anyone but the owner is refused."""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit, urlunsplit

import pytest

from app import open_service
from app.errors import ConfigurationError
from app.store import schema
from app.store.setup import SetUp, set_up


def test_set_up_creates_an_sqlite_file_at_this_release_s_version(sqlite_url, database_path):
    assert not database_path.exists()
    done = set_up(sqlite_url)
    assert done == SetUp(str(database_path), schema.SCHEMA_VERSION, access_controlled=False)
    assert database_path.exists()
    with open_service(sqlite_url, create=False) as service:
        assert service.list_projects() == []


def test_set_up_again_changes_nothing(store):
    first = set_up(store.url)
    with open_service(store.url) as service:
        service.add_project("web")
    before = store.dump()
    assert set_up(store.url) == first
    assert store.dump() == before
    assert first.version == schema.SCHEMA_VERSION
    assert first.access_controlled is (store.backend == "postgresql")


@pytest.mark.only_backend("postgresql")
def test_on_postgresql_the_location_hides_the_password(store):
    done = set_up(store.url)
    password = urlsplit(store.url).password
    assert password is None or password not in done.location
    assert urlsplit(store.url).path.lstrip("/") in done.location


@contextlib.contextmanager
def _login_role(store, prefix):
    role = f"{prefix}_{store.name}"  # roles are per cluster: one per test database
    store.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        yield role
    finally:
        store.execute(f'DROP OWNED BY "{role}"')
        store.execute(f'DROP ROLE "{role}"')


def _as_role(url, role):
    parts = urlsplit(url)
    host = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
    return urlunsplit((parts.scheme, f"{role}@{host}", parts.path, "", ""))


@pytest.mark.only_backend("postgresql")
def test_only_the_owner_sets_a_database_up(store):
    set_up(store.url)
    before = store.dump()
    with _login_role(store, "stranger") as role, pytest.raises(ConfigurationError) as refused:
        set_up(_as_role(store.url, role))
    assert str(refused.value).startswith("only the owner of ")
    assert "this login role is not it" in str(refused.value)
    assert store.dump() == before
