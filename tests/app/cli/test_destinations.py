"""``destinations add|list|remove|test``, ``tokens generate|rotate --push DEST`` and
``rotate-due`` on the command line, against a real OpenBao: where a token went is said
on stdout, the token itself reaches no terminal, no log, no database and no export."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from app import open_service
from app.cli import COMMANDS, build_parser
from app.lifecycle import Expiry
from tests.support.command_line import subcommands


@pytest.fixture
def bao(cli, web, openbao, monkeypatch):
    monkeypatch.setenv("VAULT_TOKEN", openbao.root_token)
    path = f"{openbao.path_prefix}/ci/web"
    added = cli("destinations", "add", "--project", web, "bao", "--vault", openbao.url,
                "--path", path)  # fmt: skip
    assert added.code == 0, added.err
    return path


def test_the_commands_are_registered():
    assert COMMANDS["destinations"] == COMMANDS["rotate-due"] == "destinations"
    [parser] = subcommands(build_parser("destinations")).values()
    assert list(subcommands(parser)) == ["add", "list", "remove", "test"]


def test_destinations_are_added_listed_and_removed(cli, web, openbao, bao):
    added = cli("destinations", "add", "--project", web, "gh", "--github", "acme/web",
                "--secret", "DEPLOY_TOKEN", "--environment", "production")  # fmt: skip
    assert added.out == (
        "Added destination 'gh' to project 'Web': GitHub acme/web, secret DEPLOY_TOKEN, "
        "environment production.\n"
    )
    assert "GITHUB_TOKEN or GH_TOKEN" in added.err
    listed = json.loads(cli("destinations", "list", "--project", web, "--json").out)
    assert [(d["name"], d["kind"], d["last_push_outcome"]) for d in listed] == [
        ("bao", "vault", None), ("gh", "github", None),
    ]  # fmt: skip
    table = cli("destinations", "list", "--project", web).out.splitlines()
    assert table[0].split() == ["DEST", "WHERE", "LAST", "PUSH"]
    removed = cli("destinations", "remove", "--project", web, "gh")
    assert (removed.code, removed.out) == (0, "Removed destination 'gh' from project 'Web'.\n")
    missing = cli("destinations", "remove", "--project", web, "gh")
    assert missing.code == 1
    assert "has no destination 'gh' (it has: bao)" in missing.err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--vault", "https://vault.example.com"], "--vault needs --path"),
        (["--vault", "https://v.example.com", "--path", "secret/x", "--secret", "A"],
         "--secret does not go with --vault"),
        (["--vault", "http://vault.example.com", "--path", "secret/x"], "https"),
        (["--github", "acme/web", "--secret", "GITHUB_TOKEN"], "GITHUB_"),
        (["--gitlab", "https://gitlab.example.com", "--gitlab-project", "x", "--variable", "V"],
         "project"),
        (["--vault", "https://v.example.com", "--github", "a/b"], "not allowed with"),
    ],
)  # fmt: skip
def test_a_bad_destination_is_one_line_and_exit_2(cli, web, options, message):
    result = cli("destinations", "add", "--project", web, "d", *options)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) <= 2  # argparse adds its usage line
    assert "Traceback" not in result.err
    assert json.loads(cli("destinations", "list", "--project", web, "--json").out) == []


def test_a_pushed_token_reaches_no_terminal_log_database_or_export(
    cli, web, openbao, bao, database_url, caplog
):
    caplog.set_level(logging.DEBUG)
    generated = cli("tokens", "generate", "--project", web, "--name", "CI", "--push", "bao")
    assert generated.code == 0, generated.err
    first = openbao.read(bao)["data"]["token"]
    assert generated.out.startswith("Pushed token 1 'CI' (")
    assert first[:5] + "…" + first[-4:] in generated.out
    rotated = cli("tokens", "rotate", "--project", web, "1", "--push", "bao", "--grace", "1d")
    assert rotated.code == 0, rotated.err
    assert "Rotated token 1: the new token 2 'CI'" in rotated.out
    assert "The old token stops at" in rotated.out
    second = openbao.read(bao)["data"]["token"]
    exported = cli("audit", "export", "--format", "ocsf")
    said = generated.out + generated.err + rotated.out + rotated.err + exported.out
    said += "\n".join(record.getMessage() for record in caplog.records)
    stored = b"".join(path.read_bytes() for path in _database_files(database_url))
    for plaintext in (first, second):
        assert plaintext not in said
        assert plaintext.encode() not in stored
    messages = [json.loads(line)["message"] for line in exported.out.splitlines()]
    assert sum(" pushed token " in message for message in messages) == 2  # and exported


def _database_files(database_url):
    from pathlib import Path

    if not database_url.startswith("sqlite:"):
        return []
    path = Path(database_url.split("sqlite:///", 1)[1])
    return [p for p in path.parent.glob(path.name + "*") if p.is_file()]


def test_a_failed_push_exits_1_names_the_step_and_leaves_nothing(cli, web, bao, monkeypatch):
    monkeypatch.setenv("VAULT_TOKEN", "hvs.refused-credential")
    result = cli("tokens", "generate", "--project", web, "--push", "bao")
    assert result.code == 1
    assert result.out == ""
    assert "push to bao failed" in result.err
    assert "hvs.refused-credential" not in result.err
    assert json.loads(cli("tokens", "list", "--project", web, "--json").out) == []


def test_a_missing_credential_is_named(cli, web, bao, monkeypatch):
    monkeypatch.delenv("VAULT_TOKEN")
    result = cli("tokens", "generate", "--project", web, "--push", "bao")
    assert result.code == 2
    assert "set VAULT_TOKEN (or BAO_TOKEN)" in result.err


def test_a_dry_run_says_what_would_happen(cli, web, openbao, bao):
    cli("tokens", "generate", "--project", web, "--push", "bao")
    version = openbao.metadata(bao)["current_version"]
    plan = cli("tokens", "rotate", "--project", web, "1", "--push", "bao", "--dry-run")
    assert plan.code == 0
    assert plan.out.splitlines()[0] == "Dry run: nothing was made or pushed. Would:"
    assert "4. finish: token 1 is revoked at once" in plan.out
    assert openbao.metadata(bao)["current_version"] == version
    assert len(json.loads(cli("tokens", "list", "--project", web, "--json").out)) == 1
    alone = cli("tokens", "rotate", "--project", web, "1", "--dry-run")
    assert (alone.code, alone.err.strip()) == (
        2,
        "deployment-tokens: --dry-run goes with --push DEST",
    )


def test_rotate_due_and_the_policy_that_drives_it(cli, web, bao, database_url):
    policy = cli("projects", "policy", "--project", web, "--rotate-before", "14",
                 "--rotation-grace", "1d")  # fmt: skip
    assert "Rotation: rotate pushed tokens 14 days before they expire; grace 1 day." in policy.out
    # Pushed ten days ago for twenty: it expires in ten, inside the window.
    ten_days_ago = datetime.now(UTC) - timedelta(days=10)
    with open_service(database_url, clock=lambda: ten_days_ago) as earlier:
        earlier.generate_and_push(web, "bao", expiry=Expiry.after(timedelta(days=20)))
    due = cli("rotate-due", "--dry-run", "--json")
    [item] = json.loads(due.out)
    assert (item["token_id"], item["outcome"], item["destination"]) == (1, "due", "bao")
    done = cli("rotate-due")
    assert done.code == 0
    assert done.out.startswith("Web: token 1 'Deployment token 1' (")
    assert ": rotated -> token 2" in done.out
    again = cli("rotate-due")
    assert (again.code, again.out, again.err) == (0, "", "Nothing is due.\n")
    off = cli("projects", "policy", "--project", web, "--rotate-before", "off")
    assert "Rotation: pushed tokens are rotated by hand." in off.out
    bad = cli("projects", "policy", "--project", web, "--rotate-before", "400")
    assert bad.code == 2


def test_destinations_test_proves_the_credential(cli, web, bao, monkeypatch):
    ok = cli("destinations", "test", "--project", web, "bao")
    assert ok.code == 0
    assert "marker read back" in ok.out
    monkeypatch.setenv("VAULT_TOKEN", "hvs.nope")
    refused = cli("destinations", "test", "--project", web, "bao")
    assert refused.code == 1
    assert "$VAULT_TOKEN" in refused.err
