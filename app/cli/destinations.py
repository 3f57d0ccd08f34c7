"""``destinations add|list|remove|test``: where a project's tokens are pushed (an
OpenBao/Vault KV v2 secret, a GitHub Actions secret, a GitLab CI/CD variable);
``tokens generate|rotate --push DEST`` (called from ``app.cli.tokens``); and
``rotate-due``, for the timer ``notify`` runs on.

The plaintext of a pushed token reaches no terminal: stdout says where it went, with
the preview. Credentials come from the environment, as each tool's own CLI reads them.
"""

from __future__ import annotations

import argparse
import sys

from app.cli.arguments import UsageError, add_json_flag, add_project_option, open_service
from app.cli.output import EXIT_FAILED, EXIT_OK, human, print_json, print_table
from app.errors import ValidationError

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from app.destinations.targets import Target
    from app.records import DestinationRecord
    from app.use_cases.pushing import PushPlan

# What --json prints of each destination: stable, scripts parse them.
DESTINATION_JSON_KEYS = (
    "id",
    "name",
    "kind",
    "where",
    "credential_variables",
    "created_at",
    "created_by",
    "last_push_at",
    "last_push_outcome",
    "last_push_detail",
)
DUE_JSON_KEYS = ("project", "token_id", "name", "preview", "expires_at", "destination",
                 "outcome", "detail", "successor_id")  # fmt: skip


def add_destinations(commands: Any, database: argparse.ArgumentParser) -> None:
    destinations = commands.add_parser(
        "destinations",
        help="add, list, test and remove where a project's tokens are pushed",
        parents=[database],
    )
    actions = destinations.add_subparsers(dest="action", metavar="ACTION", required=True)
    _add_parser(actions, database)
    listing = actions.add_parser("list", help="list a project's destinations", parents=[database])
    add_project_option(listing, required=True)
    add_json_flag(listing)
    listing.set_defaults(handler=_list)
    for action, helped, handler in (
        ("remove", "remove a destination (what was pushed there stays)", _remove),
        ("test", "write and read back a harmless marker, never a token", _test),
    ):
        parser = actions.add_parser(action, help=helped, parents=[database])
        add_project_option(parser, required=True)
        parser.add_argument("destination", metavar="DEST", help="its name")
        parser.set_defaults(handler=handler)


def add_rotate_due(commands: Any, database: argparse.ArgumentParser) -> None:
    due = commands.add_parser(
        "rotate-due",
        help="rotate every pushed token inside its project's rotate-before window",
        description="Rotate every token that was pushed to a destination and expires within "
        "its project's rotate-before window (projects policy --rotate-before DAYS), with the "
        "project's grace, pushing each successor where the token was pushed. Meant for the "
        "timer notify runs on. Every step is audited; a failure is told to the notification "
        "channels. Exit 1 when any rotation failed.",
        parents=[database],
    )
    due.add_argument("--dry-run", action="store_true", help="say what is due; change nothing")
    add_json_flag(due)
    due.set_defaults(handler=_rotate_due)


PARSERS = {"destinations": add_destinations, "rotate-due": add_rotate_due}


def _add_parser(actions: Any, database: argparse.ArgumentParser) -> None:
    add = actions.add_parser(
        "add",
        help="push this project's tokens to a Vault/OpenBao secret, GitHub or GitLab",
        description="Name a place the project's tokens can be pushed to (tokens generate "
        "--push DEST). Credentials are never stored: a push reads VAULT_TOKEN or BAO_TOKEN, "
        "GITHUB_TOKEN or GH_TOKEN (and GITHUB_API_URL), or GITLAB_TOKEN from the environment.",
        parents=[database],
    )
    add_project_option(add, required=True)
    add.add_argument("destination", metavar="DEST", help="its name, as --push names it")
    kind = add.add_mutually_exclusive_group(required=True)
    kind.add_argument("--vault", metavar="URL", help="an OpenBao/Vault server (KV version 2)")
    kind.add_argument("--github", metavar="OWNER/REPO", help="a GitHub repository's secret")
    kind.add_argument("--gitlab", metavar="URL", help="a GitLab instance's CI/CD variable")
    add.add_argument("--path", metavar="MOUNT/PATH", help="with --vault: secret/ci/web")
    add.add_argument("--field", metavar="F", help="with --vault: the key (default: token)")
    add.add_argument("--secret", metavar="NAME", help="with --github: the secret's name")
    add.add_argument(
        "--environment", metavar="E", help="with --github: an environment's secret instead"
    )
    add.add_argument("--gitlab-project", metavar="ID", help="with --gitlab: the project's id")
    add.add_argument("--variable", metavar="NAME", help="with --gitlab: the variable's key")
    add.add_argument(
        "--environment-scope", metavar="S", help="with --gitlab: its environment scope (*)"
    )
    add.set_defaults(handler=_add)


def _target(args: argparse.Namespace) -> Target:
    """The target the options describe; UsageError (exit 2) for a wrong combination or
    a value the service would refuse."""
    from app.destinations import github_target, gitlab_target, vault_target

    try:
        if args.vault is not None:
            _only(args, "--vault", ("path", "field"), ("path",))
            return vault_target(args.vault, args.path, args.field)
        if args.github is not None:
            _only(args, "--github", ("secret", "environment"), ("secret",))
            return github_target(args.github, args.secret, args.environment)
        _only(args, "--gitlab", ("gitlab_project", "variable", "environment_scope"),
              ("gitlab_project", "variable"))  # fmt: skip
        return gitlab_target(
            args.gitlab, args.gitlab_project, args.variable, args.environment_scope
        )
    except ValidationError as error:
        raise UsageError(str(error)) from None


