"""The command line (README, "Command line"): commands, flags, output, stdin rules and exit
codes."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

import app
from app import config, tokens
from app.lifecycle import Expiry

TOKEN_KEYS = {
    "id",
    "name",
    "preview",
    "created_at",
    "last_used_at",
    "expires_at",
    "environments",
    "status",
}


@pytest.fixture
def web(cli):
    assert cli("projects", "add", "Web").code == 0
    return "Web"


def generate(cli, project="Web", *extra):
    result = cli("tokens", "generate", "--project", project, *extra)
    assert result.code == 0, result.err
    return result


def one_line(text):
    return text.count("\n") == 1 and "Traceback" not in text


def test_projects_add_and_list(cli):
    assert cli("projects", "add", "Web").code == 0
    assert cli("projects", "add", "api").code == 0
    listed = cli("projects", "list")
    assert listed.code == 0
    names = [line.split()[1] for line in listed.out.splitlines()[1:]]
    assert names == ["api", "Web"]


def test_projects_list_json(cli, web):
    generate(cli)
    [project] = json.loads(cli("projects", "list", "--json").out)
    assert project["name"] == "Web"
    assert project["token_count"] == 1
    assert set(project) == {"id", "name", "created_at", "token_count"}


def test_projects_list_when_empty(cli):
    result = cli("projects", "list")
    assert (result.code, result.out) == (0, "")
    assert "projects add" in result.err
    assert json.loads(cli("projects", "list", "--json").out) == []


def test_projects_rename_keeps_the_tokens_working_under_the_new_name(cli, web):
    plaintext = generate(cli).out.strip()
    renamed = cli("projects", "rename", "web", "storefront")
    assert (renamed.code, renamed.out) == (0, "Renamed project 'Web' to 'storefront'.\n")
    assert cli("verify", "--project", "storefront", stdin=plaintext).code == 0
    assert cli("verify", "--project", "Web", stdin=plaintext).code == 1
    cli("projects", "add", "api")
    taken = cli("projects", "rename", "storefront", "API")
    assert taken.code == 1
    assert "a project named 'api' already exists" in taken.err


def test_projects_delete_needs_yes_while_the_project_has_live_tokens(cli, web, store):
    plaintext = generate(cli).out.strip()
    before = store.dump()
    refused = cli("projects", "delete", "web")
    assert refused.code == 1
    assert refused.err == (
        "deployment-tokens: project 'Web' still has 1 live deployment token, which deleting "
        "it would revoke: add --yes to delete it and revoke them\n"
    )
    assert store.dump() == before
    deleted = cli("projects", "delete", "web", "--yes")
    assert (deleted.code, deleted.out) == (0, "Deleted project 'Web' and revoked its 1 token.\n")
    assert cli("verify", stdin=plaintext).code == 1
    assert cli("projects", "list", "--json").out.strip() == "[]"


def test_projects_delete_without_tokens_needs_no_yes(cli):
    cli("projects", "add", "empty")
    deleted = cli("projects", "delete", "empty")
    assert (deleted.code, deleted.out) == (0, "Deleted project 'empty'.\n")
    missing = cli("projects", "delete", "empty")
    assert (missing.code, missing.err) == (
        1,
        "deployment-tokens: there is no project named 'empty'\n",
    )


def test_generate_prints_the_token_alone_on_stdout_and_guidance_on_stderr(cli, web):
    result = generate(cli, "web", "--name", "ci")
    assert result.out.endswith("\n")
    plaintext = result.out[:-1]
    assert tokens.PATTERN.fullmatch(plaintext)
    assert plaintext not in result.err
    assert "secret manager" in result.err
    assert tokens.preview(plaintext) in result.err


def test_tokens_list_shows_previews_only(cli, web):
    plaintext = generate(cli, "Web", "--name", "ci").out.strip()
    result = cli("tokens", "list", "--project", "Web")
    assert result.code == 0
    assert tokens.preview(plaintext) in result.out
    assert " ci " in result.out
    assert "never" in result.out
    assert plaintext[5:48] not in result.out + result.err


def test_tokens_list_json_has_exactly_the_documented_keys(cli, web):
    plaintext = generate(cli, "Web", "--name", "ci").out.strip()
    cli("verify", stdin=plaintext + "\n")
    [row] = json.loads(cli("tokens", "list", "--project", "Web", "--json").out)
    assert set(row) == TOKEN_KEYS
    assert row["name"] == "ci"
    assert row["preview"] == tokens.preview(plaintext)
    assert row["created_at"].endswith("+00:00")
    assert row["last_used_at"] is not None


def test_tokens_list_json_when_empty(cli, web):
    assert json.loads(cli("tokens", "list", "--project", "Web", "--json").out) == []


def test_revoke_then_verify_fails(cli, web):
    plaintext = generate(cli).out.strip()
    [row] = json.loads(cli("tokens", "list", "--project", "Web", "--json").out)
    revoked = cli("tokens", "revoke", "--project", "Web", str(row["id"]))
    assert revoked.code == 0
    assert row["preview"] in revoked.out
    result = cli("verify", stdin=plaintext)
    assert result.code == 1
    assert "unknown or has been revoked" in result.err


def test_verify_prints_the_project_name(cli, web):
    plaintext = generate(cli).out.strip()
    result = cli("verify", stdin=plaintext + "\n")
    assert (result.code, result.out) == (0, "Web\n")
    assert cli("verify", "--project", "web", stdin=plaintext).code == 0


def test_verify_reads_only_the_first_line(cli, web):
    plaintext = generate(cli).out.strip()
    assert cli("verify", stdin=f"{plaintext}\nsomething else\n").code == 0


def test_verify_out_of_scope_exits_1(cli, web):
    cli("projects", "add", "api")
    plaintext = generate(cli).out.strip()
    result = cli("verify", "--project", "api", stdin=plaintext)
    assert (result.code, result.out) == (1, "")
    assert one_line(result.err)


def test_verify_falls_back_to_the_environment_when_stdin_is_empty(cli, web, monkeypatch):
    plaintext = generate(cli).out.strip()
    monkeypatch.setenv(config.TOKEN_ENV, plaintext)
    assert cli("verify", stdin=b"").code == 0


def test_stdin_wins_over_the_environment(cli, web, monkeypatch):
    plaintext = generate(cli).out.strip()
    monkeypatch.setenv(config.TOKEN_ENV, plaintext)
    assert cli("verify", stdin=tokens.new_token()).code == 1


@pytest.mark.parametrize(
    ("stdin", "code", "message"),
    [
        (b"", 2, "no token given"),
        (b"\n", 2, "no token given"),
        (b"   \n", 2, "no token given"),
        (b"x" * 5000, 1, "too long"),
        ("mldt_" + "é" * 49, 1, "non-ASCII"),
        (b"\xff\xfe", 1, "non-ASCII"),
        (b"mldt_short", 1, "54 characters long"),
        (b"not a token at all", 1, "54 characters long"),
    ],
)
def test_bad_verify_input_is_one_clear_line(cli, web, stdin, code, message):
    result = cli("verify", stdin=stdin)
    assert result.code == code
    assert result.out == ""
    assert one_line(result.err)
    assert message in result.err


def test_a_token_given_as_an_argument_is_refused_and_not_echoed(cli, web):
    plaintext = generate(cli).out.strip()
    for argv in (
        ("verify", plaintext),
        (plaintext,),
        ("tokens", "revoke", "--project", "Web", plaintext),
    ):
        result = cli(*argv)
        assert result.code == 2
        assert one_line(result.err)
        assert plaintext[5:48] not in result.err


def test_verify_without_a_salt_exits_2(cli, web, monkeypatch):
    plaintext = generate(cli).out.strip()
    monkeypatch.delenv(config.SALT_ENV)
    result = cli("verify", stdin=plaintext)
    assert result.code == 2
    assert "ML_DEPLOYMENT_TOKEN_SALT is not configured" in result.err


def test_generate_without_a_salt_exits_2_and_writes_nothing(cli, web, monkeypatch, store):
    monkeypatch.setenv(config.SALT_ENV, "short")
    result = cli("tokens", "generate", "--project", "Web")
    assert result.code == 2
    assert result.out == ""
    assert "ML_DEPLOYMENT_TOKEN_SALT is too short" in result.err
    assert store.table_counts()["deployment_token"] == 0


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("projects", "add", "web"), 1, "already exists"),
        (("projects", "add", " "), 1, "cannot be empty"),
        (("projects", "add", "x" * 101), 1, "at most 100"),
        (("tokens", "generate", "--project", "nope"), 1, "no project named 'nope'"),
        (("tokens", "generate", "--project", "Web", "--name", ""), 1, "cannot be empty"),
        (("tokens", "list", "--project", "nope"), 1, "no project named"),
        (("tokens", "revoke", "--project", "Web", "42"), 1, "no token with id 42"),
        (("tokens", "revoke", "--project", "Web", "abc"), 2, "not a token id"),
        (("tokens", "revoke", "--project", "Web", "0"), 2, "token id is from 1"),
        # What the hardening issue's attack session tried.
        (("tokens", "revoke", "--project", "Web", "9223372036854775808"), 2, "token id"),
        (("tokens", "revoke", "--project", "Web", "1_0"), 2, "not a token id"),
        (("tokens", "revoke", "--project", "Web", "\u0662"), 2, "not a token id"),
        (("tokens", "revoke", "--project", "Web", "\uff12"), 2, "not a token id"),
        (("projects", "add", "W\u200beb"), 1, "invisible characters"),
        (("projects", "add", "W\u0435b"), 1, "mixes Cyrillic and Latin"),
        (("projects", "add", "\u3164"), 1, "invisible characters"),
        (("projects", "add", "\u0301web"), 1, "on no letter"),
        (("tokens", "list", "--project", "x\x1b[2K\rweb"), 1, "no project named 'x\\e[2K\\rweb'"),
        (("--database", "postgresql://u:p@[::1/db", "projects", "list"), 2, "u:***@"),
        (("tokens", "generate"), 2, "--project"),
        (("tokens",), 2, "required"),
        (("frobnicate",), 2, "invalid choice"),
    ],
)
def test_bad_input_is_one_clear_line_and_changes_nothing(cli, web, store, argv, code, message):
    before = store.dump()
    result = cli(*argv)
    assert result.code == code
    assert one_line(result.err), result.err
    assert message in result.err
    assert store.dump() == before


def test_database_option_works_before_and_after_the_command(cli, tmp_path):
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert cli("projects", "add", "a", "--database", other, database=False).code == 0
    listed = cli("--database", other, "projects", "list", "--json", database=False)
    assert [project["name"] for project in json.loads(listed.out)] == ["a"]
    assert json.loads(cli("projects", "list", "--json").out) == []  # the fixture's database


def test_environment_database_url(cli, monkeypatch, tmp_path):
    path = tmp_path / "env.db"
    monkeypatch.setenv(config.DATABASE_URL_ENV, f"sqlite:///{path}")
    assert cli("projects", "add", "web", database=False).code == 0
    assert path.exists()


def test_malformed_database_url_exits_2(cli):
    result = cli("--database", "nonsense", "projects", "list", database=False)
    assert result.code == 2
    assert one_line(result.err)
    assert "unsupported database URL" in result.err


@pytest.mark.parametrize("command", [("projects", "list"), ("verify",)])
def test_not_a_database_file_exits_2_with_one_line(cli, sqlite_url, database_path, command):
    database_path.write_bytes(b"\x00garbage" * 1000)
    result = cli("--database", sqlite_url, *command, stdin=tokens.new_token(), database=False)
    assert result.code == 2
    assert one_line(result.err)
    assert "not a usable database" in result.err


# As separate processes, the way pipelines and shells run it


def test_python_m_app_verifies_from_a_pipe(cli_process, database_url):
    assert cli_process("--database", database_url, "projects", "add", "web").returncode == 0
    generated = cli_process("--database", database_url, "tokens", "generate", "--project", "web")
    plaintext = generated.stdout.strip()
    verified = cli_process("--database", database_url, "verify", stdin=plaintext + "\n")
    assert (verified.returncode, verified.stdout) == (0, "web\n")


def test_verify_reads_the_environment_when_stdin_is_a_terminal(cli_process, database_url):
    cli_process("--database", database_url, "projects", "add", "web")
    plaintext = cli_process(
        "--database", database_url, "tokens", "generate", "--project", "web"
    ).stdout.strip()
    controller, terminal = pty.openpty()
    try:
        verified = cli_process(
            "--database", database_url, "verify", stdin=terminal, env={config.TOKEN_ENV: plaintext}
        )
        missing = cli_process("--database", database_url, "verify", stdin=terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert (verified.returncode, verified.stdout) == (0, "web\n")
    assert missing.returncode == 2
    assert "no token given" in missing.stderr


def test_verify_never_imports_qt(service, database_url):

    code = (
        "import sys\n"
        "from app.__main__ import main\n"
        "status = main(['--database', sys.argv[1], 'verify'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'ui'))\n"
        "print(repr(loaded))\n"
        "sys.exit(status)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, database_url],
        input=tokens.new_token(),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == "[]\n"


def test_console_script_is_installed():
    from importlib.metadata import entry_points

    [script] = [e for e in entry_points(group="console_scripts") if e.name == "deployment-tokens"]
    assert script.value == "app.__main__:main"


def test_an_internal_error_is_one_redacted_line(cli, web, monkeypatch):
    from app.service import TokenService

    leaked = tokens.new_token()

    def broken(self, *args):
        raise RuntimeError(f"bug while handling {leaked}")

    monkeypatch.setattr(TokenService, "list_projects", broken)
    result = cli("projects", "list")
    assert result.code == 1
    assert one_line(result.err)
    assert "internal error (RuntimeError" in result.err
    assert leaked[5:48] not in result.err


def test_verify_against_a_missing_database_file_exits_2_and_creates_nothing(cli, tmp_path):
    missing = tmp_path / "typo.db"
    result = cli(
        "--database", f"sqlite:///{missing}", "verify", stdin=tokens.new_token(), database=False
    )
    assert result.code == 2
    assert f"there is no database at {missing}" in result.err
    assert not missing.exists()


def test_a_reader_that_goes_away_early_gets_no_complaint(service, database_url):

    # More output than a pipe buffers (64 KiB), so the writer does meet the closed pipe.
    for number in range(1000):
        service.add_project(f"project {number}")
    listing = subprocess.Popen(
        [sys.executable, "-m", "app", "--database", database_url, "projects", "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert listing.stdout is not None
    listing.stdout.read(10)
    listing.stdout.close()
    _, err = listing.communicate(timeout=60)
    assert err == b""
    assert listing.returncode == 1


def test_version(cli):
    from importlib.metadata import version

    result = cli("--version", database=False)
    assert (result.code, result.out) == (0, f"deployment-tokens {version('deployment-tokens')}\n")


# The token lifecycle on the command line (README, "Command line")


def listed(cli, project="Web"):
    return json.loads(cli("tokens", "list", "--project", project, "--json").out)


def test_generate_takes_an_expiry_and_environments(cli, web):
    assert cli("environments", "add", "--project", web, "production").code == 0
    generated = cli(
        "tokens",
        "generate",
        "--project",
        web,
        "--expires-in",
        "30d",
        "--environment",
        "production",
    )
    assert generated.code == 0, generated.err
    assert tokens.is_well_formed(generated.out.strip())
    assert "environments: production" in generated.err
    [row] = listed(cli)
    created = datetime.fromisoformat(row["created_at"])
    assert datetime.fromisoformat(row["expires_at"]) - created == timedelta(days=30)
    assert (row["environments"], row["status"]) == (["production"], "active")
    assert row["name"] == "Deployment token 1"
    assert cli("tokens", "generate", "--project", web, "--no-expiry").code == 0
    assert cli("tokens", "generate", "--project", web, "--expires-on", "2099-01-31").code == 0
    rows = listed(cli)
    assert rows[1]["expires_at"] is None
    assert rows[0]["expires_at"] == "2099-01-31T00:00:00+00:00"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--expires-in", "12x"), "not a duration"),
        (("--expires-in", "0d"), "longer than zero"),
        (("--expires-on", "31.01.2099"), "YYYY-MM-DD"),
        (("--expires-in", "7d", "--no-expiry"), "not allowed with argument"),
        (("--expires-on", "2020-01-01"), "not in the future"),
        (("--environment", "moon"), "no environment 'moon'"),
    ],
)
def test_bad_lifecycle_options_are_one_line_and_write_nothing(cli, web, store, options, message):
    before = store.dump()
    result = cli("tokens", "generate", "--project", web, *options)
    assert result.code in (1, 2)
    assert message in result.err
    assert result.err.count("\n") == 1
    assert result.out == ""
    assert store.dump() == before


def test_a_usage_error_in_a_duration_exits_2(cli, web):
    assert cli("tokens", "generate", "--project", web, "--expires-in", "1m").code == 2
    assert cli("tokens", "expiring", "--within", "soon").code == 2
    assert cli("tokens", "rotate", "--project", web, "1", "--grace", "-1h").code == 2


def test_the_policy_is_shown_changed_and_enforced(cli, web, store):
    shown = cli("projects", "policy", "--project", web)
    assert shown.out.strip() == (
        "Token policy of 'Web': default lifetime 90 days; maximum none; No expiry allowed."
    )
    changed = cli(
        "projects", "policy", "--project", web, "--default-lifetime", "30d", "--max-lifetime", "1y"
    )
    assert changed.code == 0, changed.err
    assert "default lifetime 30 days; maximum 1 year; No expiry not allowed" in changed.out
    before = store.dump()
    too_long = cli("tokens", "generate", "--project", web, "--expires-in", "2y")
    assert (too_long.code, too_long.out) == (1, "")
    assert "maximum token lifetime of 1 year" in too_long.err
    never = cli("tokens", "generate", "--project", web, "--no-expiry")
    assert never.code == 1
    assert "never expire" in never.err
    assert store.dump() == before
    contradictory = cli("projects", "policy", "--project", web, "--allow-no-expiry")
    assert contradictory.code == 1
    assert "cannot allow" in contradictory.err


def test_rotate_prints_the_successor_alone_and_stops_the_old_token(cli, web):
    first = cli("tokens", "generate", "--project", web, "--name", "deploy").out.strip()
    [old] = listed(cli)
    rotated = cli("tokens", "rotate", "--project", web, str(old["id"]), "--grace", "1h")
    assert rotated.code == 0, rotated.err
    successor = rotated.out.strip()
    assert tokens.is_well_formed(successor)
    assert rotated.out == successor + "\n"
    assert "keeps working for 1 hour" in rotated.err
    statuses = {row["name"]: [] for row in listed(cli)}
    for row in listed(cli):
        statuses[row["name"]].append(row["status"])
    assert statuses == {"deploy": ["active", "retiring"]}
    assert cli("verify", stdin=first).code == 0
    assert cli("verify", stdin=successor).code == 0
    [new, _] = listed(cli)
    again = cli("tokens", "rotate", "--project", web, str(new["id"]))
    assert again.code == 0
    assert "the old one was revoked" in again.err
    assert cli("verify", stdin=successor).code == 1
    actions = [e["action"] for e in json.loads(cli("audit", "--project", web, "--json").out)]
    assert actions.count("rotated") == 2


def test_verify_says_why_a_token_was_refused(cli, web, database_url):
    cli("environments", "add", "--project", web, "staging")
    cli("environments", "add", "--project", web, "production")
    staging_only = cli(
        "tokens", "generate", "--project", web, "--environment", "staging"
    ).out.strip()
    ok = cli("verify", "--project", web, "--environment", "staging", stdin=staging_only)
    assert (ok.code, ok.out) == (0, "Web\n")
    refused = cli("verify", "--project", web, "--environment", "production", stdin=staging_only)
    assert refused.code == 1
    assert "not allowed in environment 'production'" in refused.err
    # A token that expired an hour ago, made with a clock two hours back.
    past = datetime.now(UTC) - timedelta(hours=2)
    with app.open_service(database_url, clock=lambda: past) as service:
        _, expired = service.generate(web, expiry=Expiry.after(timedelta(hours=1)))
    gone = cli("verify", stdin=expired)
    assert gone.code == 1
    assert "the token expired at" in gone.err


def test_expiring_lists_tokens_of_every_project(cli, web, database_url):
    cli("projects", "add", "api")
    cli("tokens", "generate", "--project", web, "--name", "soon", "--expires-in", "3d")
    cli("tokens", "generate", "--project", "api", "--name", "later", "--expires-in", "30d")
    rows = json.loads(cli("tokens", "expiring", "--json").out)
    assert [(r["project"], r["name"], r["status"]) for r in rows] == [("Web", "soon", "expiring")]
    assert set(rows[0]) == TOKEN_KEYS | {"project"}
    wider = cli("tokens", "expiring", "--within", "5w")
    assert [line.split()[0] for line in wider.out.splitlines()[1:]] == ["Web", "api"]
    none = cli("tokens", "expiring", "--within", "1h")
    assert (none.code, none.out) == (0, "")
    assert "No token expires within 1 hour" in none.err


def test_environments_are_added_listed_and_removed(cli, web):
    assert cli("environments", "list", "--project", web).out == ""
    cli("environments", "add", "--project", web, "production")
    cli("environments", "add", "--project", web, "Staging")
    assert cli("environments", "list", "--project", web).out == "production\nStaging\n"
    duplicate = cli("environments", "add", "--project", web, "STAGING")
    assert duplicate.code == 1
    assert "already has an environment" in duplicate.err
    rows = json.loads(cli("environments", "list", "--project", web, "--json").out)
    assert [set(r) for r in rows] == [{"id", "name", "created_at"}] * 2
    assert cli("environments", "remove", "--project", web, "staging").code == 0
    assert cli("environments", "list", "--project", web).out == "production\n"


def test_update_changes_expiry_and_environments(cli, web):
    cli("environments", "add", "--project", web, "production")
    cli("tokens", "generate", "--project", web)
    [row] = listed(cli)
    updated = cli(
        "tokens",
        "update",
        "--project",
        web,
        str(row["id"]),
        "--no-expiry",
        "--environment",
        "production",
    )
    assert updated.code == 0, updated.err
    [row] = listed(cli)
    assert (row["expires_at"], row["environments"]) == (None, ["production"])
    cli("tokens", "update", "--project", web, str(row["id"]), "--all-environments")
    assert listed(cli)[0]["environments"] == []
    nothing = cli("tokens", "update", "--project", web, str(row["id"]))
    assert nothing.code == 2
    assert "nothing to change" in nothing.err


def test_a_command_builds_only_its_own_parser_and_help_shows_them_all(cli):
    """verify runs on every deployment: it must not build every other command's parser."""
    from app import cli as command_line

    assert command_line._command_name(["--database", "sqlite:///x.db", "verify"]) == "verify"
    assert command_line._command_name(["--database=sqlite:///x.db", "tokens", "list"]) == "tokens"
    assert command_line._command_name(["--version"]) is None
    assert command_line._command_name(["frobnicate"]) is None
    only_verify = command_line.build_parser("verify")
    [choices] = [a.choices for a in only_verify._actions if a.dest == "command"]
    assert list(choices) == ["verify"]
    full = command_line.build_parser()
    [choices] = [a.choices for a in full._actions if a.dest == "command"]
    assert {"projects", "tokens", "verify", "serve", "clients", "db"} <= set(choices)
    shown = cli("--help", database=False)
    assert "install-desktop-entry" in shown.out
    assert "serve" in shown.out
