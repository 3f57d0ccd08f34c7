"""Schema version 10 (notifications): the migration, and on PostgreSQL the access control
of its tables (``notifications_v10.sql``), through the app and through SQL as each role.

A throwaway cluster of this module's own (login roles are cluster-wide), a database set
up by its owner, projects A and B, and these levels:

    dt_owner  the tables' owner          eve    admin of all projects
    alice     admin of A                 bob    manager of A
    carol     viewer of A                nora   viewer of all projects: runs notify
    dave      nothing
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from importlib import resources
from typing import Any

import pytest

from app import config, open_service
from app.errors import AccessDeniedError, NotFoundError
from app.lifecycle import Expiry
from app.notifications.records import FAILED, SENT
from app.store import db, migrations
from devtools.postgresql_cluster import SERVER_USER, ThrowawayCluster
from tests.support.login_roles import OWNER, cluster_with_roles, denied, sql, url
from tests.support.receivers import receiving

SALT = "test-salt-0123456789-abcdefghijklmnopqrstuvwxyz"
ROLES = ("alice", "bob", "carol", "dave", "eve", "nora")
TABLES = ("notification_target", "expiry_warning", "notification_delivery", "notification_policy")
SCRIPT = resources.files("app.store").joinpath("notifications_v10.sql")


def test_a_version_9_database_gains_the_notification_tables(database_url):
    """(What the tables of earlier versions hold passes through every step: the migration
    tests take a version 1 database with data to the latest.)"""
    database = db.connect(database_url)
    try:
        migrations.migrate_forward(database, target=9)
        assert not set(TABLES) & set(database.get_tables())
    finally:
        database.close()
    with open_service(database_url) as service:
        assert migrations.schema_version(service.storage.database) == migrations.LATEST_VERSION
        assert set(TABLES) <= set(service.storage.database.get_tables())
        service.add_project("web")
        service.generate("web", "ci", expiry=Expiry.after(timedelta(days=2)))
        service.add_notification("web", "email", "ops@example.com")
        [warning] = service.notify(dry_run=True).warnings
    assert (warning.project, warning.name, warning.threshold_days) == ("web", "ci", 7)


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
                owner.generate(project, "soon", expiry=Expiry.after(timedelta(days=3)))
            email, _ = owner.add_notification("A", "email", "a@example.com")
            # Down (nothing listens on the discard port): its deliveries fail, quickly.
            hook_b, _ = owner.add_notification("B", "webhook", "http://127.0.0.1:9/b")
            ids = {p.name: p.id for p in owner.list_projects()}
        for statement in (
            f"SELECT dt_grant('alice', {ids['A']}, 'admin')",
            f"SELECT dt_grant('bob', {ids['A']}, 'manager')",
            f"SELECT dt_grant('carol', {ids['A']}, 'viewer')",
            "SELECT dt_grant('eve', NULL, 'admin')",
            "SELECT dt_grant('nora', NULL, 'viewer')",
        ):
            assert not isinstance(sql(cluster, OWNER, statement), Exception)
        yield {"ids": ids, "email": email.id, "hook_b": hook_b.id}


pytestmark_pg = pytest.mark.only_backend("postgresql")


@pytestmark_pg
def test_row_level_security_is_forced_on_every_notification_table(cluster, scene, backend):
    rows = sql(cluster, SERVER_USER, "SELECT relname, relrowsecurity, relforcerowsecurity "
               "FROM pg_class WHERE relname = ANY (%s)", list(TABLES))  # fmt: skip
    assert sorted(rows) == sorted((table, True, True) for table in TABLES)


@pytestmark_pg
@pytest.mark.parametrize("role", ["eve", "alice", "bob", "carol", "nora", "dave", OWNER])
def test_who_may_add_and_remove_a_projects_notifications(cluster, scene, role, backend):
    with open_service(url(cluster, role)) as service:
        if role == "dave":  # no level anywhere: A reads as unknown
            with pytest.raises(NotFoundError, match="no project named 'A'"):
                service.add_notification("A", "email", "dave@example.com")
            return
        if role not in (OWNER, "eve", "alice"):
            with pytest.raises(AccessDeniedError, match="this needs admin on project 'A'"):
                service.add_notification("A", "email", f"{role}@example.com")
            return
        added, _ = service.add_notification("A", "email", f"{role}@example.com")
        assert added.created_by == role
        service.remove_notification("A", added.id)


@pytestmark_pg
@pytest.mark.parametrize("role", ["eve", "alice", "nora", OWNER])
def test_only_an_all_projects_admin_adds_an_all_projects_notification(
    cluster, scene, role, backend
):
    with open_service(url(cluster, role)) as service:
        if role in ("alice", "nora"):
            with pytest.raises(AccessDeniedError, match="this needs admin on every project"):
                service.add_notification(None, "email", "all@example.com")
            return
        added, _ = service.add_notification(None, "email", "all@example.com")
        assert service.remove_notification(None, added.id).id == added.id


@pytestmark_pg
@pytest.mark.parametrize("role", ["bob", "carol", "nora", "dave"])
def test_sql_around_the_app_adds_and_removes_nothing(cluster, scene, role, backend):
    a = scene["ids"]["A"]
    before = sql(cluster, SERVER_USER, "SELECT id FROM notification_target ORDER BY id")
    insert = sql(cluster, role, "INSERT INTO notification_target (project_id, kind, address, "
                 "address_key, created_at, created_by) VALUES (%s, 'email', 'x@example.com', "
                 "'x@example.com', now(), 'x')", a)  # fmt: skip
    denied(insert, "row-level security", "permission denied")
    removed = sql(cluster, role, "SELECT dt_delete_notification(%s)", scene["email"])
    if role == "dave":  # not even a member of the group the function is granted to
        denied(removed, "permission denied")
    else:
        assert removed == [(False,)]
    denied(sql(cluster, role, "DELETE FROM notification_target"), "permission denied")
    denied(sql(cluster, role, "BEGIN; LOCK TABLE notification_target IN ACCESS EXCLUSIVE MODE"),
           "permission denied")  # fmt: skip
    assert sql(cluster, SERVER_USER, "SELECT id FROM notification_target ORDER BY id") == before


@pytestmark_pg
def test_viewers_see_their_projects_notifications_but_never_a_seed(cluster, scene, backend):
    with open_service(url(cluster, "carol")) as carol:
        assert [n.address for n in carol.list_notifications("A")] == ["a@example.com"]
        with pytest.raises(AccessDeniedError, match="viewer on every project"):
            carol.list_notifications(None)
    hook = scene["hook_b"]
    for role in ("carol", "bob", "alice", "dave"):
        denied(sql(cluster, role, "SELECT secret_seed FROM notification_target"),
               "permission denied")  # fmt: skip
        seed = sql(cluster, role, "SELECT dt_notification_seed(%s)", hook)
        if role == "dave":
            denied(seed, "permission denied")
        else:
            assert seed == [(None,)], role
    for role in ("nora", "eve", OWNER):
        [(seed,)] = sql(cluster, role, "SELECT dt_notification_seed(%s)", hook)
        assert len(seed) == 64, role
    for table in TABLES:
        denied(sql(cluster, "dave", f"SELECT count(*) FROM {table}"), "permission denied")


@pytestmark_pg
def test_notify_runs_as_a_viewer_of_all_projects_and_a_project_viewer_cannot(
    cluster, scene, backend, mail
):
    with (
        open_service(url(cluster, "carol")) as carol,
        pytest.raises(AccessDeniedError, match="this needs viewer on every project"),
    ):
        carol.notify()
    with (
        open_service(url(cluster, OWNER)) as owner,
        receiving() as receiver,
        open_service(url(cluster, "nora")) as nora,
    ):
        hook, receiver.secret = owner.add_notification(None, "webhook", receiver.url)
        report = nora.notify(sleep=lambda _: None)
        again = nora.notify(sleep=lambda _: None)
        owner.remove_notification(None, hook.id)
    outcomes = {d.target.id: d.outcome for d in report.deliveries}
    assert outcomes == {hook.id: SENT, scene["email"]: SENT, scene["hook_b"]: FAILED}
    assert [d.target.id for d in again.deliveries] == [scene["hook_b"]]  # retried, still down
    assert sorted(w.project for w in report.warnings) == ["A", "B"]
    # nora signed with the secret the owner was shown: she derived it from the seed.
    assert all(d.valid for d in receiver.received)
    expiring = [p["token"]["project"] for p in receiver.accepted if p["type"] == "token.expiring"]
    assert sorted(expiring) == ["A", "B"]
    assert [m.recipients for m in mail.messages] == [["a@example.com"]]
    recorded = sql(cluster, SERVER_USER, "SELECT count(*) FROM expiry_warning")
    assert recorded == [(4,)]  # 30 and 7 of each token, 7 warned


@pytestmark_pg
def test_the_notifier_moves_cursors_forward_and_changes_nothing_else(cluster, scene, backend):
    email = scene["email"]
    assert sql(cluster, SERVER_USER, "SELECT audit_cursor > 0 FROM notification_target "
               "WHERE id = %s", email) == [(True,)]  # fmt: skip
    denied(sql(cluster, "nora", "UPDATE notification_target SET audit_cursor = 0 WHERE id = %s",
               email), "only move forward")  # fmt: skip
    denied(sql(cluster, "nora", "UPDATE notification_target SET address = 'evil@example.com'"),
           "permission denied")  # fmt: skip
    denied(sql(cluster, "nora", "UPDATE notification_target SET secret_seed = 'x'"),
           "permission denied")  # fmt: skip
    # A project's viewer or admin records nothing of notify's: no row passes the policy.
    assert sql(cluster, "alice", "UPDATE notification_target SET warning_cursor = "
               "warning_cursor + 1") == 0  # fmt: skip
    for role in ("carol", "alice", "bob"):
        denied(sql(cluster, role, "INSERT INTO notification_delivery (target_id, attempted_at, "
                   "outcome, items, detail) VALUES (%s, now(), 'sent', 1, '')", email),
               "row-level security")  # fmt: skip
        denied(sql(cluster, role, "INSERT INTO expiry_warning (project_id, token_id, "
                   "threshold_days, warned, recorded_at) SELECT project_id, id, 99, true, now() "
                   "FROM deployment_token LIMIT 1"),
               "row-level security", "permission denied")  # fmt: skip


@pytestmark_pg
def test_thresholds_are_set_by_the_projects_admin(cluster, scene, backend):
    for role in ("bob", "carol", "nora"):
        with open_service(url(cluster, role)) as service:
            assert service.warning_days("A") == (30, 7, 1)
            with pytest.raises(AccessDeniedError, match="this needs admin on project 'A'"):
                service.set_warning_days("A", [14])
        denied(sql(cluster, role, "INSERT INTO notification_policy (project_id, warning_days) "
                   "VALUES (%s, '1')", scene["ids"]["A"]),
               "row-level security")  # fmt: skip
    with open_service(url(cluster, "alice")) as alice:
        assert alice.set_warning_days("A", [14]) == (14,)
    assert sql(cluster, "bob", "UPDATE notification_policy SET warning_days = '1'") == 0


@pytestmark_pg
def test_the_script_run_again_changes_nothing(cluster, scene, backend):
    def state() -> list[Any]:
        return [
            sql(cluster, SERVER_USER, "SELECT tablename, policyname, cmd, roles::text, qual, "
                "with_check FROM pg_policies WHERE tablename = ANY (%s) ORDER BY 1, 2",
                list(TABLES)),
            sql(cluster, SERVER_USER, "SELECT relname, relacl::text FROM pg_class "
                "WHERE relname = ANY (%s) ORDER BY 1", list(TABLES)),
            sql(cluster, SERVER_USER, "SELECT attrelid::regclass::text, attname, attacl::text "
                "FROM pg_attribute WHERE attrelid = ANY (%s::regclass[]) AND attacl IS NOT NULL "
                "ORDER BY 1, 2", list(TABLES)),
            sql(cluster, SERVER_USER, "SELECT proname, proowner::regrole::text, proacl::text, "
                "proconfig::text FROM pg_proc WHERE proname LIKE 'dt\\_%%notification%%' "
                "ORDER BY 1"),
        ]  # fmt: skip

    before = state()
    assert not isinstance(sql(cluster, OWNER, SCRIPT.read_text("utf-8")), Exception)
    assert state() == before
