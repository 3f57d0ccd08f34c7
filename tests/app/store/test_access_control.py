"""Access control on PostgreSQL (schema version 8, ``access_control_v8.sql``), at the SQL
level: what each login role may do through the app's own statements and through psql.

A throwaway cluster of this module's own (its login roles are cluster-wide and must not
meet another test's), a database set up as the app sets one up: the owner at version 7
with a verifier granted then, ``deployment-tokens db setup`` run by the owner, then
projects A and B with tokens, and the levels of the scenario:

    dt_owner  the tables' owner: admin of everything
    eve       admin of all projects          alice  admin of A (granted by the owner)
    bob       manager of A (by alice)        carol  viewer of A (by alice)
    mike      manager of B                   dave   nothing (not even a member)
    frank     verifier granted at version 7  grace  verifier granted at version 8

Refused changes are committed as far as they went; every table, the group memberships and
the access control's own objects are compared with a superuser's snapshot from before.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from app import config, open_service, tokens
from app.errors import AccessDeniedError, DeploymentTokensError, NotFoundError
from app.issuing import TokenIssuer
from app.store import db, migrations, verifier_role
from app.store.plain_sql import POSTGRESQL, VERIFIER_GROUP, VERIFIER_STATEMENTS
from app.verification import TokenVerifier
from devtools.postgresql_cluster import SERVER_USER, ThrowawayCluster

pytestmark = pytest.mark.only_backend("postgresql")

# The suite's salt (tests/conftest.py), which every test's environment holds.
SALT = "test-salt-0123456789-abcdefghijklmnopqrstuvwxyz"
SCRIPT = resources.files("app.store").joinpath("access_control_v8.sql")
OWNER = "dt_owner"
GROUP = "deployment_tokens_user"
VERIFIERS = "deployment_tokens_verifier"
PEOPLE = ("alice", "bob", "carol", "dave", "eve", "mike")
# frank: a verifier granted at version 7 (before the access control); grace: after it.
VERIFIER_ROLES = ("frank", "grace")
RANK = {"viewer": 1, "manager": 2, "admin": 3}
ROOT = Path(__file__).resolve().parents[3]
PSQL = shutil.which("psql") or "/usr/bin/psql"


# --- the cluster and the databases ---------------------------------------------------


@pytest.fixture(scope="module")
def cluster(backend: str) -> Iterator[ThrowawayCluster]:
    import psycopg

    with ThrowawayCluster() as running:
        with psycopg.connect(running.admin_url, autocommit=True) as admin:
            for role in (OWNER, *PEOPLE, *VERIFIER_ROLES, "dt_owner2"):
                admin.execute(f'CREATE ROLE "{role}" LOGIN')
            # Least privilege for the owner (README, "Team set-up", step 1): no CREATEROLE,
            # no superuser; ADMIN OPTION on the two groups a superuser made once.
            for group in (GROUP, VERIFIERS):
                admin.execute(f"CREATE ROLE {group} NOLOGIN")
                admin.execute(f"GRANT {group} TO {OWNER} WITH ADMIN OPTION")
        yield running


@pytest.fixture(scope="module")
def salted() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(config.SALT_ENV, SALT)
        yield


def url(cluster: ThrowawayCluster, role: str, database: str) -> str:
    return f"postgresql://{role}@127.0.0.1:{cluster.port}/{database}"


def connect(cluster: ThrowawayCluster, role: str, database: str, **options: Any) -> Any:
    import psycopg

    return psycopg.connect(url(cluster, role, database), **options)


def psql(
    cluster: ThrowawayCluster, role: str, database: str, sql: str
) -> subprocess.CompletedProcess[str]:
    """The psql binary as ``role``: what someone who skips the app can do."""
    return subprocess.run(
        [PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
         "-p", str(cluster.port), "-U", role, "-d", database, "-c", sql],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def db_setup(
    cluster: ThrowawayCluster, role: str, database: str
) -> subprocess.CompletedProcess[str]:
    """``deployment-tokens db setup`` as ``role``, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "app", "--database", url(cluster, role, database), "db", "setup"],
        capture_output=True, text=True, check=False, cwd=ROOT, timeout=120,
        env={**os.environ, config.SALT_ENV: SALT},
    )  # fmt: skip


def at_version_7(cluster: ThrowawayCluster, role: str, database: str) -> None:
    """The schema as the release before the access control left it."""
    opened = db.connect(url(cluster, role, database))
    try:
        migrations.migrate_forward(opened, target=7)
    finally:
        opened.close()


def grant_verifier_as_at_version_7(cluster: ThrowawayCluster, database: str, role: str) -> None:
    """What ``db grant-verifier`` granted before version 8: everything but the group."""
    statements = verifier_role.statements(role)
    assert statements[-1] == f'GRANT {VERIFIER_GROUP} TO "{role}"'
    with connect(cluster, OWNER, database, autocommit=True) as owner:
        for statement in statements[:-1]:
            owner.execute(statement)


def make_database(cluster: ThrowawayCluster, name: str) -> dict[str, Any]:
    """A database set up as the app does, with the scenario's projects, tokens and levels."""
    import psycopg

    with psycopg.connect(cluster.admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} OWNER {OWNER}")
    at_version_7(cluster, OWNER, name)
    grant_verifier_as_at_version_7(cluster, name, "frank")
    done = db_setup(cluster, OWNER, name)
    assert done.returncode == 0, done.stderr
    assert f"at schema version {migrations.LATEST_VERSION}" in done.stdout
    owner_url = url(cluster, OWNER, name)
    plaintexts: dict[str, list[str]] = {}
    with open_service(owner_url) as service:
        for project in ("A", "B"):
            service.add_project(project)
            service.add_environment(project, "prod")
            plaintexts[project] = [
                service.generate(project, f"{project} token {i}")[1] for i in range(3)
            ]
            plaintexts[project].append(
                service.generate(project, f"{project} prod only", environments=["prod"])[1]
            )
    verifier_role.grant_verifier(owner_url, "grace")  # version 8's: the group included
    known: dict[int, dict[str, int]] = {}
    with connect(cluster, OWNER, name, autocommit=True) as owner:
        ids = dict(owner.execute("SELECT name, id FROM project").fetchall())
        for project_id in ids.values():
            known[project_id] = {
                "token": owner.execute("SELECT min(id) FROM deployment_token "
                                       "WHERE project_id = %s", (project_id,)).fetchone()[0],
                "environment": owner.execute("SELECT min(id) FROM environment "
                                             "WHERE project_id = %s", (project_id,)).fetchone()[0],
            }  # fmt: skip
        owner.execute("SELECT dt_grant('alice', %s, 'admin')", (ids["A"],))
        owner.execute("SELECT dt_grant('eve', NULL, 'admin')")
        owner.execute("SELECT dt_grant('mike', %s, 'manager')", (ids["B"],))
    with connect(cluster, "alice", name, autocommit=True) as alice:  # an admin delegates
        alice.execute("SELECT dt_grant('bob', %s, 'manager')", (ids["A"],))
        alice.execute("SELECT dt_grant('carol', %s, 'viewer')", (ids["A"],))
    return {"name": name, "ids": ids, "plaintexts": plaintexts, "known": known}


@pytest.fixture(scope="module")
def db_(cluster: ThrowawayCluster, salted: None) -> dict[str, Any]:
    return make_database(cluster, "dt")


