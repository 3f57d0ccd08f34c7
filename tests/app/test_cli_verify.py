"""`deployment-tokens verify` as a pipeline runs it: a token limited to environments
needs one named, and verifying never sets up or changes a database file."""

from __future__ import annotations

from app import config, tokens


def test_verify_refuses_a_token_limited_to_environments_when_none_is_named(cli):
    assert cli("projects", "add", "Web").code == 0
    assert cli("environments", "add", "--project", "Web", "staging").code == 0
    generated = cli("tokens", "generate", "--project", "Web", "--environment", "staging")
    staging_only = generated.out.strip()
    for options in ((), ("--project", "Web")):
        refused = cli("verify", *options, stdin=staging_only)
        assert (refused.code, refused.out) == (1, "")
        assert refused.err.count("\n") == 1
        assert "limited to environment 'staging' and none was named" in refused.err
    allowed = cli("verify", "--project", "Web", "--environment", "Staging", stdin=staging_only)
    assert (allowed.code, allowed.out) == (0, "Web\n")


def test_verify_against_an_empty_file_says_so_and_leaves_it_empty(cli_process, tmp_path):
    database = tmp_path / "db"
    database.touch(mode=0o600)
    result = cli_process(
        "verify",
        stdin=tokens.new_token(),
        env={config.DATABASE_URL_ENV: f"sqlite:///{database}"},
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"{database} is empty, not a Deployment Tokens database" in result.stderr
    assert "deployment-tokens projects add" in result.stderr
    assert database.stat().st_size == 0
