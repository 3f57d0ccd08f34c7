"""``audit --project NAME``: who generated, renamed and revoked a project's tokens."""

from __future__ import annotations

import sys

from app.cli.arguments import add_json_flag, add_project_option, open_service
from app.cli.output import EXIT_OK, exact, print_json, print_table

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

# What --json prints of each event: stable, scripts parse them.
AUDIT_JSON_KEYS = (
    "id",
    "project",
    "action",
    "token_id",
    "token_preview",
    "actor",
    "occurred_at",
    "detail",
)


def add_audit(commands: Any, database: argparse.ArgumentParser) -> None:
    audit = commands.add_parser(
        "audit",
        help="show who generated, renamed and revoked a project's tokens",
        description="Print the project's audit trail, newest first: when, what, which "
        "token (id and masked preview) and who.",
        parents=[database],
    )
    add_project_option(audit, required=True)
    add_json_flag(audit)
    audit.set_defaults(handler=_audit)


PARSERS = {"audit": add_audit}


def _audit(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        events = service.audit_log(args.project)
    if args.json:
        print_json(events, AUDIT_JSON_KEYS)
    elif not events:
        print("Nothing has happened in this project yet.", file=sys.stderr)
    else:
        print_table(
            ("WHEN", "ACTION", "TOKEN ID", "TOKEN", "BY", "DETAILS"),
            [
                (
                    exact(e.occurred_at),
                    e.action,
                    "-" if e.token_id is None else e.token_id,
                    e.token_preview or "-",
                    e.actor,
                    e.detail,
                )
                for e in events
            ],
        )
    return EXIT_OK
