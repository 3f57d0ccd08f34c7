"""The command line as the tests drive it (through the ``cli`` fixture): a project's
tokens made and listed, the keys ``tokens list --json`` prints, and a parser's
subcommands."""

from __future__ import annotations

import json

# What ``tokens list --json`` prints of each token (README, "Command line").
TOKEN_KEYS = {
    "id",
    "name",
    "preview",
    "created_at",
    "created_by",
    "last_used_at",
    "expires_at",
    "environments",
    "status",
}


def generate(cli, project="Web", *extra):
    """``tokens generate``, which must succeed; its result (the token on ``out``)."""
    result = cli("tokens", "generate", "--project", project, *extra)
    assert result.code == 0, result.err
    return result


def one_line(text):
    """Whether ``text`` is one line, and no traceback."""
    return text.count("\n") == 1 and "Traceback" not in text


def listed(cli, project="Web"):
    """``tokens list --json`` of ``project``: its rows, newest first."""
    return json.loads(cli("tokens", "list", "--project", project, "--json").out)


def listed_by_id(cli, project="web"):
    """``tokens list --json`` of ``project``, by token id."""
    return {
        row["id"]: row
        for row in json.loads(cli("tokens", "list", "--project", project, "--json").out)
    }


def new_token_id(cli, *extra):
    """The id of a token ``tokens generate --project web`` makes."""
    made = cli("tokens", "generate", "--project", "web", *extra)
    assert made.code == 0, made.err
    return max(listed_by_id(cli))


def subcommands(parser):
    """The subparsers of ``parser``'s command (or action), by name."""
    [choices] = [a.choices for a in parser._actions if a.dest in ("command", "action")]
    return choices
