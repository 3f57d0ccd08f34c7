"""``access grant|revoke|list`` and ``whoami``, and what each level may do through the
command line and through the Python API (PostgreSQL's access control; SQLite's one user).

On PostgreSQL, a throwaway cluster of this module's own (login roles are cluster-wide):
a template database set up by its owner (``db setup``) with projects web and api, and

    carol  viewer of web       bob   manager of web      alice  admin of web
    eve    admin of all        mike  manager of api      dave   no level anywhere
    zed    no level (whom the admins grant a level)

A matrix cell that must succeed runs on a fresh copy of the template; one that must be
refused runs on a shared copy, compared row by row (as a superuser sees it) before and
after: nothing written.
"""

from __future__ import annotations

import io
import itertools
import json
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from app import config, open_service
from app.cli import main
from app.errors import AccessDeniedError, NotFoundError
from app.lifecycle import Expiry, TokenPolicy
from devtools.postgresql_cluster import SERVER_USER, ThrowawayCluster
from tests.support.command_line import one_line

OWNER = "dt_owner"
LEVELS = {"carol": "viewer", "bob": "manager", "alice": "admin", "eve": "all-projects admin"}
# No level on web: mike holds one on api only (web is unknown to him); dave holds none.
NO_LEVEL = ("mike", "dave")
ROLES = (*LEVELS, *NO_LEVEL)
RANK = {"viewer": 1, "manager": 2, "admin": 3, "all-projects admin": 4}
# The suite's salt (tests/conftest.py), which every test's environment holds.
SALT = "test-salt-0123456789-abcdefghijklmnopqrstuvwxyz"
TEMPLATE = "cli_template"
# web's tokens in the template, by id: the one each action works on, and another.
TOKEN, OTHER_TOKEN = 1, 2
_copies = itertools.count(1)


# --- the cluster, the template and its copies ------------------------------------------


def url(cluster: ThrowawayCluster, role: str, database: str) -> str:
    return f"postgresql://{role}@127.0.0.1:{cluster.port}/{database}"


def _admin(cluster: ThrowawayCluster) -> Any:
    import psycopg

    return psycopg.connect(cluster.admin_url, autocommit=True)


def _in_process(argv: list[str]) -> tuple[int, str, str]:
    """The command line in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), out, err
    try:
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def cluster(backend: str) -> Iterator[ThrowawayCluster]:
    with ThrowawayCluster() as running, _admin(running) as admin:
        for role in (OWNER, *ROLES, "zed"):
            admin.execute(f'CREATE ROLE "{role}" LOGIN')
        for group in ("deployment_tokens_user", "deployment_tokens_verifier"):
            admin.execute(f"CREATE ROLE {group} NOLOGIN")
            admin.execute(f"GRANT {group} TO {OWNER} WITH ADMIN OPTION")
        admin.execute(f"CREATE DATABASE {TEMPLATE} OWNER {OWNER}")
        owner_url = url(running, OWNER, TEMPLATE)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(config.SALT_ENV, SALT)
            code, _out, err = _in_process(["--database", owner_url, "db", "setup"])
            assert code == 0, err
            with open_service(owner_url) as service:
                for project in ("web", "api"):
                    service.add_project(project)
                    service.add_environment(project, "prod")
                service.add_environment("web", "qa")
                made = [service.generate("web", name)[0].id for name in ("ci", "deploy")]
                service.generate("api", "api ci")
                assert made == [TOKEN, OTHER_TOKEN]
                service.grant_access("alice", "web", "admin")
                service.grant_access("eve", None, "admin")
                service.grant_access("mike", "api", "manager")
            with open_service(url(running, "alice", TEMPLATE)) as alice:  # an admin delegates
                alice.grant_access("bob", "web", "manager")
                alice.grant_access("carol", "web", "viewer")
        yield running


def copy_of_template(cluster: ThrowawayCluster) -> str:
    name = f"cli_copy_{next(_copies)}"
    with _admin(cluster) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} OWNER {OWNER}")
    return name


def drop(cluster: ThrowawayCluster, name: str) -> None:
    with _admin(cluster) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def shared(cluster: ThrowawayCluster) -> Iterator[str]:
    """A copy where only refusals run: it must never change."""
    name = copy_of_template(cluster)
    yield name
    drop(cluster, name)


@pytest.fixture
def fresh(cluster: ThrowawayCluster) -> Iterator[str]:
    """A copy of this test's own, for changes that go through."""
    name = copy_of_template(cluster)
    yield name
    drop(cluster, name)