_OPTIONS = ("path", "field", "secret", "environment", "gitlab_project", "variable",
            "environment_scope")  # fmt: skip


def _only(
    args: argparse.Namespace, kind: str, allowed: tuple[str, ...], needed: tuple[str, ...]
) -> None:
    for name in _OPTIONS:
        option = "--" + name.replace("_", "-")
        if name in needed and getattr(args, name) is None:
            raise UsageError(f"{kind} needs {option}")
        if name not in allowed and getattr(args, name) is not None:
            raise UsageError(f"{option} does not go with {kind}")


def _add(args: argparse.Namespace) -> int:
    target = _target(args)
    with open_service(args) as service:
        record = service.add_destination(args.project, args.destination, target)
    print(f"Added destination '{record.name}' to project '{record.project}': {record.description}.")
    variables = " or ".join(record.credential_variables)
    print(f"A push reads its credential from {variables}.", file=sys.stderr)
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        found = service.list_destinations(args.project)
    if args.json:
        print_json([_json(record) for record in found], DESTINATION_JSON_KEYS)
    elif not found:
        print("No destinations.", file=sys.stderr)
    else:
        rows = [(r.name, r.description, _last(r)) for r in found]
        print_table(("DEST", "WHERE", "LAST PUSH"), rows)
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        record = service.remove_destination(args.project, args.destination)
    print(f"Removed destination '{record.name}' from project '{record.project}'.")
    return EXIT_OK


def _test(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        receipt = service.check_destination(args.project, args.destination)
    print(f"{args.destination.strip()}: {receipt.where}: {receipt.confirmed}.")
    return EXIT_OK


# Pushing (tokens generate|rotate --push DEST)


def push_generated(args: argparse.Namespace) -> int:
    """``tokens generate --push DEST``: the plaintext goes to DEST only."""
    from app.cli.lifetimes import expiry
    from app.use_cases.pushing import Pushed

    with open_service(args) as service:
        done = service.generate_and_push(
            args.project,
            args.push,
            args.name,
            expiry=expiry(args),
            environments=args.environments or (),
            dry_run=args.dry_run,
        )
    if not isinstance(done, Pushed):
        return _plan(done)
    token = done.token
    print(
        f"Pushed token {token.id} '{token.name}' ({token.preview}) of project "
        f"'{token.project}' to {done.destination}: {done.receipt.where}; "
        f"{done.receipt.confirmed}."
    )
    return EXIT_OK


def push_rotated(args: argparse.Namespace) -> int:
    """``tokens rotate --push DEST``: the four steps; the successor reaches DEST only."""
    from app.use_cases.pushing import Pushed

    with open_service(args) as service:
        done = service.rotate_and_push(
            args.project, args.token_id, args.push, grace=args.grace, dry_run=args.dry_run
        )
    if not isinstance(done, Pushed):
        return _plan(done)
    token = done.token
    stops = "was revoked" if not args.grace else f"stops at {human(done.old_stops_at)}"
    print(
        f"Rotated token {done.replaced}: the new token {token.id} '{token.name}' "
        f"({token.preview}) was pushed to {done.destination}: {done.receipt.where}; "
        f"{done.receipt.confirmed}. The old token {stops}."
    )
    return EXIT_OK


def _plan(plan: PushPlan) -> int:
    print("Dry run: nothing was made or pushed. Would:")
    for step in plan.steps:
        print(f"  {step}")
    return EXIT_OK


def _rotate_due(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        done = service.rotate_due(dry_run=args.dry_run)
    if args.json:
        print_json([_due_json(item) for item in done], DUE_JSON_KEYS)
    elif not done:
        print("Nothing is due.", file=sys.stderr)
    else:
        for item in done:
            successor = f" -> token {item.successor.id}" if item.successor is not None else ""
            print(
                f"{item.project}: token {item.token.id} '{item.token.name}' "
                f"({item.token.preview}) to {item.destination}: {item.outcome}{successor}"
                f"{': ' + item.detail if item.detail else ''}"
            )
    return EXIT_FAILED if any(item.outcome == "failed" for item in done) else EXIT_OK


def _last(record: DestinationRecord) -> str:
    if record.last_push_outcome is None:
        return "never"
    return f"{record.last_push_outcome} {human(record.last_push_at)}"


def _json(record: DestinationRecord) -> dict[str, object]:
    return {
        "id": record.id,
        "name": record.name,
        "kind": record.kind,
        "where": record.description,
        "credential_variables": list(record.credential_variables),
        "created_at": record.created_at,
        "created_by": record.created_by,
        "last_push_at": record.last_push_at,
        "last_push_outcome": record.last_push_outcome,
        "last_push_detail": record.last_push_detail,
    }


def _due_json(item: Any) -> dict[str, object]:
    return {
        "project": item.project,
        "token_id": item.token.id,
        "name": item.token.name,
        "preview": item.token.preview,
        "expires_at": item.token.expires_at,
        "destination": item.destination,
        "outcome": item.outcome,
        "detail": item.detail,
        "successor_id": None if item.successor is None else item.successor.id,
    }