def snapshot(cluster: ThrowawayCluster, database: str) -> dict[str, Any]:
    """Every row of every table, who is in the group roles, and the access control's own
    objects (policies, privileges in any order, functions' owners and settings), as a
    superuser sees them."""
    with connect(cluster, SERVER_USER, database, autocommit=True) as admin:
        tables = [
            row[0]
            for row in admin.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        state = {table: admin.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
                 for table in tables}  # fmt: skip
        state["members"] = admin.execute(
            "SELECT roleid::regrole::text, member::regrole::text, admin_option "
            "FROM pg_auth_members ORDER BY 1, 2").fetchall()  # fmt: skip
        state["policies"] = admin.execute(
            "SELECT tablename, policyname, cmd, roles::text, qual, with_check FROM pg_policies "
            "ORDER BY 1, 2").fetchall()  # fmt: skip
        state["privileges"] = admin.execute(
            "SELECT relname, array(SELECT unnest(relacl)::text ORDER BY 1)::text, "
            "relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relnamespace = 'public'::regnamespace ORDER BY 1").fetchall()  # fmt: skip
        state["functions"] = admin.execute(
            "SELECT oid::regprocedure::text, proowner::regrole::text, "
            "array(SELECT unnest(proacl)::text ORDER BY 1)::text, "
            "proconfig::text, prosecdef FROM pg_proc "
            "WHERE pronamespace = 'public'::regnamespace ORDER BY 1").fetchall()  # fmt: skip
        state["triggers"] = admin.execute(
            "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger "
            "WHERE NOT tgisinternal ORDER BY 1, 2").fetchall()  # fmt: skip
        # Not the sequences: nextval is not transactional, so a refused INSERT (and a
        # rolled-back allowed one) may leave a gap in the ids. Harmless, and unavoidable.
    return state


def unchanged(cluster: ThrowawayCluster, database: str, before: dict[str, Any]) -> None:
    """The database is as ``before`` (each difference named, row by row)."""
    after = snapshot(cluster, database)
    changed = {
        key: (sorted(set(before[key]) - set(after.get(key, []))),
              sorted(set(after.get(key, [])) - set(before[key])))
        for key in before if before[key] != after.get(key)
    }  # fmt: skip
    assert not changed, changed


# --- what each level may do: the app's own statements, as each role -------------------


def level_of(role: str, project: str) -> int:
    if role in (OWNER, "eve"):
        return 3
    return {("alice", "A"): 3, ("bob", "A"): 2, ("carol", "A"): 1, ("mike", "B"): 2}.get(
        (role, project), 0
    )


Action = Callable[[Any, dict[str, Any], str], bool]


def _rows(connection: Any, sql: str, *args: Any) -> bool:
    return connection.execute(sql, args).rowcount > 0


def _token(data: dict[str, Any], project: str) -> int:
    # The ids an attacker would use are the real ones (ids are guessable).
    return data["known"][data["ids"][project]]["token"]


def _environment(data: dict[str, Any], project: str) -> int:
    return data["known"][data["ids"][project]]["environment"]


def act_read(table: str) -> Action:
    def read(connection: Any, data: dict[str, Any], project: str) -> bool:
        [count] = connection.execute(
            f"SELECT count(*) FROM {table} WHERE project_id = %s", (data["ids"][project],)
        ).fetchone()
        return count > 0

    return read


def act_read_policy(connection: Any, data: dict[str, Any], project: str) -> bool:
    return connection.execute(
        "SELECT default_lifetime_hours, max_lifetime_hours, allow_no_expiry FROM project "
        "WHERE id = %s", (data["ids"][project],)).fetchone() is not None  # fmt: skip


def act_generate(connection: Any, data: dict[str, Any], project: str) -> bool:
    """The app's own issuer (app/issuing.py) on app/store/plain_sql.py's statements; the
    actor it is handed is a lie the database must not store."""
    issued = TokenIssuer(POSTGRESQL).generate(
        connection, salt=SALT.encode(), plaintext=tokens.new_token(), project_name=project,
        name=None, expiry=None, environments=["prod"], actor="somebody-else",
        now=datetime.now(UTC),
    )  # fmt: skip
    [stored] = connection.execute(
        "SELECT created_by FROM deployment_token WHERE id = %s", (issued.id,)
    ).fetchone()
    [session] = connection.execute("SELECT session_user").fetchone()
    assert stored == session, "created_by must be the session's login"
    [actor] = connection.execute(
        "SELECT actor FROM audit_event WHERE token_id = %s", (issued.id,)
    ).fetchone()
    assert actor == session
    return True


def act_rotate(connection: Any, data: dict[str, Any], project: str) -> bool:
    TokenIssuer(POSTGRESQL).rotate(
        connection, salt=SALT.encode(), plaintext=tokens.new_token(), project_name=project,
        token_id=_token(data, project), grace=timedelta(hours=1), actor="x",
        clock=lambda: datetime.now(UTC),
    )  # fmt: skip
    return True


def act_revoke(connection: Any, data: dict[str, Any], project: str) -> bool:
    """What app/use_cases/lookups.delete_token and the revoke use case write."""
    token_id, project_id = _token(data, project), data["ids"][project]
    row = connection.execute(
        "SELECT name, preview, digest FROM deployment_token WHERE id = %s", (token_id,)
    ).fetchone()
    [deleted] = connection.execute("SELECT dt_delete_token(%s)", (token_id,)).fetchone()
    if row is None or not deleted:
        return False
    connection.execute(
        "INSERT INTO revoked_token (project_id, token_id, name, preview, digest, revoked_at) "
        "VALUES (%s, %s, %s, %s, %s, now())", (project_id, token_id, *row))  # fmt: skip
    connection.execute(
        "INSERT INTO audit_event (project_id, action, token_id, token_preview, actor, "
        "occurred_at, detail) VALUES (%s, 'revoked', %s, %s, 'x', now(), '')",
        (project_id, token_id, row[1]))  # fmt: skip
    return True


def act_rename_token(connection: Any, data: dict[str, Any], project: str) -> bool:
    return _rows(connection, "UPDATE deployment_token SET name = 'renamed' WHERE id = %s",
                 _token(data, project))  # fmt: skip


def act_set_expiry(connection: Any, data: dict[str, Any], project: str) -> bool:
    return _rows(connection, "UPDATE deployment_token SET expires_at = now() + interval '1 day' "
                 "WHERE id = %s", _token(data, project))  # fmt: skip


def act_token_environments(connection: Any, data: dict[str, Any], project: str) -> bool:
    token_id = _token(data, project)
    [cleared] = connection.execute("SELECT dt_clear_token_environments(%s)", (token_id,)).fetchone()
    return cleared and _rows(connection, "INSERT INTO token_environment (token_id, environment_id) "
                 "VALUES (%s, %s)", token_id, _environment(data, project))  # fmt: skip


def act_add_environment(connection: Any, data: dict[str, Any], project: str) -> bool:
    return _rows(connection, "INSERT INTO environment (project_id, name, name_key, created_at) "
                 "VALUES (%s, 'staging', 'staging', now())", data["ids"][project])  # fmt: skip


def act_remove_environment(connection: Any, data: dict[str, Any], project: str) -> bool:
    environment = _environment(data, project)
    return bool(
        connection.execute("SELECT dt_delete_environment(%s)", (environment,)).fetchone()[0]
    )


def act_change_policy(connection: Any, data: dict[str, Any], project: str) -> bool:
    return _rows(connection, "UPDATE project SET default_lifetime_hours = 24, "
                 "max_lifetime_hours = 48 WHERE id = %s", data["ids"][project])  # fmt: skip


def act_rename_project(connection: Any, data: dict[str, Any], project: str) -> bool:
    return _rows(connection, "UPDATE project SET name = name || ' renamed', "
                 "name_key = name_key || ' renamed' WHERE id = %s",
                 data["ids"][project])  # fmt: skip


def act_delete_project(connection: Any, data: dict[str, Any], project: str) -> bool:
    project_id = data["ids"][project]
    [deleted] = connection.execute("SELECT dt_delete_project(%s)", (project_id,)).fetchone()
    if deleted:  # the cascade went through, past RLS: nothing of the project is left
        for table in ("deployment_token", "environment", "revoked_token"):
            [left] = connection.execute(
                f"SELECT count(*) FROM {table} WHERE project_id = %s", (project_id,)
            ).fetchone()
            assert left == 0
    return deleted


def act_grant_access(connection: Any, data: dict[str, Any], project: str) -> bool:
    connection.execute("SELECT dt_grant('dave', %s, 'viewer')", (data["ids"][project],))
    return True


def act_revoke_access(connection: Any, data: dict[str, Any], project: str) -> bool:
    victim = "carol" if project == "A" else "mike"
    [removed] = connection.execute(
        "SELECT dt_revoke(%s, %s)", (victim, data["ids"][project])
    ).fetchone()
    return bool(removed)


def act_add_project(connection: Any, data: dict[str, Any], project: str) -> bool:
    return _rows(connection, "INSERT INTO project (name, name_key, created_at, "
                 "default_lifetime_hours, allow_no_expiry, default_names_given) "
                 "VALUES ('New', 'new', now(), 2160, true, 0)")  # fmt: skip


ACTIONS: dict[str, tuple[str, Action]] = {
    "read tokens": ("viewer", act_read("deployment_token")),
    "read environments": ("viewer", act_read("environment")),
    "read policy": ("viewer", act_read_policy),
    "read audit": ("viewer", act_read("audit_event")),
    "generate": ("manager", act_generate),
    "rotate": ("manager", act_rotate),
    "revoke": ("manager", act_revoke),
    "rename token": ("manager", act_rename_token),
    "set expiry": ("manager", act_set_expiry),
    "token environments": ("manager", act_token_environments),
    "add environment": ("admin", act_add_environment),
    "remove environment": ("admin", act_remove_environment),
    "change policy": ("admin", act_change_policy),
    "rename project": ("admin", act_rename_project),
    "delete project": ("admin", act_delete_project),
    "grant access": ("admin", act_grant_access),
    "revoke access": ("admin", act_revoke_access),
    "add project": ("all-projects admin", act_add_project),
}
MATRIX_ROLES = (OWNER, "eve", "alice", "bob", "carol", "mike", "dave")


def _allowed(role: str, project: str, needed: str) -> bool:
    if needed == "all-projects admin":
        return role in (OWNER, "eve")
    return level_of(role, project) >= RANK[needed]


@pytest.mark.parametrize("project", ["A", "B"])
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_level_matrix(cluster, db_, role: str, action: str, project: str) -> None:
    """Allowed: the action takes effect (then rolled back). Refused: an error or no
    effect, committed as far as it went, and the database exactly as before."""
    import psycopg

    needed, run = ACTIONS[action]
    allowed = _allowed(role, project, needed)
    before = snapshot(cluster, db_["name"])
    with connect(cluster, role, db_["name"]) as connection:
        try:
            took = run(connection, db_, project)
            outcome = "ok" if took else "no effect (0 rows)"
        except (psycopg.Error, DeploymentTokensError) as error:
            took = False
            outcome = f"{getattr(error, 'sqlstate', None) or type(error).__name__}: {error}"
            connection.rollback()
        if allowed:
            assert took, f"{role} should be able to {action} on {project}: {outcome}"
            connection.rollback()
        else:
            assert not took, f"{role} must not {action} on {project}"
            connection.commit()  # whatever went through would stay: nothing must have
    unchanged(cluster, db_["name"], before)


# --- attacks, through psql -------------------------------------------------------------


def answered(done: subprocess.CompletedProcess[str]) -> str:
    """What psql printed, having succeeded."""
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _denied(done: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert done.returncode != 0, done.stdout
    assert any(f in done.stderr for f in fragments), done.stderr


def test_psql_reading_another_projects_rows(cluster, db_) -> None:
    b = db_["ids"]["B"]
    for role in ("alice", "bob", "carol"):
        for table in ("deployment_token", "audit_event", "environment", "revoked_token"):
            done = psql(cluster, role, "dt", f"SELECT count(*) FROM {table} WHERE project_id = {b}")
            assert answered(done) == "0", (role, table)
        done = psql(cluster, role, "dt", "SELECT count(*) FROM token_environment te "
                    "JOIN environment e ON e.id = te.environment_id "
                    f"WHERE e.project_id = {b}")  # fmt: skip
        assert done.stdout.strip() == "0", (role, done)
        done = psql(cluster, role, "dt", "SELECT string_agg(name, ',') FROM project")
        assert done.stdout.strip() == "A"  # B reads as unknown
    # Not a member of the group at all (no level anywhere): no row, as unknown as B.
    for table in ("project", "deployment_token", "environment", "audit_event", "revoked_token"):
        done = psql(cluster, "dave", "dt", f"SELECT count(*) FROM {table}")
        assert answered(done) == "0", table
    _denied(psql(cluster, "dave", "dt", "SELECT * FROM access_grant"), "permission denied")
    # The shared row (the change counter, the salt's fingerprint) everyone reads.
    done = psql(cluster, "dave", "dt", "SELECT count(*) FROM control_state")
    assert done.stdout.strip() == "1", done


@pytest.mark.parametrize(
    "role", ["alice", "bob", "carol", "dave", "eve", "mike", "frank", "grace", OWNER]
)
def test_psql_audit_is_append_only(cluster, db_, role) -> None:
    before = snapshot(cluster, "dt")
    update = psql(cluster, role, "dt", "UPDATE audit_event SET actor = 'nobody'")
    delete = psql(cluster, role, "dt", "DELETE FROM audit_event")
    truncate = psql(cluster, role, "dt", "TRUNCATE audit_event")
    if role == OWNER:
        # The owner may (it owns the table), but no policy lets a row through: 0 rows,
        # silently; TRUNCATE, which RLS does not cover, meets the trigger.
        assert update.returncode == 0
        assert delete.returncode == 0
        _denied(truncate, "append-only")
    else:
        for done in (update, delete, truncate):
            _denied(done, "permission denied")
    unchanged(cluster, "dt", before)


def test_not_even_a_superuser_changes_the_audit_trail(cluster, db_) -> None:
    """With RLS out of the way (a superuser bypasses it), the trigger refuses; only a
    project's deletion removes its events."""
    before = snapshot(cluster, "dt")
    _denied(psql(cluster, SERVER_USER, "dt", "DELETE FROM audit_event"), "append-only")
    _denied(psql(cluster, SERVER_USER, "dt", "UPDATE audit_event SET detail = 'x'"), "append-only")
    _denied(psql(cluster, SERVER_USER, "dt", "TRUNCATE audit_event"), "append-only")
    unchanged(cluster, "dt", before)


def test_psql_insert_token_for_another_project(cluster, db_) -> None:
    before = snapshot(cluster, "dt")
    a, b = db_["ids"]["A"], db_["ids"]["B"]
    done = psql(cluster, "bob", "dt",
                "INSERT INTO deployment_token (project_id, name, digest, preview, created_at, "
                f"created_by) VALUES ({b}, 'x', repeat('a', 64), 'mldt_…aaaa', now(), "
                "'bob')")  # fmt: skip
    _denied(done, "row-level security")
    # Moving one of A's tokens into B: the column is not updatable at all.
    _denied(psql(cluster, "bob", "dt", f"UPDATE deployment_token SET project_id = {b}"),
            "permission denied")  # fmt: skip
    # An environment of B on a token of A, even for an admin of everything.
    done = psql(cluster, "eve", "dt",
                "INSERT INTO token_environment SELECT t.id, e.id FROM deployment_token t, "
                f"environment e WHERE t.project_id = {a} AND e.project_id = {b} "
                "LIMIT 1")  # fmt: skip
    _denied(done, "row-level security")
    # An audit event for B, a revoked token for B, from a manager of A.
    _denied(psql(cluster, "bob", "dt", "INSERT INTO audit_event (project_id, action, actor, "
                 f"occurred_at, detail) VALUES ({b}, 'revoked', 'bob', now(), '')"),
            "row-level security")  # fmt: skip
    unchanged(cluster, "dt", before)


def test_psql_created_by_and_actor_are_the_session_user(cluster, db_) -> None:
    a = db_["ids"]["A"]
    sql = (
        "BEGIN; "
        "INSERT INTO deployment_token (project_id, name, digest, preview, created_at, "
        f"created_by) VALUES ({a}, 'forged', repeat('b', 64), 'mldt_…bbbb', now(), 'alice'); "
        "INSERT INTO audit_event (project_id, action, actor, occurred_at, detail) "
        f"VALUES ({a}, 'generated', 'alice', now(), 'forged'); "
        "SELECT created_by FROM deployment_token WHERE name = 'forged'; "
        "SELECT actor FROM audit_event WHERE detail = 'forged'; "
        "ROLLBACK;"
    )
    done = psql(cluster, "bob", "dt", sql)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["bob", "bob"]
    before = snapshot(cluster, "dt")
    _denied(psql(cluster, "bob", "dt", "UPDATE deployment_token SET created_by = 'alice'"),
            "permission denied")  # fmt: skip
    # The owner may update the column, but the trigger keeps the old value.
    done = psql(cluster, OWNER, "dt", "UPDATE deployment_token SET created_by = 'alice' "
                "RETURNING created_by")  # fmt: skip
    assert "alice" not in answered(done)
    unchanged(cluster, "dt", before)


def test_search_path_hijack(cluster, db_) -> None:
    """A same-named table and function in pg_temp (the one schema a client can create
    in), the search path turned upside down: the helpers do not move."""
    b = db_["ids"]["B"]
    before = snapshot(cluster, "dt")
    # No schema of ours is writable.
    _denied(psql(cluster, "alice", "dt", "CREATE TABLE public.access_grant_x (id int)"),
            "permission denied")  # fmt: skip
    _denied(psql(cluster, "alice", "dt", "CREATE FUNCTION public.dt_rank(text) RETURNS int "
                 "LANGUAGE sql AS 'SELECT 3'"), "permission denied")  # fmt: skip
    sql = (
        "CREATE TEMP TABLE access_grant (id bigint, role_id regrole, project_id integer, "
        "level text, granted_by text, granted_at timestamp); "
        f"INSERT INTO pg_temp.access_grant VALUES (1, 'alice', {b}, 'admin', 'x', now()), "
        "(2, 'alice', NULL, 'admin', 'x', now()); "
        "CREATE TEMP TABLE project (id integer, name text); "
        "CREATE FUNCTION pg_temp.dt_rank(text) RETURNS integer LANGUAGE sql AS 'SELECT 3'; "
        "CREATE FUNCTION pg_temp.pg_has_role(name, oid, text) RETURNS boolean "
        "LANGUAGE sql AS 'SELECT true'; "
        "SET search_path = pg_temp, public; "
        f"SELECT coalesce(public.dt_level({b}), 'none'); "
        "SELECT public.dt_global_rank(); "
        f"SELECT count(*) FROM public.deployment_token WHERE project_id = {b}; "
    )
    done = psql(cluster, "alice", "dt", sql)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["none", "0", "0"]
    done = psql(cluster, "alice", "dt", sql + f"SELECT public.dt_grant('alice', {b}, 'admin');")
    _denied(done, "no project with id")
    unchanged(cluster, "dt", before)


def test_set_role_tricks(cluster, db_) -> None:
    before = snapshot(cluster, "dt")
    for target in ("alice", OWNER, VERIFIERS, "eve"):
        _denied(psql(cluster, "bob", "dt", f"SET ROLE {target}"), "permission denied")
    _denied(psql(cluster, "bob", "dt", "SET SESSION AUTHORIZATION alice"), "permission denied")
    # The group itself may be SET: it changes nothing, since levels follow session_user.
    a, b = db_["ids"]["A"], db_["ids"]["B"]
    done = psql(cluster, "bob", "dt",
                f"SET ROLE {GROUP}; SELECT current_user, session_user, dt_level({a}), "
                f"coalesce(dt_level({b}), '-'), (SELECT count(*) FROM project)")  # fmt: skip
    assert done.stdout.strip() == f"{GROUP}|bob|manager|-|1", done
    done = psql(cluster, "bob", "dt", f"SET ROLE {GROUP}; UPDATE project SET name = 'x' "
                f"WHERE id = {a}")  # fmt: skip
    _denied(done, "needs admin on project")
    done = psql(cluster, "bob", "dt", f"SET ROLE {GROUP}; SELECT dt_grant('bob', {a}, 'admin')")
    _denied(done, "needs admin on project")
    # A superuser acting as bob is still the superuser for the levels and the actor.
    done = psql(cluster, SERVER_USER, "dt",
                f"SET ROLE bob; SELECT current_user, session_user, dt_level({b})")  # fmt: skip
    assert done.stdout.strip() == f"bob|{SERVER_USER}|admin"
    unchanged(cluster, "dt", before)


def test_grant_and_revoke_rules(cluster, db_) -> None:
    a, b = db_["ids"]["A"], db_["ids"]["B"]
    before = snapshot(cluster, "dt")
    _denied(psql(cluster, "carol", "dt", f"SELECT dt_grant('carol', {a}, 'admin')"),
            'needs admin on project "A"')  # fmt: skip
    _denied(psql(cluster, "bob", "dt", f"SELECT dt_grant('bob', {a}, 'admin')"),
            'needs admin on project "A"')  # fmt: skip
    _denied(psql(cluster, "bob", "dt", f"SELECT dt_revoke('carol', {a})"),
            'needs admin on project "A"')  # fmt: skip
    # B reads as unknown to an admin of A.
    _denied(psql(cluster, "alice", "dt", f"SELECT dt_grant('alice', {b}, 'admin')"),
            "no project with id")  # fmt: skip
    _denied(psql(cluster, "alice", "dt", f"SELECT dt_revoke('mike', {b})"), "no project with id")
    _denied(psql(cluster, "alice", "dt", "SELECT dt_grant('dave', NULL, 'viewer')"),
            "needs admin on all projects")  # fmt: skip
    _denied(psql(cluster, "alice", "dt", "SELECT dt_revoke('eve', NULL)"),
            "needs admin on all projects")  # fmt: skip
    for group in (GROUP, VERIFIERS, OWNER):
        _denied(psql(cluster, "alice", "dt", f"SELECT dt_grant('{group}', {a}, 'viewer')"),
                "cannot be given a level")  # fmt: skip
    _denied(psql(cluster, "alice", "dt", f"SELECT dt_grant('dave', {a}, 'root')"),
            "a level is viewer, manager or admin")  # fmt: skip
    _denied(psql(cluster, "alice", "dt", f"SELECT dt_grant('nobody', {a}, 'viewer')"),
            'role "nobody" does not exist')  # fmt: skip
    _denied(psql(cluster, "alice", "dt", "SELECT * FROM access_grant"), "permission denied")
    _denied(psql(cluster, "alice", "dt", f"GRANT {GROUP} TO dave"), "must have admin option")
    _denied(psql(cluster, "dave", "dt", f"SELECT dt_grant('dave', {a}, 'admin')"),
            "permission denied")  # fmt: skip
    unchanged(cluster, "dt", before)
    # Granted, dave is in and sees A; revoked, he stays in the group (a membership is
    # the cluster's: another database may hold his levels) but sees and may do nothing.
    sql = (f"BEGIN; SELECT dt_grant('dave', {a}, 'viewer'); "
           f"SELECT pg_has_role('dave', '{GROUP}', 'MEMBER'); "
           f"SELECT dt_revoke('dave', {a}); SELECT pg_has_role('dave', '{GROUP}', 'MEMBER'); "
           "COMMIT;")  # fmt: skip
    done = psql(cluster, "alice", "dt", sql)
    assert done.stdout.split() == ["t", "t", "t"], done
    try:
        done = psql(cluster, "dave", "dt", "SELECT (SELECT count(*) FROM project), "
                    "(SELECT count(*) FROM deployment_token), "
                    "coalesce(dt_level(1), '-')")  # fmt: skip
        assert done.stdout.strip() == "0|0|-", done
        _denied(psql(cluster, "dave", "dt", "INSERT INTO environment (project_id, name, name_key, "
                     f"created_at) VALUES ({a}, 'x', 'x', now())"),
                "row-level security")  # fmt: skip
    finally:
        assert psql(cluster, SERVER_USER, "dt", f"REVOKE {GROUP} FROM dave").returncode == 0
    before = snapshot(cluster, "dt")  # with the grant and the revoke audited
    # A level given again replaces the one before (one row per role and project).
    sql = (f"BEGIN; SELECT dt_grant('carol', {a}, 'manager'); "
           f"SELECT dt_level({a}) FROM (SELECT 1) one; "
           "SELECT count(*) FROM dt_access_list() WHERE role = 'carol'; ROLLBACK;")  # fmt: skip
    done = psql(cluster, "alice", "dt", sql)
    assert done.stdout.split() == ["admin", "1"], done
    unchanged(cluster, "dt", before)


def test_verifier_roles_verify_and_nothing_else(cluster, db_) -> None:
    """Every statement of VERIFIER_STATEMENTS, through the app's TokenVerifier, as a
    verifier granted before version 8 and one granted after."""
    salt = SALT.encode()
    for role in VERIFIER_ROLES:
        done = psql(
            cluster, SERVER_USER, "dt", f"SELECT pg_has_role('{role}', '{VERIFIERS}', 'MEMBER')"
        )
        assert done.stdout.strip() == "t", (role, done)
        with connect(cluster, role, "dt", autocommit=True) as connection:
            verifier = TokenVerifier(POSTGRESQL)
            for project in ("A", "B"):
                plain = db_["plaintexts"][project]
                assert verifier.check(connection, salt, plain[0], project).project == project
                limited = verifier.check(connection, salt, plain[3], project, "prod")
                assert limited.project == project
                assert limited.environment == "prod"
                wrong = verifier.check(connection, salt, plain[3], project, "staging")
                assert wrong.code == "wrong_environment"
            [used] = connection.execute(
                "SELECT count(*) FROM deployment_token WHERE last_used_at IS NOT NULL"
            ).fetchone()
            assert used >= 4  # record_token_use wrote, through the owner's policy
    assert set(VERIFIER_STATEMENTS) == {
        "salt_fingerprint", "lookup", "environment", "token_environments", "record_use_on_server"
    }  # fmt: skip
    before = snapshot(cluster, "dt")
    for role in VERIFIER_ROLES:
        for sql in (
            "UPDATE deployment_token SET last_used_at = now()",
            "UPDATE control_state SET revision = revision + 1",
            "DELETE FROM deployment_token",
            "INSERT INTO project (name, name_key, created_at, allow_no_expiry, "
            "default_names_given) VALUES ('x', 'x', now(), true, 0)",
            f"SELECT dt_grant('{role}', 1, 'admin')",
            "SELECT * FROM deployment_token FOR UPDATE",
            "SELECT * FROM deployment_token FOR KEY SHARE",
        ):
            _denied(psql(cluster, role, "dt", sql), "permission denied")
        # What verify does not read, it reads no row of.
        for table in ("audit_event", "revoked_token", "revocation_key"):
            done = psql(cluster, role, "dt", f"SELECT count(*) FROM {table}")
            assert answered(done) == "0", (role, table)
        # Its level: none, as for anyone not granted one.
        done = psql(
            cluster,
            role,
            "dt",
            "SELECT coalesce(dt_level(1), '-'), coalesce(dt_global_level(), '-')",
        )
        assert done.stdout.strip() == "-|-", done
    unchanged(cluster, "dt", before)


def test_a_person_records_uses_of_visible_tokens_only(cluster, db_) -> None:
    """record_token_use runs as the owner, past RLS: a person's call is limited to the
    projects they see (the verifier role's is not)."""
    salt = SALT.encode()
    before = snapshot(cluster, "dt")
    b_token = _token(db_, "B")
    for role in ("bob", "carol"):
        done = psql(cluster, role, "dt", f"SELECT record_token_use({b_token})")
        assert done.stdout.strip() == "f", done  # not "revoked": just not theirs
    _denied(psql(cluster, "dave", "dt", f"SELECT record_token_use({b_token})"), "permission denied")
    unchanged(cluster, "dt", before)
    with connect(cluster, "carol", "dt", autocommit=True) as connection:
        verdict = TokenVerifier(POSTGRESQL).check(connection, salt, db_["plaintexts"]["A"][1], "A")
        assert verdict.project == "A"
        [used] = connection.execute(
            "SELECT last_used_at IS NOT NULL FROM deployment_token WHERE id = %s",
            (verdict.token_id,)).fetchone()  # fmt: skip
        assert used
        verdict = TokenVerifier(POSTGRESQL).check(connection, salt, db_["plaintexts"]["B"][1], "B")
        assert verdict.code == "unknown"  # B reads as unknown


def test_viewers_cannot_lock_rows_and_see_only_their_own_grants(cluster, db_) -> None:
    """SELECT ... FOR UPDATE takes the UPDATE policy: a viewer locks nothing (a lock
    would hold up a revoke). dt_my_grants, the view the policies read, shows a role its
    own grants only; access_grant itself is granted to nobody."""
    for table in ("deployment_token", "project", "environment"):
        for strength in ("UPDATE", "SHARE"):
            done = psql(cluster, "carol", "dt", f"SELECT count(*) FROM (SELECT 1 FROM {table} "
                        f"FOR {strength}) locked")  # fmt: skip
            if done.returncode == 0:
                assert done.stdout.strip() == "0", (table, strength, done)
            else:
                _denied(done, "permission denied")
    a = db_["ids"]["A"]
    for role, expected in (("carol", f"{a}|viewer"), ("alice", f"{a}|admin"), ("eve", "|admin")):
        done = psql(cluster, role, "dt", "SELECT project_id, level FROM dt_my_grants")
        assert done.stdout.strip() == expected, (role, done)
    _denied(psql(cluster, "bob", "dt", "TRUNCATE deployment_token"), "permission denied")
    _denied(psql(cluster, "bob", "dt", "TRUNCATE project CASCADE"), "permission denied")


def test_who_are_the_admins(cluster, db_) -> None:
    a, b = db_["ids"]["A"], db_["ids"]["B"]
    done = psql(cluster, "carol", "dt", f"SELECT role || ':' || scope FROM dt_project_admins({a})")
    assert done.stdout.strip().splitlines() == [
        "eve:all projects",
        f"{OWNER}:owner",
        "alice:project",
    ]
    done = psql(cluster, "carol", "dt", f"SELECT count(*) FROM dt_project_admins({b})")
    assert done.stdout.strip() == "0"  # B reads as unknown
    with open_service(url(cluster, "carol", "dt")) as service:
        assert sorted(service.project_admins("A")) == sorted(["eve", OWNER, "alice"])
        with pytest.raises(NotFoundError):
            service.project_admins("B")


# dt_whoami's rows, or the session's name alone when it holds no level.
WHOAMI_OR_NOTHING = (
    "SELECT role, coalesce(project, ''), level FROM dt_whoami() UNION ALL "
    "SELECT session_user, '', '' WHERE NOT EXISTS (SELECT FROM dt_whoami())"
)


def test_whoami_and_levels(cluster, db_) -> None:
    a = db_["ids"]["A"]
    expected = {
        "alice": ["alice|A|admin"], "bob": ["bob|A|manager"], "carol": ["carol|A|viewer"],
        "dave": ["dave||"], "eve": ["eve||admin"], "mike": ["mike|B|manager"],
        OWNER: [f"{OWNER}||admin"], "frank": ["frank||"],
    }  # fmt: skip
    for role, rows in expected.items():
        done = psql(cluster, role, "dt", WHOAMI_OR_NOTHING)
        assert done.stdout.split() == rows, (role, done)
    done = psql(cluster, "bob", "dt", f"SELECT dt_level({a}), dt_global_level() IS NULL")
    assert done.stdout.strip() == "manager|t"
    # Through the app: the role, and its levels (all projects first, then by name).
    for role, levels in (("bob", [("A", "manager")]), ("eve", [(None, "admin")]),
                         (OWNER, [(None, "admin")]), ("mike", [("B", "manager")])):  # fmt: skip
        with open_service(url(cluster, role, "dt"), actor="someone-else") as service:
            identity = service.whoami()
        assert identity.role == role
        assert [(g.project, g.level) for g in identity.levels] == levels
        assert {g.role for g in identity.levels} == {role}


def test_login_roles_are_listed_for_completion(cluster, db_) -> None:
    """pg_roles is readable by every role (passwords masked): name completion works for
    anyone, and every login name in the cluster is visible to anyone who can connect."""
    for role in ("carol", "dave"):
        done = psql(cluster, role, "dt", "SELECT string_agg(rolname, ' ' ORDER BY rolname) "
                    "FROM pg_roles WHERE rolcanlogin")  # fmt: skip
        assert {"alice", "bob", "eve", OWNER} <= set(done.stdout.split())
    with open_service(url(cluster, "carol", "dt")) as service:
        listed = service.login_roles()
    assert {"alice", "bob", "carol", "eve", OWNER, "frank"} <= set(listed)
    assert GROUP not in listed
    assert VERIFIERS not in listed
    assert listed == sorted(listed)


def test_no_leak_through_statistics_or_sequences(cluster, db_) -> None:
    assert psql(cluster, OWNER, "dt", "ANALYZE").returncode == 0
    done = psql(cluster, "bob", "dt", "SELECT count(*) FROM pg_stats WHERE tablename IN "
                "('project', 'deployment_token', 'audit_event', 'access_grant')")  # fmt: skip
    assert done.stdout.strip() == "0"  # pg_stats hides tables with RLS on
    for sequence in ("deployment_token_id_seq", "project_id_seq", "audit_event_id_seq"):
        _denied(
            psql(cluster, "bob", "dt", f"SELECT last_value FROM {sequence}"), "permission denied"
        )
        _denied(psql(cluster, "bob", "dt", f"SELECT currval('{sequence}')"),
                "permission denied", "not yet defined")  # fmt: skip
        _denied(psql(cluster, "bob", "dt", f"SELECT setval('{sequence}', 1)"), "permission denied")


def test_db_setup_is_idempotent_and_the_script_too(cluster, db_) -> None:
    before = snapshot(cluster, "dt")
    for _ in range(2):  # db setup again, twice: nothing changes
        done = db_setup(cluster, OWNER, "dt")
        assert done.returncode == 0, done.stderr
        assert f"at schema version {migrations.LATEST_VERSION}" in done.stdout
    unchanged(cluster, "dt", before)
    # The frozen scripts themselves, run again by hand as the owner, in order (psql -f,
    # as a DBA would): data, grants, memberships, policies and privileges as they were,
    # the audit chain too.
    for frozen in (SCRIPT, resources.files("app.store").joinpath("audit_chain_v9.sql")):
        with resources.as_file(frozen) as script:
            done = subprocess.run(
                [PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                 "-p", str(cluster.port), "-U", OWNER, "-d", "dt", "-f", str(script)],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
        assert done.returncode == 0, done.stderr
    unchanged(cluster, "dt", before)


def test_only_the_owner_sets_up_and_is_told_what_a_superuser_grants(cluster, salted) -> None:
    """An owner without ADMIN OPTION on the group roles is told the statement to ask a
    superuser for, and nothing stays; with it, db setup works. Other roles are refused."""
    import psycopg

    with psycopg.connect(cluster.admin_url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE dt2 OWNER dt_owner2")
    done = db_setup(cluster, "dt_owner2", "dt2")
    assert done.returncode == 2, done
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert (
        "dt_owner2 may not create or hand out the roles access control needs; a superuser "
        f"runs once: GRANT {GROUP}, {VERIFIERS} TO dt_owner2 WITH ADMIN OPTION;"
    ) in done.stderr
    left = psql(cluster, "dt_owner2", "dt2", "SELECT to_regclass('schema_version') IS NULL "
                "AND to_regclass('access_grant') IS NULL")  # fmt: skip
    assert left.stdout.strip() == "t"  # one transaction: nothing of versions 1 to 8
    assert psql(cluster, SERVER_USER, "dt2", f"GRANT {GROUP}, {VERIFIERS} TO dt_owner2 "
                "WITH ADMIN OPTION").returncode == 0  # fmt: skip
    done = db_setup(cluster, "dt_owner2", "dt2")
    assert done.returncode == 0, done.stderr
    # Someone else, even an admin of every project, does not set it up.
    with connect(cluster, "dt_owner2", "dt2", autocommit=True) as owner:
        owner.execute("SELECT dt_grant('eve', NULL, 'admin')")
    done = db_setup(cluster, "eve", "dt2")
    assert done.returncode == 2
    assert "only the owner of" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_superusers_upgrade_leaves_everything_the_owners(cluster, salted) -> None:
    import psycopg

    with psycopg.connect(cluster.admin_url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE dt3 OWNER dt_owner2")
    with connect(cluster, "dt_owner2", "dt3", autocommit=True) as owner:
        owner.execute("GRANT CREATE ON SCHEMA public TO dt_owner2")
    at_version_7(cluster, "dt_owner2", "dt3")
    done = db_setup(cluster, SERVER_USER, "dt3")
    assert done.returncode == 0, done.stderr
    owners = psql(cluster, SERVER_USER, "dt3", "SELECT DISTINCT pg_get_userbyid(proowner) "
                  "FROM pg_proc WHERE pronamespace = 'public'::regnamespace")  # fmt: skip
    assert owners.stdout.split() == ["dt_owner2"]
    tables = psql(cluster, SERVER_USER, "dt3", "SELECT DISTINCT pg_get_userbyid(relowner) "
                  "FROM pg_class WHERE relnamespace = 'public'::regnamespace")  # fmt: skip
    assert tables.stdout.split() == ["dt_owner2"]
    with open_service(url(cluster, "dt_owner2", "dt3")) as service:
        service.add_project("web")
        assert service.whoami().levels[0].level == "admin"


def test_other_roles_are_told_to_have_db_setup_run(cluster, salted) -> None:
    """Against an older schema, no role but the owner migrates: exit 2, one line."""
    import psycopg

    with psycopg.connect(cluster.admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE dt4 OWNER {OWNER}")
    at_version_7(cluster, OWNER, "dt4")
    grant_verifier_as_at_version_7(cluster, "dt4", "frank")
    before = snapshot(cluster, "dt4")

    def projects_list(role: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", "--database", url(cluster, role, "dt4"),
             "projects", "list"],
            capture_output=True, text=True, check=False, cwd=ROOT, timeout=120,
        )  # fmt: skip

    # frank (a verifier of version 7) may read the schema's version: told what to do.
    done = projects_list("frank")
    assert done.returncode == 2, done
    assert (
        "only its owner may upgrade it: ask them to run 'deployment-tokens db setup'" in done.stderr
    )
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    # alice (no privilege at all before version 8) may not even read the version: told
    # the same, without the version she cannot read.
    done = projects_list("alice")
    assert done.returncode == 2, done
    assert "is at an older schema" in done.stderr
    assert "ask them to run 'deployment-tokens db setup'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    unchanged(cluster, "dt4", before)


# --- the app itself, as each role (a database of its own: these commit) ----------------


@pytest.fixture(scope="module")
def app_db(cluster: ThrowawayCluster, salted: None) -> dict[str, Any]:
    return make_database(cluster, "dt_app")


def test_app_as_a_manager(cluster, app_db) -> None:
    with open_service(url(cluster, "bob", "dt_app"), actor="pretend-admin") as service:
        record, plaintext = service.generate("A", "from the app")
        stored = {t.id: t for t in service.list_tokens("A")}[record.id]
        assert stored.created_by == "bob"  # not the actor the app was given
        assert service.verify(plaintext, "A") == "A"
        service.rename_token("A", record.id, "renamed by bob")
        service.revoke("A", record.id)
        assert {e.actor for e in service.audit_log("A") if e.token_id == record.id} == {"bob"}
        with pytest.raises(NotFoundError):  # B reads as unknown
            service.list_tokens("B")
        with pytest.raises(NotFoundError):
            service.generate("B")
        assert [p.name for p in service.list_projects()] == ["A"]


def test_app_as_a_viewer_writes_nothing(cluster, app_db) -> None:
    before = snapshot(cluster, "dt_app")
    with open_service(url(cluster, "carol", "dt_app")) as service:
        listed = service.list_tokens("A")
        assert len(listed) == 4
        policy = service.token_policy("A")
        for change in (
            lambda: service.generate("A"),
            lambda: service.revoke("A", listed[0].id),
            lambda: service.rename_token("A", listed[0].id, "x"),
            lambda: service.set_token_policy("A", policy.__class__.from_hours(24, 48, False)),
        ):
            with pytest.raises(
                AccessDeniedError, match=r"this needs (manager|admin) on project 'A'"
            ):
                change()
    unchanged(cluster, "dt_app", before)


def test_app_as_an_admin_deletes_a_project_and_its_audit_trail_stays(cluster, app_db) -> None:
    """Its tokens and grants go; its events stay in the chain (schema version 9), closed
    by a "project deleted" event, readable only by those who read every project."""
    a = app_db["ids"]["A"]
    with open_service(url(cluster, "alice", "dt_app")) as service:
        for token in service.list_tokens("A"):
            service.revoke("A", token.id)
        service.delete_project("A")
        assert service.list_projects() == []
    done = psql(cluster, SERVER_USER, "dt_app",
                f"SELECT (SELECT count(*) FROM deployment_token WHERE project_id = {a}) + "
                f"(SELECT count(*) FROM access_grant WHERE project_id = {a})")  # fmt: skip
    assert done.stdout.strip() == "0"
    with open_service(url(cluster, "eve", "dt_app")) as everywhere:
        events = [e for e in everywhere.export_audit() if e.project == "A"]
        assert events[-1].action == "project deleted"
        assert events[-1].actor == "alice"
        assert everywhere.verify_audit().intact
    # bob managed A: its events are no longer his to read.
    done = psql(
        cluster, "bob", "dt_app", f"SELECT count(*) FROM audit_event WHERE project_id = {a}"
    )
    assert done.stdout.strip() == "0"


def test_app_as_the_owner_keeps_working(cluster, app_db) -> None:
    """Databases where everyone used the owner: the owner is admin of everything."""
    with open_service(url(cluster, OWNER, "dt_app"), actor="someone") as service:
        service.add_project("C")
        record, plaintext = service.generate("B", "by the owner")
        assert service.verify(plaintext, "B") == "B"
        assert {t.id: t for t in service.list_tokens("B")}[record.id].created_by == OWNER
        service.revoke("B", record.id)
        assert {p.name for p in service.list_projects()} >= {"B", "C"}


# --- found by a review: what the first version let through -----------------------------


def test_the_change_counter_moves_one_step_at_a_time(cluster, db_) -> None:
    """A manager who could set the counter anywhere could set it to the largest bigint,
    and every later write (each moves it) would fail, the owner's too."""
    before = snapshot(cluster, "dt")
    for role in ("bob", "eve", OWNER):
        _denied(
            psql(cluster, role, "dt", "UPDATE control_state SET revision = 9223372036854775807"),
            "only moves up by one",
        )
        _denied(
            psql(cluster, role, "dt", "UPDATE control_state SET revision = revision - 1"),
            "only moves up by one",
        )
    unchanged(cluster, "dt", before)


def test_no_function_says_which_hidden_project_a_token_is_in(cluster, db_) -> None:
    """dt_token_environment_project runs as the owner: it answers only for a project the
    session may change."""
    b = db_["ids"]["B"]
    token, environment = _token(db_, "B"), _environment(db_, "B")
    for role in ("carol", "bob", "alice"):  # none of them may change B
        done = psql(
            cluster, role, "dt", f"SELECT dt_token_environment_project({token}, {environment})"
        )
        assert answered(done) == "", role
    done = psql(
        cluster, "mike", "dt", f"SELECT dt_token_environment_project({token}, {environment})"
    )
    assert answered(done) == str(b)  # mike manages B


def test_a_verify_only_role_is_given_no_level(cluster, db_) -> None:
    """The verification service's credential reads every row to verify: a level would
    give it a person's writes as well."""
    a = db_["ids"]["A"]
    before = snapshot(cluster, "dt")
    for verifier in VERIFIER_ROLES:
        _denied(
            psql(cluster, OWNER, "dt", f"SELECT dt_grant('{verifier}', {a}, 'admin')"),
            "is a verify-only role",
        )
    unchanged(cluster, "dt", before)


def test_no_client_deletes_or_locks_a_table_itself(cluster, db_) -> None:
    """Deletes go through the server's functions, which check the level: a table-level
    DELETE privilege would let any member, a viewer too, LOCK the table and stop every
    write in every project (LOCK asks for table-level UPDATE, DELETE or TRUNCATE)."""
    before = snapshot(cluster, "dt")
    tables = (
        "deployment_token",
        "project",
        "environment",
        "token_environment",
        "revoked_token",
        "introspection_client",
        "revocation_key",
        "control_state",
    )
    for role in ("carol", "bob", "alice", "eve", "dave", "frank"):
        for table in tables:
            _denied(
                psql(cluster, role, "dt", f"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"),
                "permission denied",
            )
            _denied(psql(cluster, role, "dt", f"DELETE FROM {table}"), "permission denied")
    unchanged(cluster, "dt", before)


# --- the audit chain (schema version 9, audit_chain_v9.sql) ----------------------------


def test_the_chain_s_columns_are_the_database_s(cluster, db_) -> None:
    """A client may not name seq, hash or project_name; whatever it sends for the actor,
    the trigger links the event to the head and stamps the session's user."""
    a = db_["ids"]["A"]
    before = snapshot(cluster, "dt")
    for columns, values in (("seq", "1"), ("hash", "repeat('0', 64)"), ("project_name", "'B'")):
        done = psql(cluster, "bob", "dt",
                    f"INSERT INTO audit_event (project_id, action, actor, occurred_at, detail, "
                    f"{columns}) VALUES ({a}, 'revoked', 'x', now(), '', {values})")  # fmt: skip
        _denied(done, "permission denied")
    sql = (
        "BEGIN; "
        "INSERT INTO audit_event (project_id, action, actor, occurred_at, detail) "
        f"VALUES ({a}, 'revoked', 'alice', now(), 'by hand'); "
        "SELECT actor, project_name, seq = (SELECT max(seq) FROM audit_event), "
        "length(hash) FROM audit_event WHERE detail = 'by hand'; "
        "ROLLBACK;"
    )
    done = psql(cluster, "bob", "dt", sql)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "bob|A|t|64"
    for change in ("UPDATE audit_event SET seq = seq + 1", "UPDATE audit_event SET hash = ''"):
        _denied(psql(cluster, "eve", "dt", change), "permission denied")
        _denied(psql(cluster, SERVER_USER, "dt", change), "append-only")
    unchanged(cluster, "dt", before)


def test_checking_the_chain_needs_viewer_on_every_project(cluster, db_) -> None:
    with open_service(url(cluster, "eve", "dt")) as everywhere:
        verdict = everywhere.verify_audit()
        assert verdict.intact, verdict.reason
        assert verdict.head == everywhere.audit_head()
        assert len(list(everywhere.export_audit())) == verdict.events
    for role in ("alice", "carol"):  # admin, viewer of A alone: a part reads as holes
        with open_service(url(cluster, role, "dt")) as one_project:
            for read in (one_project.verify_audit, one_project.audit_head,
                         lambda s=one_project: list(s.export_audit())):  # fmt: skip
                with pytest.raises(AccessDeniedError, match="viewer on every project"):
                    read()


def test_access_changes_are_audited_by_the_database_whoever_makes_them(cluster, salted) -> None:
    data = make_database(cluster, "dt_access_audit")
    a = data["ids"]["A"]
    # By hand, in psql: audited all the same.
    done = psql(cluster, "alice", "dt_access_audit",
                f"SELECT dt_grant('dave', {a}, 'viewer'); "
                f"SELECT dt_grant('dave', {a}, 'manager'); "
                f"SELECT dt_revoke('dave', {a}); "
                f"SELECT dt_grant('dave', {a}, 'manager')")  # fmt: skip
    assert done.returncode == 0, done.stderr
    with open_service(url(cluster, "eve", "dt_access_audit")) as everywhere:
        everywhere.revoke_access("mike", "B")
        everywhere.delete_project("A")  # its grants go with it, unaudited one by one
        events = list(everywhere.export_audit())
        assert everywhere.verify_audit().intact
    access = [(e.actor, e.action, e.project, e.detail) for e in events if "access" in e.action]
    assert access == [
        # make_database's own grants, by the owner and by alice
        (OWNER, "access granted", "A", "alice as admin"),
        (OWNER, "access granted", None, "eve as admin on all projects"),
        (OWNER, "access granted", "B", "mike as manager"),
        ("alice", "access granted", "A", "bob as manager"),
        ("alice", "access granted", "A", "carol as viewer"),
        ("alice", "access granted", "A", "dave as viewer"),
        ("alice", "access granted", "A", "dave as manager (was viewer)"),
        ("alice", "access revoked", "A", "dave, who was manager"),
        ("alice", "access granted", "A", "dave as manager"),
        ("eve", "access revoked", "B", "mike, who was manager"),
    ]
    assert events[-1].action == "project deleted"


def test_no_token_changes_without_its_audit_event(cluster, db_) -> None:
    """In psql as in the app: a token made, renamed, re-dated or deleted is audited in its
    transaction, or the commit is refused; the owner included."""
    a = db_["ids"]["A"]
    token = db_["known"][a]["token"]
    before = snapshot(cluster, "dt")
    for role in ("bob", OWNER):
        for change in (f"UPDATE deployment_token SET name = 'quietly' WHERE id = {token}",
                       "UPDATE deployment_token SET expires_at = now() + interval '9 years' "
                       f"WHERE id = {token}"):  # fmt: skip
            _denied(psql(cluster, role, "dt", change), "without its audit event")
    # The wrong event will not do either: a rename needs "renamed".
    wrong = (
        f"BEGIN; UPDATE deployment_token SET name = 'quietly' WHERE id = {token}; "
        "INSERT INTO audit_event (project_id, action, token_id, actor, occurred_at, detail) "
        f"VALUES ({a}, 'expiry changed', {token}, 'x', now(), ''); COMMIT;"
    )
    _denied(psql(cluster, "bob", "dt", wrong), "without its audit event (renamed)")
    unchanged(cluster, "dt", before)
    audited = (
        f"BEGIN; UPDATE deployment_token SET name = 'in the open' WHERE id = {token}; "
        "INSERT INTO audit_event (project_id, action, token_id, actor, occurred_at, detail) "
        f"VALUES ({a}, 'renamed', {token}, 'x', now(), 'by hand'); COMMIT; "
        f"SELECT actor FROM audit_event WHERE token_id = {token} AND detail = 'by hand'"
    )
    done = psql(cluster, "bob", "dt", audited)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["bob"]