def dump(cluster: ThrowawayCluster, database: str) -> dict[str, Any]:
    """Every table's rows and the group roles' members, as a superuser sees them."""
    import psycopg

    with psycopg.connect(url(cluster, SERVER_USER, database), autocommit=True) as admin:
        tables = [row[0] for row in admin.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]  # fmt: skip
        state = {
            t: sorted(admin.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
        state["members"] = admin.execute(
            "SELECT roleid::regrole::text, member::regrole::text FROM pg_auth_members "
            "ORDER BY 1, 2").fetchall()  # fmt: skip
    return state


@pytest.fixture
def as_role(cluster: ThrowawayCluster) -> Callable[..., tuple[int, str, str]]:
    """Run the command line as a login role on a database of the cluster."""

    def run(role: str, database: str, *argv: str) -> tuple[int, str, str]:
        return _in_process(["--database", url(cluster, role, database), *argv])

    return run


# --- the matrix: level x action --------------------------------------------------------

# action: (the level it needs, the command line (words), the API call)
ACTIONS: dict[str, tuple[str, str | None, Callable[[Any], object]]] = {
    "tokens list": ("viewer", "tokens list --project web --json", lambda s: s.list_tokens("web")),
    "audit": ("viewer", "audit --project web --json", lambda s: s.audit_log("web")),
    "environments list": (
        "viewer", "environments list --project web", lambda s: s.list_environments("web")
    ),
    "access list": ("viewer", "access list --project web --json", lambda s: s.list_access("web")),
    "generate": ("manager", "tokens generate --project web", lambda s: s.generate("web")),
    "rotate": ("manager", f"tokens rotate --project web {TOKEN}", lambda s: s.rotate("web", TOKEN)),
    "revoke": ("manager", f"tokens revoke --project web {TOKEN}", lambda s: s.revoke("web", TOKEN)),
    "tokens update expiry": (
        "manager", f"tokens update --project web {TOKEN} --expires-in 7d",
        lambda s: s.set_token_expiry("web", TOKEN, Expiry.after(timedelta(days=7))),
    ),
    "tokens update environments": (
        "manager", f"tokens update --project web {TOKEN} --environment prod",
        lambda s: s.set_token_environments("web", TOKEN, ["prod"]),
    ),
    # The command line renames no token; the API (and the desktop app) does.
    "rename token": ("manager", None, lambda s: s.rename_token("web", TOKEN, "renamed")),
    "environments add": (
        "admin", "environments add --project web staging",
        lambda s: s.add_environment("web", "staging"),
    ),
    "environments remove": (
        "admin", "environments remove --project web qa",
        lambda s: s.remove_environment("web", "qa"),
    ),
    "projects policy": (
        "admin", "projects policy --project web --default-lifetime 30d",
        lambda s: s.set_token_policy("web", TokenPolicy.from_hours(720, None, True)),
    ),
    "projects rename": (
        "admin", "projects rename web storefront", lambda s: s.rename_project("web", "storefront")
    ),
    "projects delete": ("admin", "projects delete web --yes", lambda s: s.delete_project("web")),
    "access grant": (
        "admin", "access grant zed --project web --as viewer",
        lambda s: s.grant_access("zed", "web", "viewer"),
    ),
    "access revoke": (
        "admin", "access revoke carol --project web", lambda s: s.revoke_access("carol", "web")
    ),
    "projects add": ("all-projects admin", "projects add shop", lambda s: s.add_project("shop")),
    "access grant all projects": (
        "all-projects admin", "access grant zed --all-projects --as viewer",
        lambda s: s.grant_access("zed", None, "viewer"),
    ),
    "access revoke all projects": (
        "all-projects admin", "access revoke eve --all-projects",
        lambda s: s.revoke_access("eve", None),
    ),
}  # fmt: skip
CLI_ACTIONS = [action for action, (_, argv, _) in ACTIONS.items() if argv is not None]
# What names a project (and so reads as unknown to a role that may not see it).
ON_EVERY_PROJECT = {"projects add", "access grant all projects", "access revoke all projects"}


def allowed(role: str, needed: str) -> bool:
    return RANK.get(LEVELS.get(role, ""), 0) >= RANK[needed]


def _unknown_project_message(as_role, shared: str, argv: list[str]) -> str:
    """What the owner is told for the same command on a project that does not exist."""
    code, _, err = as_role(OWNER, shared, *["nosuch" if a == "web" else a for a in argv])
    assert code == 1, err
    return err.replace("nosuch", "web")


@pytest.mark.only_backend("postgresql")
@pytest.mark.parametrize("action", CLI_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_the_command_line_matrix(cluster, shared, as_role, request, role, action) -> None:
    needed, words, _ = ACTIONS[action]
    assert words is not None
    argv = words.split()
    if allowed(role, needed):
        database = request.getfixturevalue("fresh")
        code, out, err = as_role(role, database, *argv)
        assert code == 0, f"{role} should be able to {action}: {err}"
        return
    before = dump(cluster, shared)
    code, out, err = as_role(role, shared, *argv)
    assert dump(cluster, shared) == before, f"{role}'s refused {action} wrote something"
    assert code == 1, (code, err)
    assert out == ""
    assert one_line(err), err
    if role in NO_LEVEL and action not in ON_EVERY_PROJECT:
        # web reads as unknown: word for word what a project that does not exist reads as.
        assert err == _unknown_project_message(as_role, shared, argv)
    elif action in ON_EVERY_PROJECT:
        assert "needs admin on every project" in err, err
    else:
        assert f"needs {needed} on project 'web'" in err, err
        assert f"you are {LEVELS[role]} there" in err, err


@pytest.mark.only_backend("postgresql")
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_the_api_matrix(cluster, shared, request, role, action) -> None:
    needed, _, call = ACTIONS[action]
    if allowed(role, needed):
        database = request.getfixturevalue("fresh")
        with open_service(url(cluster, role, database)) as service:
            call(service)
        return
    before = dump(cluster, shared)
    with open_service(url(cluster, role, shared)) as service:
        if role in NO_LEVEL and action not in ON_EVERY_PROJECT:
            with pytest.raises(NotFoundError, match="there is no project named 'web'"):
                call(service)
        else:
            where = "every project" if action in ON_EVERY_PROJECT else "project 'web'"
            with pytest.raises(AccessDeniedError, match=f"needs {needed.split()[-1]} on {where}"):
                call(service)
    assert dump(cluster, shared) == before, f"{role}'s refused {action} wrote something"


@pytest.mark.only_backend("postgresql")
def test_a_role_without_any_level_sees_no_project(cluster, shared, as_role) -> None:
    for role in NO_LEVEL:
        code, out, err = as_role(role, shared, "projects", "list")
        assert code == 0, err
        assert "web" not in out
    code, out, _ = as_role("mike", shared, "projects", "list", "--json")
    assert [p["name"] for p in json.loads(out)] == ["api"]


# --- whoami and access list ------------------------------------------------------------


@pytest.mark.only_backend("postgresql")
@pytest.mark.parametrize(
    ("role", "levels"),
    [
        ("carol", [{"project": "web", "level": "viewer"}]),
        ("bob", [{"project": "web", "level": "manager"}]),
        ("alice", [{"project": "web", "level": "admin"}]),
        ("eve", [{"project": None, "level": "admin"}]),
        ("mike", [{"project": "api", "level": "manager"}]),
        ("dave", []),
        (OWNER, [{"project": None, "level": "admin"}]),
    ],
)
def test_whoami_json(shared, as_role, role, levels) -> None:
    code, out, err = as_role(role, shared, "whoami", "--json")
    assert code == 0, err
    assert json.loads(out) == {"role": role, "levels": levels}


@pytest.mark.only_backend("postgresql")
def test_whoami_in_words(shared, as_role) -> None:
    code, out, _ = as_role("bob", shared, "whoami")
    assert code == 0
    assert out.startswith("You are bob on ")
    assert "manager of project 'web'" in out
    code, out, _ = as_role("dave", shared, "whoami")
    assert code == 0
    assert "You hold no level on any project" in out


@pytest.mark.only_backend("postgresql")
def test_access_list_json(shared, as_role) -> None:
    code, out, err = as_role("alice", shared, "access", "list", "--project", "web", "--json")
    assert code == 0, err
    listed = json.loads(out)
    assert all(set(row) == {"role", "project", "level"} for row in listed)
    assert {(r["role"], r["project"], r["level"]) for r in listed} == {
        ("eve", None, "admin"),
        ("alice", "web", "admin"),
        ("bob", "web", "manager"),
        ("carol", "web", "viewer"),
    }
    # All of them, for an admin of every project; api's grant is not alice's to see.
    code, out, _ = as_role("eve", shared, "access", "list", "--json")
    assert ("mike", "api", "manager") in {
        (r["role"], r["project"], r["level"]) for r in json.loads(out)
    }
    code, out, _ = as_role("alice", shared, "access", "list", "--json")
    assert "mike" not in {r["role"] for r in json.loads(out)}
    # A viewer sees its own level (and the all-projects ones? no: only its own).
    code, out, _ = as_role("carol", shared, "access", "list", "--json")
    assert ("carol", "web", "viewer") in {
        (r["role"], r["project"], r["level"]) for r in json.loads(out)
    }
    assert "bob" not in {r["role"] for r in json.loads(out)}


@pytest.mark.only_backend("postgresql")
def test_grant_revoke_and_list_in_words(fresh, as_role) -> None:
    code, out, err = as_role(
        "alice", fresh, "access", "grant", "zed", "--project", "web", "--as", "manager"
    )
    assert (code, out) == (0, "zed is now manager of project 'web'.\n"), err
    code, out, _ = as_role("zed", fresh, "whoami", "--json")
    assert json.loads(out)["levels"] == [{"project": "web", "level": "manager"}]
    code, out, _ = as_role("alice", fresh, "access", "list", "--project", "web")
    assert code == 0
    assert "zed" in out
    assert "(all projects)" in out
    code, out, err = as_role("alice", fresh, "access", "revoke", "zed", "--project", "web")
    assert (code, out) == (0, "zed is no longer manager of project 'web'.\n"), err
    # Again: it holds none there any more.
    code, out, err = as_role("alice", fresh, "access", "revoke", "zed", "--project", "web")
    assert code == 1
    assert one_line(err)
    assert "zed holds no level of its own on project 'web'" in err
    code, out, _ = as_role("zed", fresh, "whoami", "--json")
    assert json.loads(out)["levels"] == []
    # A role that does not exist, a level that is none: refused, one line each.
    code, _, err = as_role(
        "alice", fresh, "access", "grant", "nobody", "--project", "web", "--as", "viewer"
    )
    assert code != 0
    assert one_line(err)
    assert "nobody" in err
    code, _, err = as_role(
        "alice", fresh, "access", "grant", "zed", "--project", "web", "--as", "root"
    )
    assert code == 2


# --- who acts: the login role, whatever the client says --------------------------------


@pytest.mark.only_backend("postgresql")
def test_the_login_role_is_recorded_whatever_user_and_logname_say(
    cluster, fresh, as_role, monkeypatch
) -> None:
    monkeypatch.setenv("USER", "mallory")
    monkeypatch.setenv("LOGNAME", "mallory")
    assert config.current_user() == "mallory"
    code, _plaintext, err = as_role(
        "bob", fresh, "tokens", "generate", "--project", "web", "--name", "by bob"
    )
    assert code == 0, err
    code, out, _ = as_role("bob", fresh, "tokens", "revoke", "--project", "web", str(OTHER_TOKEN))
    assert code == 0
    with open_service(url(cluster, "bob", fresh), actor="mallory") as service:
        assert service.whoami().role == "bob"
        record, _ = service.generate("web", "by bob through the API")
        service.rename_token("web", record.id, "renamed by bob")
        listed = {t.name: t for t in service.list_tokens("web")}
        assert listed["by bob"].created_by == "bob"
        assert listed["renamed by bob"].created_by == "bob"
        events = [
            e for e in service.audit_log("web") if e.token_id is not None and e.actor != OWNER
        ]
    assert events
    assert {e.actor for e in events} == {"bob"}
    code, out, _ = as_role("alice", fresh, "audit", "--project", "web", "--json")
    actors = {(e["action"], e["actor"]) for e in json.loads(out)}
    assert ("generated", "bob") in actors
    assert ("revoked", "bob") in actors
    assert not any("mallory" in repr(row) for rows in dump(cluster, fresh).values() for row in rows)


@pytest.mark.only_backend("postgresql")
def test_tokens_list_json_shows_created_by(fresh, as_role, monkeypatch) -> None:
    monkeypatch.setenv("USER", "mallory")
    monkeypatch.setenv("LOGNAME", "mallory")
    assert as_role("bob", fresh, "tokens", "generate", "--project", "web", "--name", "b")[0] == 0
    _code, out, _ = as_role("bob", fresh, "tokens", "list", "--project", "web", "--json")
    assert {t["name"]: t.get("created_by") for t in json.loads(out)}["b"] == "bob"


# --- SQLite: one local user, admin of everything ---------------------------------------


@pytest.mark.only_backend("sqlite")
@pytest.mark.parametrize(
    "argv",
    [
        ["access", "grant", "bob", "--project", "Web", "--as", "viewer"],
        ["access", "grant", "bob", "--all-projects", "--as", "admin"],
        ["access", "revoke", "bob", "--project", "Web"],
        ["access", "list"],
        ["access", "list", "--project", "Web", "--json"],
    ],
)
def test_access_needs_postgresql(cli, web, store, argv) -> None:
    before = store.dump()
    result = cli(*argv)
    assert result.code == 2
    assert result.out == ""
    assert one_line(result.err)
    assert "access control needs PostgreSQL" in result.err
    assert store.dump() == before


@pytest.mark.only_backend("sqlite")
def test_whoami_on_sqlite_is_the_os_user_admin_of_everything(cli, web, monkeypatch) -> None:
    monkeypatch.setenv("USER", "sam")
    monkeypatch.setenv("LOGNAME", "sam")
    result = cli("whoami", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == {
        "role": "sam",
        "levels": [{"project": None, "level": "admin"}],
    }
    result = cli("whoami")
    assert result.code == 0
    assert result.out.startswith("You are sam on ")
    assert "admin of every project" in result.out


@pytest.mark.only_backend("sqlite")
@pytest.mark.parametrize("action", [a for a in CLI_ACTIONS if not a.startswith("access")])
def test_every_action_is_the_local_users_on_sqlite(cli, service, action) -> None:
    """The matrix's actions, each allowed to the one local user."""
    service.add_project("web")
    service.add_environment("web", "prod")
    service.add_environment("web", "qa")
    assert [service.generate("web", name)[0].id for name in ("ci", "deploy")] == [
        TOKEN,
        OTHER_TOKEN,
    ]
    result = cli(*str(ACTIONS[action][1]).split())
    assert result.code == 0, result.err
