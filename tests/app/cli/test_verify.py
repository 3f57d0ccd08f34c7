"""``verify`` as a pipeline runs it (``app.cli.verify``): the project's name on stdout,
the reason for a refusal in one line, and a database it never sets up or changes."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import app
from app import config, tokens
from app.lifecycle import Expiry
from tests.support.command_line import generate, one_line


def test_verify_prints_the_project_name(cli, web):
    plaintext = generate(cli).out.strip()
    result = cli("verify", stdin=plaintext + "\n")
    assert (result.code, result.out) == (0, "Web\n")
    assert cli("verify", "--project", "web", stdin=plaintext).code == 0


def test_verify_out_of_scope_exits_1(cli, web):
    cli("projects", "add", "api")
    plaintext = generate(cli).out.strip()
    result = cli("verify", "--project", "api", stdin=plaintext)
    assert (result.code, result.out) == (1, "")
    assert one_line(result.err)


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


def test_verify_without_a_salt_exits_2(cli, web, monkeypatch):
    plaintext = generate(cli).out.strip()
    monkeypatch.delenv(config.SALT_ENV)
    result = cli("verify", stdin=plaintext)
    assert result.code == 2
    assert "ML_DEPLOYMENT_TOKEN_SALT is not configured" in result.err


def test_verify_against_a_missing_database_file_exits_2_and_creates_nothing(cli, tmp_path):
    missing = tmp_path / "typo.db"
    result = cli(
        "--database", f"sqlite:///{missing}", "verify", stdin=tokens.new_token(), database=False
    )
    assert result.code == 2
    assert f"there is no database at {missing}" in result.err
    assert not missing.exists()


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


def test_python_m_app_verifies_from_a_pipe(cli_process, database_url):
    assert cli_process("--database", database_url, "projects", "add", "web").returncode == 0
    generated = cli_process("--database", database_url, "tokens", "generate", "--project", "web")
    plaintext = generated.stdout.strip()
    verified = cli_process("--database", database_url, "verify", stdin=plaintext + "\n")
    assert (verified.returncode, verified.stdout) == (0, "web\n")


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
