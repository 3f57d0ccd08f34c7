"""``deployers add|list|remove`` on the command line: the generic form and the GitHub and
GitLab presets, the warnings on stderr, one line and the right exit code for bad input."""

from __future__ import annotations

import json

import pytest

from app.cli import COMMANDS, build_parser
from tests.support.command_line import subcommands
from tests.support.oidc import running_issuer

AUDIENCE = "deployment-tokens:deploy.example.com"


@pytest.fixture
def production(cli, web):
    assert cli("environments", "add", "--project", web, "production").code == 0
    return web


def test_the_commands_are_registered():
    assert COMMANDS["deployers"] == "deployers"
    [parser] = subcommands(build_parser("deployers")).values()
    assert list(subcommands(parser)) == ["add", "list", "remove", "test"]


def test_a_generic_binding_is_added_listed_and_removed(cli, production):
    added = cli(
        "deployers", "add", "--project", production, "--issuer", "https://ci.example.com",
        "--audience", AUDIENCE, "--claim", "project_id=42", "--claim", "ref_protected=true",
        "--environment", "production", "--lifetime", "5m",
    )  # fmt: skip
    assert (added.code, added.err) == (0, "")
    assert added.out == (
        "Added deployer 1 to project 'Web': OIDC ci.example.com: project_id=42, "
        "ref_protected=true; tokens for production.\n"
    )
    table = cli("deployers", "list", "--project", production).out.splitlines()
    assert table[0].split() == ["ID", "DEPLOYER", "ISSUER", "MINUTES", "LAST", "EXCHANGE"]
    assert table[1].split()[0] == "1"
    assert table[1].split()[-2:] == ["5", "never"]
    [listed] = json.loads(cli("deployers", "list", "--project", production, "--json").out)
    assert set(listed) == {
        "id", "name", "issuer", "audience", "claims", "environments", "lifetime_seconds",
        "created_at", "created_by", "last_exchanged_at",
    }  # fmt: skip
    assert listed["claims"] == {"project_id": "42", "ref_protected": "true"}
    assert (listed["environments"], listed["lifetime_seconds"]) == (["production"], 300)
    removed = cli("deployers", "remove", "--project", production, "1")
    assert removed.out == "Removed deployer 1 (OIDC ci.example.com) from project 'Web'.\n"
    again = cli("deployers", "remove", "--project", production, "1")
    assert (again.code, again.err) == (1, "deployment-tokens: project 'Web' has no deployer 1\n")
    empty = cli("deployers", "list", "--project", production)
    assert (empty.out, empty.err) == ("", "No trusted deployers.\n")


def test_the_github_preset_binds_ids_and_the_environment(cli, production):
    added = cli(
        "deployers", "add", "--project", production, "--audience", AUDIENCE,
        "--github", "acme/web", "--repository-id", "123", "--owner-id", "456",
        "--environment", "production",
    )  # fmt: skip
    assert (added.code, added.err) == (0, "")
    [listed] = json.loads(cli("deployers", "list", "--project", production, "--json").out)
    assert listed["issuer"] == "https://token.actions.githubusercontent.com"
    assert listed["name"] == "GitHub acme/web"
    assert listed["claims"] == {
        "repository_id": "123", "repository_owner_id": "456", "environment": "production",
    }  # fmt: skip
    assert listed["lifetime_seconds"] == 900


def test_the_gitlab_preset_binds_the_project_and_protected_refs(cli, web):
    added = cli(
        "deployers", "add", "--project", web, "--audience", AUDIENCE,
        "--gitlab", "https://gitlab.example.com", "--gitlab-project-id", "42", "--ref-protected",
    )  # fmt: skip
    assert (added.code, added.err) == (0, "")
    [listed] = json.loads(cli("deployers", "list", "--project", web, "--json").out)
    assert listed["issuer"] == "https://gitlab.example.com"
    assert listed["claims"] == {"project_id": "42", "ref_protected": "true"}


