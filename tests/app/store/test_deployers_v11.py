"""Schema version 11 (trusted deployers): the migration, and on PostgreSQL the access
control of its tables and of ``dt_exchange`` (``deployers_v11.sql``), through the app and
through SQL as each role.

A throwaway cluster of this module's own (login roles are cluster-wide), a database set
up by its owner, projects A and B, and these levels:

    dt_owner  the tables' owner        alice  admin of A
    carol     viewer of A              dave   nothing
    vera      the verification service's role that exchanges (db grant-exchanger)
    victor    a verification service's role that only verifies (db grant-verifier)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app import config, open_service, tokens
from app.errors import AccessDeniedError, NotFoundError
from app.store import db, migrations, verifier_role
from devtools.postgresql_cluster import ThrowawayCluster
from tests.support.login_roles import OWNER, cluster_with_roles, denied, sql, url
from tests.support.oidc import AUDIENCE, running_issuer

SALT = "test-salt-0123456789-abcdefghijklmnopqrstuvwxyz"
ROLES = ("alice", "carol", "dave", "vera", "victor")
TABLES = ("trusted_deployer", "exchanged_subject")
CLAIMS = [("repository_id", "123456789"), ("environment", "production")]
MATCHED = '{"environment":"production","repository_id":"123456789"}'


def test_a_version_10_database_gains_the_deployer_tables(database_url):
    database = db.connect(database_url)
    try:
        migrations.migrate_forward(database, target=10)
        assert not set(TABLES) & set(database.get_tables())
    finally:
        database.close()
    with open_service(database_url) as service:
        assert migrations.schema_version(service.storage.database) == migrations.LATEST_VERSION
        assert set(TABLES) <= set(service.storage.database.get_tables())
        service.add_project("web")
        service.add_deployer("web", issuer="https://ci.example", audience="a", claims=CLAIMS)
        assert len(service.list_deployers("web")) == 1


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
                owner.add_environment(project, "production")
            ids = {p.name: p.id for p in owner.list_projects()}
        for statement in (
            f"SELECT dt_grant('alice', {ids['A']}, 'admin')",
            f"SELECT dt_grant('carol', {ids['A']}, 'viewer')",
        ):
            assert not isinstance(sql(cluster, OWNER, statement), Exception)
        verifier_role.grant_verifier(url(cluster, OWNER), "vera", exchanges=True)
        verifier_role.grant_verifier(url(cluster, OWNER), "victor")
        yield {"ids": ids}


@pytest.fixture
def salted(monkeypatch):
    monkeypatch.setenv(config.SALT_ENV, SALT)


def exchange_call(deployer: int, jti: str, matched: str = MATCHED) -> tuple[str, tuple[Any, ...]]:
    salt = SALT.encode()
    plaintext = tokens.new_token()
    expires = datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=5)
    return (
        "SELECT outcome, token_id, environments FROM dt_exchange(%s, %s, %s, %s, %s, %s, %s)",
        (deployer, matched, jti, expires, tokens.digest(plaintext, salt),
         tokens.preview(plaintext), tokens.salt_fingerprint(salt)),
    )  # fmt: skip


def test_admins_add_and_remove_viewers_read_others_see_nothing(cluster, scene, salted):
    options = {"issuer": "https://ci.example", "audience": "a", "claims": CLAIMS}
    with open_service(url(cluster, "alice"), create=False) as alice:
        record, _ = alice.add_deployer("A", **options)
        with pytest.raises(NotFoundError):  # B is not alice's to see
            alice.add_deployer("B", **options)
    with open_service(url(cluster, "carol"), create=False) as carol:
        assert [r.id for r in carol.list_deployers("A")] == [record.id]
        with pytest.raises(AccessDeniedError, match="admin"):
            carol.add_deployer("A", **{**options, "audience": "b"})
        with pytest.raises(AccessDeniedError, match="admin"):
            carol.remove_deployer("A", record.id)
    with open_service(url(cluster, "dave"), create=False) as dave, pytest.raises(NotFoundError):
        dave.list_deployers("A")
    # Through SQL, past the app's checks: the database refuses all the same.
    insert = (
        "INSERT INTO trusted_deployer (project_id, name, issuer, audience, claims, "
        "environments, lifetime_seconds, created_at, created_by) "
        "VALUES (%s, 'x', 'https://ci.example', 'a', '{}', '[]', 900, now(), 'x')"
    )
    denied(sql(cluster, "carol", insert, scene["ids"]["A"]))
    denied(sql(cluster, "dave", insert, scene["ids"]["A"]))
    denied(sql(cluster, "carol", "UPDATE trusted_deployer SET lifetime_seconds = 3600000"))
    assert sql(cluster, "carol", "SELECT dt_delete_deployer(%s)", record.id) == [(False,)]
    denied(sql(cluster, "dave", "SELECT count(*) FROM trusted_deployer"))
    denied(sql(cluster, "carol", "SELECT * FROM exchanged_subject"))
    with open_service(url(cluster, "alice"), create=False) as alice:
        alice.remove_deployer("A", record.id)


def test_the_verifier_issues_only_through_dt_exchange(cluster, scene, salted):
    with open_service(url(cluster, OWNER)) as owner:
        binding, _ = owner.add_deployer(
            "A", issuer="https://ci.example", audience="a", claims=CLAIMS,
            environments=["production"], name="CI of A",
        )  # fmt: skip
    insert_binding = (
        "INSERT INTO trusted_deployer (project_id, name, issuer, audience, claims, "
        "environments, lifetime_seconds, created_at, created_by) "
        "VALUES (%s, 'x', 'https://ci.example', 'a', '{}', '[]', 900, now(), 'x')"
    )
    denied(sql(cluster, "vera", insert_binding, scene["ids"]["B"]))
    denied(sql(cluster, "vera", "SELECT * FROM exchanged_subject"))
    denied(sql(cluster, "vera", "INSERT INTO exchanged_subject (issuer, jti, expires_at) "
                                "VALUES ('https://ci.example', 'j', now())"))  # fmt: skip
    assert sql(cluster, "vera", "SELECT count(*) FROM trusted_deployer") == [(1,)]
    statement, parameters = exchange_call(binding.id, "jti-1")
    [(outcome, token_id, environments)] = sql(cluster, "vera", statement, *parameters)
    assert (outcome, environments) == ("issued", ["production"])
    [(name, created_by, lifetime, project_id, deployer_id)] = sql(
        cluster, OWNER, "SELECT name, created_by, expires_at - created_at, project_id, "
        "deployer_id FROM deployment_token WHERE id = %s", token_id,
    )  # fmt: skip
    assert (name, created_by, lifetime, project_id, deployer_id) == (
        "CI of A", "vera", timedelta(minutes=15), scene["ids"]["A"], binding.id,
    )  # fmt: skip
    [(action, actor, detail)] = sql(
        cluster, OWNER, "SELECT action, actor, detail FROM audit_event WHERE token_id = %s",
        token_id,
    )  # fmt: skip
    assert (action, actor) == ("exchanged", "vera")
    assert detail.startswith(f"deployer {binding.id} (CI of A) matched {MATCHED}; expires ")
    # Once per (issuer, jti); never for claims that do not include the binding's.
    assert sql(cluster, "vera", statement, *parameters)[0][0] == "replayed"
    statement, parameters = exchange_call(binding.id, "jti-2", '{"repository_id":"123456789"}')
    assert sql(cluster, "vera", statement, *parameters)[0][0] == "no match"
    statement, parameters = exchange_call(binding.id + 1000, "jti-3")
    assert sql(cluster, "vera", statement, *parameters)[0][0] == "no binding"
    # People exchange nothing, nor does a role that may only verify (schema version 12):
    # only a role given db grant-exchanger may call it.
    statement, parameters = exchange_call(binding.id, "jti-4")
    denied(sql(cluster, "alice", statement, *parameters))
    denied(sql(cluster, "carol", statement, *parameters))
    denied(sql(cluster, "victor", statement, *parameters))
    assert sql(cluster, "victor", "SELECT count(*) FROM trusted_deployer") == [(1,)]


def test_a_verify_only_role_is_told_to_ask_for_grant_exchanger(cluster, scene, salted):
    from app.errors import ConfigurationError

    with running_issuer() as issuer:
        with open_service(url(cluster, OWNER)) as owner:
            owner.add_deployer("B", issuer=issuer.url, audience=AUDIENCE, claims=CLAIMS)
        with (
            open_service(url(cluster, "victor"), create=False) as victor,
            pytest.raises(ConfigurationError, match="db grant-exchanger ROLE"),
        ):
            victor.exchange(issuer.sign(issuer.github()), "B")


def test_the_verifier_exchanges_through_the_app(cluster, scene, salted):
    with running_issuer() as issuer:
        with open_service(url(cluster, OWNER)) as owner:
            owner.add_deployer("B", issuer=issuer.url, audience=AUDIENCE, claims=CLAIMS)
        with open_service(url(cluster, "vera"), create=False) as vera:
            exchanged = vera.exchange(issuer.sign(issuer.github()), "B")
            assert vera.verify(exchanged.access_token, "B") == "B"
        with open_service(url(cluster, OWNER)) as owner:
            [event] = [e for e in owner.audit_log("B") if e.action == "exchanged"]
    assert (event.token_id, event.actor) == (exchanged.token_id, "vera")
