"""``access grant|revoke|list`` and ``whoami``: who may do what, as PostgreSQL decides it.

The levels are the database's (row-level security and grants, ``app.store.access``); these
commands only ask it to change them and say what it holds. On SQLite there is one local
user, admin of everything: ``access`` exits 2 saying so, ``whoami`` says who that is.
"""

from __future__ import annotations

import sys

from app.access_levels import ACCESS_LEVELS
from app.cli.arguments import add_json_flag, open_service
from app.cli.output import EXIT_OK, print_json, print_table

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from app.records import AccessRecord

# What --json prints: stable, scripts parse them.
ACCESS_JSON_KEYS = ("role", "project", "level")
LEVEL_JSON_KEYS = ("project", "level")
EVERY_PROJECT = "(all projects)"


def add_access(commands: Any, database: argparse.ArgumentParser) -> None:
    access = commands.add_parser(
        "access",
        help="grant, revoke and list who may see and change each project (PostgreSQL)",
        description="Levels per project: viewer (reads tokens, environments, policy and "
        "audit log), manager (also generates, rotates, updates and revokes tokens), admin "
        "(also policy, environments, access, renaming and deleting the project). PostgreSQL "
        "enforces them for every client, psql included.",
        parents=[database],
    )
    actions = access.add_subparsers(dest="action", metavar="ACTION", required=True)
    grant = actions.add_parser(
        "grant",
        help="give a login role a level on a project, or on every project",
        description="Give ROLE (a PostgreSQL login role) a level on one project, or with "
        "--all-projects on every project, present and future; admin on all projects may "
        "also add projects. A level given again replaces the one before.",
        parents=[database],
    )
    grant.add_argument("role", metavar="ROLE", help="the person's PostgreSQL login role")
    _add_scope(grant)
    grant.add_argument(
        "--as", dest="level", required=True, choices=ACCESS_LEVELS, help="the level to give"
    )
    grant.set_defaults(handler=_grant)
    revoke = actions.add_parser(
        "revoke",
        help="take a login role's level on a project, or on every project, away",
        parents=[database],
    )
    revoke.add_argument("role", metavar="ROLE", help="the person's PostgreSQL login role")
    _add_scope(revoke)
    revoke.set_defaults(handler=_revoke)
    listing = actions.add_parser("list", help="list who holds which level", parents=[database])
    listing.add_argument(
        "--project", metavar="NAME", help="only the levels on this project (and on all)"
    )
    add_json_flag(listing)
    listing.set_defaults(handler=_list)


def add_whoami(commands: Any, database: argparse.ArgumentParser) -> None:
    whoami = commands.add_parser(
        "whoami",
        help="say which role you are connected as, and your levels",
        parents=[database],
    )
    whoami.add_argument("--json", action="store_true", help="print a JSON object")
    whoami.set_defaults(handler=_whoami)


PARSERS = {"access": add_access, "whoami": add_whoami}


def _add_scope(parser: argparse.ArgumentParser) -> None:
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--project", metavar="NAME", help="the project's name")
    scope.add_argument(
        "--all-projects", action="store_true", help="every project, present and future"
    )


def _grant(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        granted = service.grant_access(args.role, args.project, args.level)
    print(f"{granted.role} is now {granted.level} of {_scope(granted.project)}.")
    return EXIT_OK


def _revoke(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        revoked = service.revoke_access(args.role, args.project)
    print(f"{revoked.role} is no longer {revoked.level} of {_scope(revoked.project)}.")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        grants = service.list_access(args.project)
    if args.json:
        print_json(grants, ACCESS_JSON_KEYS)
    elif not grants:
        print(
            "Nobody holds a level here yet; the database's owner is admin of everything.",
            file=sys.stderr,
        )
    else:
        print_table(("ROLE", "PROJECT", "LEVEL"), [_row(g) for g in grants])
    return EXIT_OK


def _whoami(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        identity = service.whoami()
    if args.json:
        import json

        levels = [{key: getattr(g, key) for key in LEVEL_JSON_KEYS} for g in identity.levels]
        print(json.dumps({"role": identity.role, "levels": levels}, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"You are {identity.role} on {identity.database}.")
    if not identity.levels:
        print("You hold no level on any project: ask a project's admin for one.")
    for grant in identity.levels:
        print(f"  {grant.level} of {_scope(grant.project)}")
    return EXIT_OK


def _scope(project: str | None) -> str:
    return "every project" if project is None else f"project '{project}'"


def _row(grant: AccessRecord) -> tuple[str, str, str]:
    return (grant.role, EVERY_PROJECT if grant.project is None else grant.project, grant.level)
