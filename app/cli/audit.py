"""``audit --project NAME``: who generated, renamed and revoked a project's tokens; and
the whole trail as a hash chain, checked, anchored and shipped: ``audit verify``,
``audit head`` and ``audit export`` (``app.audit_chain``, ``app.audit_export``)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from app.cli.arguments import UsageError, add_json_flag, add_project_option, open_service
from app.cli.output import EXIT_FAILED, EXIT_OK, exact, print_json, print_table

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from app.audit_verify import Head, Verdict

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
        help="show who generated, renamed and revoked a project's tokens; verify, anchor "
        "and export the audit trail",
        description="With --project, print the project's audit trail, newest first: when, "
        "what, which token (id and masked preview) and who. The actions check, anchor and "
        "export the whole trail, a hash chain across all projects.",
        parents=[database],
    )
    add_project_option(audit, required=False)
    add_json_flag(audit)
    audit.set_defaults(handler=_audit)
    actions = audit.add_subparsers(dest="action", metavar="ACTION")
    add_chain_actions(actions, database)


PARSERS = {"audit": add_audit}


def _audit(args: argparse.Namespace) -> int:
    if args.project is None:
        raise UsageError(
            "audit needs --project NAME, or an action: verify, head or export "
            "(see deployment-tokens audit --help)"
        )
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


# The whole trail's chain


def add_chain_actions(actions: Any, database: argparse.ArgumentParser) -> None:
    """The chain's actions under ``audit``."""
    verify = actions.add_parser(
        "verify",
        help="check that no event of the audit trail was changed, removed, inserted or reordered",
        description="Recompute the audit trail's hash chain, across all projects. Exits 0 "
        "with the number of events and the head (SEQ:HASH), or 1 naming the first event "
        "that was changed, removed, inserted or reordered. With --head, also fails when "
        "that earlier head is no longer in the chain: the newest events were cut off. On "
        "PostgreSQL, needs viewer on all projects.",
        parents=[database],
    )
    verify.add_argument(
        "--head", metavar="SEQ:HASH", type=_head, help="a head printed by 'audit head' earlier"
    )
    verify.add_argument("--json", action="store_true", help="print a JSON object")
    verify.set_defaults(handler=_verify)
    head = actions.add_parser(
        "head",
        help="print the newest event as SEQ:HASH, to anchor elsewhere",
        description="Print the audit trail's head, SEQ:HASH. Keep it somewhere the "
        "database's users cannot write (a ticket, a commit, a log shipper): 'audit verify "
        "--head' then proves that no event up to it was cut off.",
        parents=[database],
    )
    head.set_defaults(handler=_print_head)
    export = actions.add_parser(
        "export",
        help="write the audit trail as JSON Lines or OCSF, oldest first",
        description="Write every event of every project, oldest first, one JSON object per "
        "line: seq, hash, at, actor, action, project, token_id, preview and detail (jsonl), "
        "or OCSF Entity Management events (ocsf). Never a token. Streams: any size of log "
        "in constant memory.",
        parents=[database],
    )
    export.add_argument("--format", choices=("jsonl", "ocsf"), default="jsonl")
    export.add_argument(
        "--since",
        metavar="ISO8601",
        type=_since,
        help="only events at or after this time (UTC unless it says otherwise), for "
        "incremental exports",
    )
    export.set_defaults(handler=_export)


def _verify(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        verdict = service.verify_audit(args.head)
    if args.json:
        print(json.dumps(_verdict_json(verdict)))
    elif verdict.intact:
        events = f"{verdict.events} event{'' if verdict.events == 1 else 's'}"
        print(f"Intact: {events}, head {_head_text(verdict.head)}")
    else:
        print(f"Broken at event {verdict.broken_at}: {verdict.reason}")
    return EXIT_OK if verdict.intact else EXIT_FAILED


def _verdict_json(verdict: Verdict) -> dict[str, object]:
    found: dict[str, object] = {
        "intact": verdict.intact,
        "events": verdict.events,
        "head": None if verdict.head is None else str(verdict.head),
    }
    if not verdict.intact:
        found.update(broken_at=verdict.broken_at, reason=verdict.reason)
    return found


def _head_text(head: Head | None) -> str:
    return "none (no events yet)" if head is None else str(head)


def _print_head(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        head = service.audit_head()
    if head is None:
        print("The audit trail is empty: there is no head to anchor yet.", file=sys.stderr)
    else:
        print(head)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from app.audit_export import jsonl_record, ocsf_record
    from app.cli.arguments import product_version

    version = product_version()
    # One encoder for every line: json.dumps with options makes a new one each call.
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    write = sys.stdout.write
    with open_service(args) as service:
        for event in service.export_audit(args.since):
            record = jsonl_record(event) if args.format == "jsonl" else ocsf_record(event, version)
            write(encode(record) + "\n")
    sys.stdout.flush()
    return EXIT_OK


def _head(text: str) -> Head:
    from app.audit_verify import Head

    try:
        return Head.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _since(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time: give it as ISO 8601, for example 2026-12-01 or "
            "2026-12-01T09:30:00Z"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
