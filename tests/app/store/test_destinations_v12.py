"""Schema version 12 (destinations): the migration, and on PostgreSQL the access control
of its tables (``destinations_v12.sql``), through the app and through SQL as each role.

A throwaway cluster of this module's own (login roles are cluster-wide), a database set
up by its owner, projects A and B, and these levels:

    dt_owner  the tables' owner        alice  admin of A
    mike      manager of A             carol  viewer of A
    dave      nothing
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app import config, open_service
from app.destinations import vault_target
from app.errors import AccessDeniedError
from app.store import db, migrations
from devtools.postgresql_cluster import ThrowawayCluster
from tests.support.login_roles import OWNER, cluster_with_roles, denied, sql, url

SALT = "test-salt-0123456789-abcdefghijklmnopqrstuvwxyz"
ROLES = ("alice", "mike", "carol", "dave")
TABLES = ("destination", "rotation_policy")
TARGET = vault_target("https://vault.example.com", "secret/ci/a")


def test_a_version_11_database_gains_destinations(database_url):
    database = db.connect(database_url)
    try:
        migrations.migrate_forward(database, target=11)
        assert not set(TABLES) & set(database.get_tables())
    finally:
        database.close()
    with open_service(database_url) as service:
        assert migrations.schema_version(service.storage.database) == migrations.LATEST_VERSION
        service.add_project("web")
        service.add_destination("web", "vault", TARGET)
        assert [d.name for d in service.list_destinations("web")] == ["vault"]
        record, _ = service.generate("web")
        assert (record.deployer_id, record.destination_id) == (None, None)


# --- PostgreSQL: who may do what -------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(backend: str) -> Iterator[ThrowawayCluster]:
    if backend != "postgresql":
        pytest.skip("access control is PostgreSQL's")
    with cluster_with_roles(ROLES) as running:
        yield running


@pytest.fixture(scope="module")
def scene(cluster: ThrowawayCluster) -> Iterator[dict[str, Any]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(config.SALT_ENV, SALT)
        with open_service(url(cluster, OWNER)) as owner:
            for project in ("A", "B"):
                owner.add_project(project)
            ids = {p.name: p.id for p in owner.list_projects()}
            owner.add_destination("B", "vault", TARGET)
        for statement in (
            f"SELECT dt_grant('alice', {ids['A']}, 'admin')",
            f"SELECT dt_grant('mike', {ids['A']}, 'manager')",
            f"SELECT dt_grant('carol', {ids['A']}, 'viewer')",
        ):
            assert not isinstance(sql(cluster, OWNER, statement), Exception)
        yield {"ids": ids}


@pytest.fixture
def salted(monkeypatch):
    monkeypatch.setenv(config.SALT_ENV, SALT)


def test_admins_add_and_remove_others_only_read(cluster, scene, salted):
    with open_service(url(cluster, "alice"), create=False) as alice:
        alice.add_destination("A", "vault", TARGET)
        alice.set_rotation_policy("A", 14)
    for role in ("mike", "carol"):
        with open_service(url(cluster, role), create=False) as member:
            assert [d.name for d in member.list_destinations("A")] == ["vault"]
            assert member.rotation_policy("A").rotate_before_days == 14
            with pytest.raises(AccessDeniedError):
                member.add_destination("A", "other", TARGET)
            with pytest.raises(AccessDeniedError):
                member.remove_destination("A", "vault")
            with pytest.raises(AccessDeniedError):
                member.set_rotation_policy("A", None)
    # B's destination is nobody's business here: row-level security hides it.
    assert sql(cluster, "alice", "SELECT count(*) FROM destination") == [(1,)]
    denied(sql(cluster, "dave", "SELECT count(*) FROM destination"))
    with open_service(url(cluster, "alice"), create=False) as alice:
        alice.remove_destination("A", "vault")
        assert alice.list_destinations("A") == []


def test_by_hand_no_member_deletes_rewrites_or_reaches_another_project(cluster, scene):
    b = scene["ids"]["B"]
    insert = (
        "INSERT INTO destination (project_id, name, name_key, kind, target, created_at, "
        "created_by) VALUES (%s, 'x', 'x', 'vault', '{}', now(), 'x')"
    )
    denied(sql(cluster, "alice", insert, b))
    denied(sql(cluster, "carol", insert, scene["ids"]["A"]))
    denied(sql(cluster, "alice", "DELETE FROM destination"))
    denied(sql(cluster, "alice", "UPDATE destination SET target = '{}'"))
    denied(sql(cluster, "mike", "UPDATE deployment_token SET deployer_id = 1"))
    [(b_destination,)] = sql(cluster, OWNER, "SELECT id FROM destination WHERE project_id = %s", b)
    assert sql(cluster, "alice", "SELECT dt_delete_destination(%s)", b_destination) == [(False,)]
    assert sql(cluster, OWNER, "SELECT count(*) FROM destination WHERE project_id = %s", b) == [
        (1,)
    ]


def test_a_manager_records_a_push_but_a_viewer_cannot(cluster, scene, salted):
    with open_service(url(cluster, "alice"), create=False) as alice:
        alice.add_destination("A", "pushed-here", TARGET)
        [destination] = [d for d in alice.list_destinations("A") if d.name == "pushed-here"]
    with open_service(url(cluster, "mike"), create=False) as mike:
        token, _ = mike.generate("A")
    assert not isinstance(
        sql(cluster, "mike", "UPDATE deployment_token SET destination_id = %s WHERE id = %s",
            destination.id, token.id),
        Exception,
    )  # fmt: skip
    assert not isinstance(
        sql(cluster, "mike", "UPDATE destination SET last_push_outcome = 'pushed' WHERE id = %s",
            destination.id),
        Exception,
    )  # fmt: skip
    assert sql(cluster, "carol", "UPDATE destination SET last_push_outcome = 'x' WHERE id = %s",
               destination.id) == 0  # fmt: skip
    with open_service(url(cluster, "alice"), create=False) as alice:
        alice.remove_destination("A", "pushed-here")
        assert alice.token_by_id(token.id).destination_id is None


def test_a_manager_pushes_and_rotates_a_viewer_may_not(
    cluster, scene, salted, openbao, monkeypatch
):
    from app.use_cases.pushing import Pushed

    monkeypatch.setenv("VAULT_TOKEN", openbao.root_token)
    path = f"{openbao.path_prefix}/a"
    with open_service(url(cluster, "alice"), create=False) as alice:
        alice.add_destination("A", "bao", vault_target(openbao.url, path))
    with (
        open_service(url(cluster, "carol"), create=False) as carol,
        pytest.raises(AccessDeniedError),
    ):
        carol.generate_and_push("A", "bao")
    with open_service(url(cluster, "mike"), create=False) as mike:
        pushed = mike.generate_and_push("A", "bao")
        assert isinstance(pushed, Pushed)
        rotated = mike.rotate_and_push("A", pushed.token.id)
        assert mike.verify(openbao.read(path)["data"]["token"], "A") == "A"
        actions = [e.action for e in mike.audit_log("A")][:3]
    assert actions == ["rotated", "pushed", "generated"]
    assert rotated.token.destination_id == pushed.token.destination_id
    with open_service(url(cluster, "alice"), create=False) as alice:
        alice.remove_destination("A", "bao")


def test_a_rotation_policy_outside_its_bounds_is_refused_by_the_database(database_url):
    from app.store.orm import peewee

    with open_service(database_url) as service:
        service.add_project("web")
        service.set_rotation_policy("web", 14)
        database = service.storage.database
        for statement in (
            "UPDATE rotation_policy SET rotate_before_days = 999999999",
            "UPDATE rotation_policy SET grace_seconds = -100",
        ):
            with pytest.raises(peewee.IntegrityError, match=r"(?i)check"), database.atomic():
                database.execute_sql(statement)
        assert service.rotation_policy("web").rotate_before_days == 14
