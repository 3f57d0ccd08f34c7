"""A project's settings: ``environments add|list|remove`` and ``projects policy``."""

from __future__ import annotations

import argparse
import sys

from app import durations
from app.cli.arguments import add_json_flag, add_project_option, open_service
from app.cli.lifetimes import grace, optional_duration
from app.cli.output import EXIT_OK, PROG, print_json, quoted

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# What --json prints of each environment: stable, scripts parse them.
ENVIRONMENT_JSON_KEYS = ("id", "name", "created_at")


def add_environments(commands: Any, database: argparse.ArgumentParser) -> None:
    environments = commands.add_parser(
        "environments",
        help="add, list and remove the environments a project deploys to",
        parents=[database],
    )
    environment_commands = environments.add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    env_add = environment_commands.add_parser("add", help="add an environment", parents=[database])
    add_project_option(env_add, required=True)
    env_add.add_argument("environment", metavar="ENV", help="for example staging or production")
    env_add.set_defaults(handler=_environments_add)
    env_list = environment_commands.add_parser(
        "list", help="list a project's environments", parents=[database]
    )
    add_project_option(env_list, required=True)
    add_json_flag(env_list)
    env_list.set_defaults(handler=_environments_list)
    env_remove = environment_commands.add_parser(
        "remove", help="remove an environment no token is limited to", parents=[database]
    )
    add_project_option(env_remove, required=True)
    env_remove.add_argument("environment", metavar="ENV")
    env_remove.set_defaults(handler=_environments_remove)


PARSERS = {"environments": add_environments}


def add_policy(project_commands: Any, database: argparse.ArgumentParser) -> None:
    """``projects policy``: a subcommand of ``projects``, a setting like environments."""
    policy = project_commands.add_parser(
        "policy",
        help="show or change a project's token policy",
        description="Show the project's token policy: the default lifetime of a new token, "
        "the longest lifetime allowed, and whether tokens may never expire. Options change "
        "it; tokens already made keep their expiry. DURATION is " + durations.DURATION_HELP,
        parents=[database],
    )
    add_project_option(policy, required=True)
    policy.add_argument(
        "--default-lifetime",
        metavar="DURATION|none",
        type=optional_duration,
        default=argparse.SUPPRESS,
        help="a new token's lifetime when none is chosen ('none': No expiry)",
    )
    policy.add_argument(
        "--max-lifetime",
        metavar="DURATION|none",
        type=optional_duration,
        default=argparse.SUPPRESS,
        help="the longest lifetime allowed ('none': no limit); implies --forbid-no-expiry",
    )
    no_expiry = policy.add_mutually_exclusive_group()
    no_expiry.add_argument(
        "--allow-no-expiry",
        dest="allow_no_expiry",
        action="store_true",
        default=None,
        help="allow tokens that never expire",
    )
    no_expiry.add_argument(
        "--forbid-no-expiry",
        dest="allow_no_expiry",
        action="store_false",
        help="refuse tokens that never expire",
    )
    policy.add_argument(
        "--rotate-before",
        metavar="DAYS|off",
        type=_rotate_before,
        default=argparse.SUPPRESS,
        help="rotate-due rotates pushed tokens this many days before they expire ('off': "
        "only by hand)",
    )
    policy.add_argument(
        "--rotation-grace",
        metavar="DURATION",
        type=grace,
        default=argparse.SUPPRESS,
        help="how long the old token keeps working after rotate-due rotates it (0: at once)",
    )
    policy.set_defaults(handler=_policy)


def _policy(args: argparse.Namespace) -> int:
    wanted = {
        name: getattr(args, name)
        for name in ("default_lifetime", "max_lifetime")
        if hasattr(args, name)
    }
    if args.allow_no_expiry is not None:
        wanted["allow_no_expiry"] = args.allow_no_expiry
    elif wanted.get("max_lifetime") is not None:
        wanted["allow_no_expiry"] = False

    from app.use_cases.destinations import describe_rotation_policy
    from app.use_cases.project_settings import describe_policy

    with open_service(args) as service:
        policy = service.token_policy(args.project)
        if wanted:
            policy = service.set_token_policy(args.project, policy._replace(**wanted))
        rotation = service.rotation_policy(args.project)
        if hasattr(args, "rotate_before") or hasattr(args, "rotation_grace"):
            rotation = service.set_rotation_policy(
                args.project,
                getattr(args, "rotate_before", rotation.rotate_before_days),
                getattr(args, "rotation_grace", rotation.grace),
            )

    print(f"Token policy of '{args.project.strip()}': {describe_policy(policy)}.")
    print(f"Rotation: {describe_rotation_policy(rotation)}.")
    return EXIT_OK


def _rotate_before(text: str) -> int | None:
    """DAYS (1 to 365) or 'off'."""
    if text.strip().lower() == "off":
        return None
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days or 'off': {text!r}") from None
    if not 1 <= days <= 365:
        raise argparse.ArgumentTypeError("from 1 to 365 days, or 'off'")
    return days


def _environments_add(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        record = service.add_environment(args.project, args.environment)
    print(f"Added environment '{record.name}' to project '{record.project}'.")
    return EXIT_OK


def _environments_list(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        found = service.list_environments(args.project)
    if args.json:
        print_json(found, ENVIRONMENT_JSON_KEYS)
    elif not found:
        print(
            "No environments: tokens of this project are allowed everywhere it deploys. Add "
            f"one with: {PROG} environments add --project {quoted(args.project.strip())} ENV",
            file=sys.stderr,
        )
    else:
        for environment in found:
            print(environment.name)
    return EXIT_OK


def _environments_remove(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        record = service.remove_environment(args.project, args.environment)
    print(f"Removed environment '{record.name}' from project '{record.project}'.")
    return EXIT_OK
