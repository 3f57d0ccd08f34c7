"""``clients add|list|revoke`` and ``revocation-keys add|list|revoke``: the holders of a
secret kept only as a digest (app.use_cases.secret_holders), each kind's commands made from one row
of ``HOLDERS``.

A new kind of holder is a row here, its command's name in ``app.cli.COMMANDS``, and its
three methods on the service.
"""

from __future__ import annotations

import sys
from collections import namedtuple
from functools import partial

from app.cli.arguments import add_json_flag, open_service
from app.cli.output import EXIT_OK, PROG, human, print_json, print_table

# typing.TYPE_CHECKING without importing typing (2 ms of --help, which builds every
# command's parser): the record is declared for mypy here, and as a namedtuple that runs.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Any, NamedTuple

    class SecretHolder(NamedTuple):
        """One kind of holder as the command line shows it."""

        command: str  # its command: "clients"
        noun: str  # one of them, in messages: "introspection client"
        plural: str  # "introspection clients"
        help: str  # the command's help
        add_help: str
        name_example: str  # the help of add's NAME
        list_help: str
        revoke_help: str
        shown_once: str  # after "Added <noun> '<name>'. ", before its secret on stdout
        add_method: str  # the service's: add_method(name) -> (record, secret)
        list_method: str  # list_method() -> records
        revoke_method: str  # revoke_method(name) -> record

else:
    SecretHolder = namedtuple(
        "SecretHolder",
        "command noun plural help add_help name_example list_help revoke_help shown_once "
        "add_method list_method revoke_method",
    )


HOLDERS = (
    SecretHolder(
        command="clients",
        noun="introspection client",
        plural="introspection clients",
        help="add, list and revoke the verification service's introspection clients",
        add_help="add a client; prints its secret alone on stdout, once",
        name_example="for example the gateway's name",
        list_help="list the clients",
        revoke_help="revoke a client's secret at once",
        shown_once="Its secret follows, shown once: the client sends its name and this "
        "secret with HTTP Basic to POST /v1/introspect.",
        add_method="add_client",
        list_method="list_clients",
        revoke_method="revoke_client",
    ),
    SecretHolder(
        command="revocation-keys",
        noun="revocation key",
        plural="revocation keys",
        help="add, list and revoke the keys of GitLab's Token Revocation API",
        add_help="add a key; prints it alone on stdout, once",
        name_example="for example the GitLab instance's name",
        list_help="list the keys",
        revoke_help="revoke a key at once",
        shown_once="It follows, shown once: configure it as GitLab's "
        "secret_detection_token_revocation_token.",
        add_method="add_revocation_key",
        list_method="list_revocation_keys",
        revoke_method="revoke_revocation_key",
    ),
)


def add_holder_commands(
    holder: SecretHolder, commands: Any, database: argparse.ArgumentParser
) -> None:
    """``holder``'s command with its add, list and revoke."""
    parser = commands.add_parser(holder.command, help=holder.help, parents=[database])
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help=holder.add_help, parents=[database])
    add.add_argument("name", metavar="NAME", help=holder.name_example)
    add.set_defaults(handler=partial(_add, holder))
    listing = actions.add_parser("list", help=holder.list_help, parents=[database])
    add_json_flag(listing)
    listing.set_defaults(handler=partial(_list, holder))
    revoke = actions.add_parser("revoke", help=holder.revoke_help, parents=[database])
    revoke.add_argument("name", metavar="NAME")
    revoke.set_defaults(handler=partial(_revoke, holder))


PARSERS: dict[str, Callable[[Any, argparse.ArgumentParser], None]] = {
    holder.command: partial(add_holder_commands, holder) for holder in HOLDERS
}


def _add(holder: SecretHolder, args: argparse.Namespace) -> int:
    with open_service(args) as service:
        record, secret = getattr(service, holder.add_method)(args.name)
    print(f"Added {holder.noun} '{record.name}'. {holder.shown_once}", file=sys.stderr)
    print(secret, flush=True)
    return EXIT_OK


def _list(holder: SecretHolder, args: argparse.Namespace) -> int:
    """A JSON array, a table, or a hint when there are none."""
    with open_service(args) as service:
        found = getattr(service, holder.list_method)()
    if args.json:
        print_json(found, ("id", "name", "created_at", "created_by"))
    elif not found:
        print(
            f"No {holder.plural}. Add one with: {PROG} {holder.command} add NAME",
            file=sys.stderr,
        )
    else:
        print_table(
            ("NAME", "CREATED", "BY"), [(h.name, human(h.created_at), h.created_by) for h in found]
        )
    return EXIT_OK


def _revoke(holder: SecretHolder, args: argparse.Namespace) -> int:
    with open_service(args) as service:
        record = getattr(service, holder.revoke_method)(args.name)
    print(f"Revoked {holder.noun} '{record.name}'.")
    return EXIT_OK
