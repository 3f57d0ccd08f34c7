"""``projects add|list|rename|delete`` (and ``projects policy``, in project_settings)."""

from __future__ import annotations

import sys

from app.cli import project_settings
from app.cli.arguments import add_json_flag, open_service
from app.cli.output import EXIT_FAILED, EXIT_OK, PROG, fail, human, print_json, print_table
from app.errors import StillHasTokensError

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from app.service import TokenService

# What --json prints of each project: stable, scripts parse them.
PROJECT_JSON_KEYS = ("id", "name", "created_at", "token_count")


def add_projects(commands: Any, database: argparse.ArgumentParser) -> None:
    projects = commands.add_parser(
        "projects", help="add, list, rename and delete projects", parents=[database]
    )
    project_commands = projects.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = project_commands.add_parser("add", help="add a project", parents=[database])
    add.add_argument("name", metavar="NAME", help="the project's name (unique, ignoring case)")
    add.set_defaults(handler=_add)
    listing = project_commands.add_parser("list", help="list the projects", parents=[database])
    add_json_flag(listing)
    listing.set_defaults(handler=_list)
    rename = project_commands.add_parser(
        "rename",
        help="rename a project",
        description="Give a project a new name. Its tokens keep working; a pipeline that "
        "names the project (verify --project, X-Deployment-Project) must use the new name.",
        parents=[database],
    )
    rename.add_argument("name", metavar="NAME", help="the project's current name")
    rename.add_argument("new_name", metavar="NEW_NAME", help="its new name")
    rename.set_defaults(handler=_rename)
    delete = project_commands.add_parser(
        "delete",
        help="delete a project, revoking its tokens",
        description="Delete a project with everything in it: its tokens (revoked at once, "
        "so pipelines that use them fail), environments and token policy. Its audit events "
        "stay in the audit trail (audit export), closed by a 'project deleted' event. This "
        "cannot be undone. A project that still has live tokens needs --yes.",
        parents=[database],
    )
    delete.add_argument("name", metavar="NAME", help="the project's name")
    delete.add_argument(
        "--yes", action="store_true", help="delete it even if it has live tokens, revoking them"
    )
    delete.set_defaults(handler=_delete)
    project_settings.add_policy(project_commands, database)


PARSERS = {"projects": add_projects}


def _add(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        project = service.add_project(args.name)
    print(f"Added project '{project.name}'.")
    return EXIT_OK


def _rename(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        old = _stored_name(service, args.name)
        project = service.rename_project(args.name, args.new_name)
    print(f"Renamed project '{old}' to '{project.name}'.")
    return EXIT_OK


def _delete(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        name = _stored_name(service, args.name)
        try:
            revoked = service.delete_project(args.name, revoke_tokens=args.yes)
        except StillHasTokensError as error:
            return fail(f"{error}: add --yes to delete it and revoke them", EXIT_FAILED)
    tokens = f"{revoked} token{'' if revoked == 1 else 's'}"
    print(f"Deleted project '{name}'" + (f" and revoked its {tokens}." if revoked else "."))
    return EXIT_OK


def _stored_name(service: TokenService, name: str) -> str:
    """The project's name as stored (``name`` may differ in case), for messages."""
    found = service.find_project(name)
    return found.name if found is not None else name.strip()


def _list(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        projects = service.list_projects()
    if args.json:
        print_json(projects, PROJECT_JSON_KEYS)
    elif not projects:
        print(f"No projects yet. Add one with: {PROG} projects add NAME", file=sys.stderr)
    else:
        print_table(
            ("ID", "NAME", "TOKENS", "CREATED"),
            [(p.id, p.name, p.token_count, human(p.created_at)) for p in projects],
        )
    return EXIT_OK
