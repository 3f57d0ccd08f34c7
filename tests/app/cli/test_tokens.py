"""``tokens generate, list, revoke, rotate, update, expiring`` (``app.cli.tokens``): the
token alone on stdout, previews in listings, what revoke says of the last use, and the
edges of a rotated token's life."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from app import config, open_service, tokens
from tests.support.command_line import TOKEN_KEYS, generate, listed, listed_by_id, new_token_id
from tests.support.data import used_ago


def test_generate_prints_the_token_alone_on_stdout_and_guidance_on_stderr(cli, web):
    result = generate(cli, "web", "--name", "ci")
    assert result.out.endswith("\n")
    plaintext = result.out[:-1]
    assert tokens.PATTERN.fullmatch(plaintext)
    assert plaintext not in result.err
    assert "secret manager" in result.err
    assert tokens.preview(plaintext) in result.err


def test_generate_without_a_salt_exits_2_and_writes_nothing(cli, web, monkeypatch, store):
    monkeypatch.setenv(config.SALT_ENV, "short")
    result = cli("tokens", "generate", "--project", "Web")
    assert result.code == 2
    assert result.out == ""
    assert "ML_DEPLOYMENT_TOKEN_SALT is too short" in result.err
    assert store.table_counts()["deployment_token"] == 0


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


# `tokens revoke` says when the token was last used: the spec asks to confirm that no
# active automation still depends on a token, and a revoke from the command line has no
# confirmation to say it in. Standard output and the exit code stay as they were.


@pytest.fixture
def nightly(cli, database_url) -> tuple[int, str]:
    assert cli("projects", "add", "Web").code == 0
    with open_service(database_url) as service:
        record, plaintext = service.generate("Web", "Nightly")
    return record.id, plaintext


def revoke(cli, token_id: int):
    result = cli("tokens", "revoke", "--project", "Web", str(token_id))
    assert result.code == 0
    return result


def test_revoking_a_token_used_minutes_ago_says_so_plainly(cli, store, nightly):
    token_id, plaintext = nightly
    used_ago(store, plaintext, timedelta(minutes=3))
    result = revoke(cli, token_id)
    preview = tokens.preview(plaintext)
    assert result.out == f"Revoked token {token_id} 'Nightly' ({preview}) in 'Web'.\n"
    assert result.err == (
        f"token {token_id} (Nightly, {preview}) was last used 3 minutes ago: a pipeline may "
        "still depend on it, and is refused from now on\n"
    )


def test_revoking_a_token_used_days_ago_says_when(cli, store, nightly):
    token_id, plaintext = nightly
    used_ago(store, plaintext, timedelta(days=3, minutes=1))
    result = revoke(cli, token_id)
    preview = tokens.preview(plaintext)
    assert result.out == f"Revoked token {token_id} 'Nightly' ({preview}) in 'Web'.\n"
    assert result.err == f"token {token_id} (Nightly, {preview}) was last used 3 days ago\n"


def test_revoking_a_token_never_used_says_so(cli, nightly):
    token_id, plaintext = nightly
    result = revoke(cli, token_id)
    preview = tokens.preview(plaintext)
    assert result.out == f"Revoked token {token_id} 'Nightly' ({preview}) in 'Web'.\n"
    assert result.err == f"token {token_id} (Nightly, {preview}) was never used\n"


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


def test_rotate_says_the_old_token_stops_when_it_expires_when_that_is_before_the_grace(cli, web):
    old = new_token_id(cli, "--expires-in", "30d")
    expires_at = listed_by_id(cli)[old]["expires_at"]
    shown = f"{expires_at[:10]} {expires_at[11:16]} UTC"
    rotated = cli("tokens", "rotate", "--project", web, str(old), "--grace", "1y")
    assert rotated.code == 0, rotated.err
    assert f"the old one keeps working until {shown}, when it expires anyway" in rotated.err
    assert "for 1 year" not in rotated.err
    assert listed_by_id(cli)[old]["expires_at"] == expires_at
    events = json.loads(cli("audit", "--project", web, "--json").out)
    [event] = [e for e in events if e["action"] == "rotated"]
    assert event["detail"].endswith(f"the old token stops at {shown}")


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


def test_updating_the_expiry_of_a_rotated_token_is_refused_and_writes_nothing(cli, web, store):
    old = new_token_id(cli, "--expires-in", "30d")
    rotated = cli("tokens", "rotate", "--project", web, str(old), "--grace", "1h")
    assert rotated.code == 0, rotated.err
    stops = listed_by_id(cli)[old]["expires_at"]
    before = store.dump()
    for option in (("--no-expiry",), ("--expires-in", "1y"), ("--expires-on", "2099-01-01")):
        refused = cli("tokens", "update", "--project", web, str(old), *option)
        assert (refused.code, refused.out) == (1, "")
        assert refused.err.startswith(f"deployment-tokens: token {old} was rotated")
        assert len(refused.err.splitlines()) == 1
    assert store.dump() == before
    assert (listed_by_id(cli)[old]["status"], listed_by_id(cli)[old]["expires_at"]) == (
        "retiring",
        stops,
    )


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