def test_weak_bindings_are_added_with_warnings_on_stderr(cli, web):
    added = cli(
        "deployers", "add", "--project", web, "--issuer", "https://ci.example.com",
        "--audience", AUDIENCE, "--claim", "repository=acme/web",
        "--claim", "workflow_ref=acme/web/.github/workflows/deploy.yml@refs/heads/main",
    )  # fmt: skip
    assert added.code == 0
    warnings = added.err.splitlines()
    assert all(line.startswith("warning: ") for line in warnings)
    assert any("names only" in line for line in warnings)
    assert any("no environment or protected ref" in line for line in warnings)
    assert any("job_workflow_ref" in line for line in warnings)


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["--issuer", "http://ci.example.com", "--claim", "a=1"], 2, "https://"),
        (["--issuer", "https://ci.example.com", "--claim", "a"], 2, "KEY=VALUE"),
        (["--issuer", "https://ci.example.com", "--claim", "a=1", "--lifetime", "2h"], 2, "1h"),
        (["--issuer", "https://ci.example.com", "--claim", "a=1", "--lifetime", "1d"], 2, "15m"),
        (["--issuer", "https://ci.example.com"], 2, "at least one --claim"),
        (["--claim", "a=1"], 2, "--issuer"),
        (["--github", "acme/web", "--repository-id", "1"], 2, "--owner-id"),
        (["--gitlab", "https://gitlab.example.com"], 2, "--gitlab-project-id"),
        (["--github", "acme", "--repository-id", "1", "--owner-id", "2"], 2, "OWNER/REPO"),
        (["--gitlab", "http://gitlab.example.com", "--gitlab-project-id", "1"], 2, "https://"),
        (
            ["--issuer", "https://ci.example.com", "--claim", "a=1", "--environment", "x"],
            1,
            "environment",
        ),
    ],
)
def test_bad_input_is_one_line_and_nothing_is_added(cli, web, arguments, code, message):
    failed = cli("deployers", "add", "--project", web, "--audience", AUDIENCE, *arguments)
    assert failed.code == code
    assert failed.out == ""
    assert message in failed.err
    assert len(failed.err.splitlines()) == 1
    assert json.loads(cli("deployers", "list", "--project", web, "--json").out) == []


def test_deployers_test_says_which_would_match_and_issues_nothing(cli, production):
    with running_issuer() as issuer:
        for environment in ("production", "staging"):
            assert cli(
                "deployers", "add", "--project", production, "--issuer", issuer.url,
                "--audience", AUDIENCE, "--claim", "repository_id=123456789",
                "--claim", f"environment={environment}",
            ).code == 0  # fmt: skip
        subject = issuer.sign(issuer.github(aud=AUDIENCE))
        tested = cli("deployers", "test", "--project", production, stdin=subject + "\n")
        assert (tested.code, tested.err) == (0, "")
        assert tested.out.splitlines() == [
            "deployer 1 (OIDC 127.0.0.1): would match",
            "deployer 2 (OIDC 127.0.0.1): does not match: 'environment' differs",
        ]
        assert subject not in tested.out
        # Nothing issued, nothing spent: the same token is tested again.
        assert cli("deployers", "test", "--project", production, stdin=subject).code == 0
        assert json.loads(cli("tokens", "list", "--project", production, "--json").out) == []
        other = issuer.sign(issuer.github(environment="qa"))
        assert cli("deployers", "test", "--project", production, stdin=other).code == 1
        forged = issuer.sign(issuer.github(aud="elsewhere"))
        refused = cli("deployers", "test", "--project", production, stdin=forged)
        assert (refused.code, refused.out) == (1, "")
        assert refused.err == "deployment-tokens: the subject token is for another audience\n"
    empty = cli("deployers", "test", "--project", production)
    assert (empty.code, empty.err) == (2, "deployment-tokens: stdin holds no ID token\n")
