"""What the command line refuses at the edges of a token's life and of a name: secrets
pasted as names, durations no date can hold, a rotated token kept alive, and what it
says of a grace that outlasts the token."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def web(cli):
    assert cli("projects", "add", "web").code == 0
    return "web"


def listed(cli, project="web"):
    return {
        row["id"]: row
        for row in json.loads(cli("tokens", "list", "--project", project, "--json").out)
    }


def new_token_id(cli, *extra):
    made = cli("tokens", "generate", "--project", "web", *extra)
    assert made.code == 0, made.err
    return max(listed(cli))


@pytest.mark.parametrize(
    ("command", "holder"),
    [(("clients", "add", "gateway"), "an introspection client's secret"),
     (("revocation-keys", "add", "gitlab"), "a revocation key")],
)  # fmt: skip
def test_a_secret_we_issued_is_refused_as_any_name_and_never_echoed(
    cli, web, store, command, holder
):
    added = cli(*command)
    secret = added.out.strip()
    assert added.code == 0
    assert secret.startswith(("mldc_", "mldr_"))
    before = store.dump()
    for argv in (
        ("projects", "add", secret),
        ("projects", "rename", web, f"web {secret}"),
        ("tokens", "generate", "--project", web, "--name", secret),
        ("environments", "add", "--project", web, secret),
        ("clients", "add", secret),
        ("clients", "revoke", secret),
        ("revocation-keys", "add", f"{secret}\n"),
        ("tokens", "list", "--project", secret),
    ):
        result = cli(*argv)
        shown = result.out + result.err
        echoed = secret[5:15] in shown or secret[-10:] in shown
        assert (result.code, echoed) == (1, False), argv[:2]
        assert f"holds {holder}, which is never a name" in result.err
        assert len(result.err.splitlines()) == 1
    unchanged = store.dump() == before  # compared, not shown: it would hold the secret
    assert unchanged
    verified = cli(
        "verify", "--project", secret, stdin=cli("tokens", "generate", "--project", web).out
    )
    echoed = secret[5:15] in verified.out + verified.err
    assert (verified.code, echoed) == (2, False)


@pytest.mark.parametrize(
    "argv",
    [
        ("tokens", "generate", "--project", "web", "--expires-in", "999999y"),
        ("tokens", "update", "--project", "web", "1", "--expires-in", "999999y"),
        ("tokens", "rotate", "--project", "web", "1", "--grace", "999999y"),
        ("tokens", "expiring", "--within", "999999y"),
        ("projects", "policy", "--project", "web", "--default-lifetime", "999999y"),
        ("projects", "policy", "--project", "web", "--max-lifetime", "9999999d"),
    ],
)
def test_a_duration_no_date_can_hold_is_a_usage_error_in_one_line(cli, web, store, argv):
    assert cli("tokens", "generate", "--project", web).code == 0
    before = store.dump()
    result = cli(*argv)
    assert (result.code, result.out) == (2, "")
    assert "is too long: at most 1000 years" in result.err
    assert "internal error" not in result.err
    assert len(result.err.splitlines()) == 1
    assert store.dump() == before


def test_updating_the_expiry_of_a_rotated_token_is_refused_and_writes_nothing(cli, web, store):
    old = new_token_id(cli, "--expires-in", "30d")
    rotated = cli("tokens", "rotate", "--project", web, str(old), "--grace", "1h")
    assert rotated.code == 0, rotated.err
    stops = listed(cli)[old]["expires_at"]
    before = store.dump()
    for option in (("--no-expiry",), ("--expires-in", "1y"), ("--expires-on", "2099-01-01")):
        refused = cli("tokens", "update", "--project", web, str(old), *option)
        assert (refused.code, refused.out) == (1, "")
        assert refused.err.startswith(f"deployment-tokens: token {old} was rotated")
        assert len(refused.err.splitlines()) == 1
    assert store.dump() == before
    assert (listed(cli)[old]["status"], listed(cli)[old]["expires_at"]) == ("retiring", stops)


def test_rotate_says_the_old_token_stops_when_it_expires_when_that_is_before_the_grace(cli, web):
    old = new_token_id(cli, "--expires-in", "30d")
    expires_at = listed(cli)[old]["expires_at"]
    shown = f"{expires_at[:10]} {expires_at[11:16]} UTC"
    rotated = cli("tokens", "rotate", "--project", web, str(old), "--grace", "1y")
    assert rotated.code == 0, rotated.err
    assert f"the old one keeps working until {shown}, when it expires anyway" in rotated.err
    assert "for 1 year" not in rotated.err
    assert listed(cli)[old]["expires_at"] == expires_at
    events = json.loads(cli("audit", "--project", web, "--json").out)
    [event] = [e for e in events if e["action"] == "rotated"]
    assert event["detail"].endswith(f"the old token stops at {shown}")
