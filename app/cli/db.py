"""``db setup``, ``db grant-verifier ROLE`` and ``db grant-exchanger ROLE``: administer the
database."""

from __future__ import annotations

import sys

from app.cli.output import EXIT_OK

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any


def add_db(commands: Any, database: argparse.ArgumentParser) -> None:
    database_commands = commands.add_parser(
        "db", help="administer the database (PostgreSQL roles)", parents=[database]
    )
    db_actions = database_commands.add_subparsers(dest="action", metavar="ACTION", required=True)
    setup = db_actions.add_parser(
        "setup",
        help="create or upgrade the schema and its access control (as the database's owner)",
        description="Create the tables, or bring them up to this release, with PostgreSQL's "
        "row-level security and the levels of 'access grant'. Run it as the database's "
        "owner; running it again changes nothing. Other roles never create or upgrade "
        "anything: against an older schema they are told to have this run.",
        parents=[database],
    )
    setup.set_defaults(handler=_setup)
    grant = db_actions.add_parser(
        "grant-verifier",
        help="grant a PostgreSQL role exactly what 'serve' needs to verify",
        description="Grant ROLE (which must exist) read access to the tables verification "
        "reads and update access to two columns: a token's last_used_at and the change "
        "counter. The role cannot insert, delete or rename tokens or projects. Run it as "
        "the database's owner, and run 'serve' as ROLE.",
        parents=[database],
    )
    grant.add_argument("role", metavar="ROLE")
    grant.set_defaults(handler=_grant_verifier)
    exchanger = db_actions.add_parser(
        "grant-exchanger",
        help="grant a PostgreSQL role what 'serve' needs to verify and to exchange OIDC ID tokens",
        description="Grant ROLE what grant-verifier grants, and the exchange of trusted "
        "deployers' ID tokens (POST /v1/exchange): it may then issue tokens within what "
        "the projects' bindings allow, and nothing else. Give it only to the role of the "
        "'serve' that answers exchanges. Run it as the database's owner.",
        parents=[database],
    )
    exchanger.add_argument("role", metavar="ROLE")
    exchanger.set_defaults(handler=_grant_exchanger)


PARSERS = {"db": add_db}


def _setup(args: argparse.Namespace) -> int:
    from app.store.setup import set_up

    done = set_up(getattr(args, "database", None))
    print(f"The database {done.location} is set up, at schema version {done.version}.")
    if done.access_controlled:
        print(
            "PostgreSQL decides who may do what: give each person's login role a level "
            "with 'deployment-tokens access grant ROLE --project NAME --as LEVEL'."
        )
    return EXIT_OK


def _grant_verifier(args: argparse.Namespace) -> int:
    from app.store.verifier_role import grant_verifier

    granted = grant_verifier(getattr(args, "database", None), args.role)
    for statement in granted:
        print(f"{statement};")
    print(f"Role {args.role!r} can now verify, and nothing else.", file=sys.stderr)
    return EXIT_OK


def _grant_exchanger(args: argparse.Namespace) -> int:
    from app.store.verifier_role import grant_verifier

    granted = grant_verifier(getattr(args, "database", None), args.role, exchanges=True)
    for statement in granted:
        print(f"{statement};")
    print(
        f"Role {args.role!r} can now verify, and exchange trusted deployers' ID tokens.",
        file=sys.stderr,
    )
    return EXIT_OK
