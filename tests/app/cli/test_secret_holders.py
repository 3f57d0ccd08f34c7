"""The holders of a secret on the command line (``app.cli.secret_holders``): ``clients``
and ``revocation-keys``, each made from its row of HOLDERS, and their secrets, which
are never a name."""

from __future__ import annotations

import json

import pytest

from app.cli import COMMANDS, build_parser
from app.cli.secret_holders import HOLDERS
from app.service import TokenService
from tests.support.command_line import subcommands


@pytest.mark.parametrize("holder", HOLDERS, ids=lambda holder: holder.command)
def test_each_secret_holder_row_makes_add_list_and_revoke(holder):
    assert holder.command in COMMANDS
    [parser] = subcommands(build_parser(holder.command)).values()
    assert list(subcommands(parser)) == ["add", "list", "revoke"]
    for method in (holder.add_method, holder.list_method, holder.revoke_method):
        assert callable(getattr(TokenService, method)), method


@pytest.mark.parametrize("holder", HOLDERS, ids=lambda holder: holder.command)
def test_a_secret_holders_commands_add_list_and_revoke_it(cli, holder):
    empty = cli(holder.command, "list")
    assert (empty.code, empty.out) == (0, "")
    assert empty.err == (
        f"No {holder.plural}. Add one with: deployment-tokens {holder.command} add NAME\n"
    )
    added = cli(holder.command, "add", "gateway")
    assert added.code == 0, added.err
    assert added.err == f"Added {holder.noun} 'gateway'. {holder.shown_once}\n"
    assert added.out.count("\n") == 1
    [listed] = json.loads(cli(holder.command, "list", "--json").out)
    assert (listed["name"], set(listed)) == ("gateway", {"id", "name", "created_at", "created_by"})
    assert cli(holder.command, "list").out.splitlines()[0].split() == ["NAME", "CREATED", "BY"]
    revoked = cli(holder.command, "revoke", "gateway")
    assert (revoked.code, revoked.out) == (0, f"Revoked {holder.noun} 'gateway'.\n")
    again = cli(holder.command, "revoke", "gateway")
    assert again.code == 1
    assert f"there is no {holder.noun} named 'gateway'" in again.err


def test_clients_are_added_listed_and_revoked_on_the_command_line(cli, store):
    added = cli("clients", "add", "edge-gateway")
    assert added.code == 0, added.err
    secret = added.out.strip()
    assert added.out == secret + "\n"
    assert secret.startswith("mldc_")
    assert secret not in repr(store.dump())
    assert "edge-gateway" in cli("clients", "list").out
    assert cli("clients", "add", "Edge-Gateway").code == 1
    assert cli("clients", "revoke", "edge-gateway").code == 0
    assert cli("clients", "revoke", "edge-gateway").code == 1


def test_revocation_keys_are_added_listed_and_revoked_on_the_command_line(cli, store):
    added = cli("revocation-keys", "add", "gitlab.example.com")
    assert added.code == 0, added.err
    key = added.out.strip()
    assert added.out == key + "\n"
    assert key.startswith("mldr_")
    assert key not in repr(store.dump())
    assert "gitlab.example.com" in cli("revocation-keys", "list").out
    assert cli("revocation-keys", "add", "GitLab.example.com").code == 1
    assert cli("revocation-keys", "revoke", "gitlab.example.com").code == 0
    assert cli("revocation-keys", "revoke", "gitlab.example.com").code == 1


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
