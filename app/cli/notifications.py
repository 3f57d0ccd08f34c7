"""``notifications add|list|remove|thresholds`` and ``notify``: who hears of what, and the
run (cron, a systemd timer) that tells them.

A webhook's signing secret is printed once, alone on stdout, when it is added, like a
token. ``notify`` prints one line per warning and per delivery, and nothing when there
was nothing to send (cron mails whatever a job prints); it exits 1 when a delivery failed.
"""

from __future__ import annotations

import re
import sys

from app.cli.arguments import add_json_flag, open_service
from app.cli.output import EXIT_FAILED, EXIT_OK, PROG, human, print_json, print_table, quoted

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from app.notifications.items import ExpiringToken
    from app.notifications.records import Delivery, NotificationRecord

# What --json prints of each notification: stable, scripts parse them.
NOTIFICATION_JSON_KEYS = (
    "id",
    "project",
    "kind",
    "address",
    "created_at",
    "created_by",
    "last_delivery",
    "last_delivery_at",
    "last_delivery_detail",
)
EVERY_PROJECT = "(all projects)"


def add_notifications(commands: Any, database: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "notifications",
        help="add, list and remove who is told of expiring tokens, leaks and audit events",
        description="E-mail recipients hear of tokens about to expire and of tokens revoked "
        "after a leak, in one digest per run of notify; webhooks get every audit event and "
        "every expiry warning, one signed POST each. Of one project, or with --all-projects "
        "of every project.",
        parents=[database],
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add an e-mail recipient or a webhook (admin of the project)",
        description="A webhook's signing secret is printed alone on stdout, once: keep it "
        "where the receiver checks each POST's X-Deployment-Tokens-Signature with it.",
        parents=[database],
    )
    _add_scope(add)
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument("--email", metavar="ADDRESS", help="who is mailed")
    where.add_argument(
        "--webhook",
        metavar="URL",
        help="where events are POSTed (https://, or http:// to loopback)",
    )
    add.set_defaults(handler=_add)
    listing = actions.add_parser(
        "list", help="list recipients and webhooks, with each one's last delivery",
        parents=[database],
    )  # fmt: skip
    _add_scope(listing)
    add_json_flag(listing)
    listing.set_defaults(handler=_list)
    remove = actions.add_parser("remove", help="remove a recipient or webhook", parents=[database])
    _add_scope(remove)
    remove.add_argument("id", metavar="ID", type=_notification_id, help="from 'notifications list'")
    remove.set_defaults(handler=_remove)
    days = actions.add_parser(
        "thresholds",
        help="show or set how many days before expiry a token is warned about",
        description="Without DAYS, show the project's thresholds (30,7,1 unless set). Each "
        "(token, threshold) is warned about once; a token past several at once gets one "
        "warning, for the nearest.",
        parents=[database],
    )
    days.add_argument("--project", metavar="NAME", required=True, help="the project's name")
    days.add_argument("days", metavar="DAYS", nargs="?", help="for example 30,7,1; or none")
    days.set_defaults(handler=_thresholds)


def add_notify(commands: Any, database: argparse.ArgumentParser) -> None:
    notify = commands.add_parser(
        "notify",
        help="send expiry warnings, leak revocations and audit events (for cron or a timer)",
        description="Record the expiry warnings now due and send every recipient and webhook "
        "what it has not had yet; a delivery that fails is tried again at the next run. "
        "Needs viewer on all projects on PostgreSQL. E-mail goes through "
        "ML_DEPLOYMENT_SMTP_URL (smtp://USER:PASSWORD@HOST:587/?from=ADDRESS).",
        parents=[database],
    )
    notify.add_argument(
        "--dry-run", action="store_true", help="say what would be sent; send and record nothing"
    )
    notify.set_defaults(handler=_notify)


PARSERS = {"notifications": add_notifications, "notify": add_notify}


def _add_scope(parser: argparse.ArgumentParser) -> None:
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--project", metavar="NAME", help="the project's name")
    scope.add_argument(
        "--all-projects", action="store_true", help="every project, present and future"
    )


def _notification_id(text: str) -> int:
    import argparse

    from app.store import schema

    # ASCII digits only, as token ids: int() would take "1_0" and other scripts' digits.
    if not re.fullmatch(r"[0-9]{1,19}", text.strip(), re.ASCII) or not (
        1 <= int(text) <= schema.MAX_ID
    ):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a notification's id (a whole number, from 'notifications list')"
        )
    return int(text)


def _add(args: argparse.Namespace) -> int:
    kind, address = ("email", args.email) if args.email is not None else ("webhook", args.webhook)
    with open_service(args) as service:
        record, secret = service.add_notification(args.project, kind, address)
    added = f"Added {_noun(record)} {record.id} {_scope(record.project)}: {record.address}."
    if secret is None:
        print(added)
        return EXIT_OK
    print(
        f"{added} Its signing secret follows, shown once: the receiver checks each POST's "
        "X-Deployment-Tokens-Signature with it (README, Notifications).",
        file=sys.stderr,
    )
    print(secret, flush=True)
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        found = service.list_notifications(args.project)
    if args.json:
        print_json([_json(record) for record in found], NOTIFICATION_JSON_KEYS)
    elif not found:
        scope = "--all-projects" if args.project is None else f"--project {quoted(args.project)}"
        print(
            f"No notifications {_scope(args.project)}. Add one with: {PROG} notifications "
            f"add {scope} --email ADDRESS (or --webhook URL)",
            file=sys.stderr,
        )
    else:
        print_table(
            ("ID", "PROJECT", "KIND", "ADDRESS", "LAST DELIVERY"),
            [(r.id, r.project or EVERY_PROJECT, r.kind, r.address, _last(r)) for r in found],
        )
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        record = service.remove_notification(args.project, args.id)
    print(f"Removed {_noun(record)} {record.id} {_scope(record.project)}: {record.address}.")
    return EXIT_OK


def _thresholds(args: argparse.Namespace) -> int:
    from app.notifications import thresholds

    with open_service(args) as service:
        if args.days is None:
            days = service.warning_days(args.project)
        else:
            days = service.set_warning_days(args.project, thresholds.parse_days(args.days))
    print(f"Expiry warnings of project '{args.project.strip()}': {thresholds.describe(days)}.")
    return EXIT_OK


def _notify(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        report = service.notify(dry_run=args.dry_run)
    verb = "Would warn" if report.dry_run else "Warned"
    for warning in report.warnings:
        print(f"{verb}: {_warning(warning)}")
    for delivery in report.deliveries:
        print(_delivery(delivery))
    if report.dry_run:
        nothing = not report.warnings and not report.deliveries
        print("Nothing would be sent." if nothing else "Dry run: nothing was sent or recorded.",
              file=sys.stderr)  # fmt: skip
    return EXIT_FAILED if report.failed else EXIT_OK


def _warning(warning: ExpiringToken) -> str:
    return (
        f"{warning.project} / {warning.name} ({warning.preview}, id {warning.token_id}) "
        f"expires {human(warning.expires_at)}, within {warning.threshold_days} "
        f"day{'s' * (warning.threshold_days != 1)}"
    )


def _delivery(delivery: Delivery) -> str:
    from app.notifications.addresses import shown

    target = delivery.target
    where = shown(target.kind, target.address)
    what = f"{_noun(target)} {target.id} ({where})"
    outcome = {"sent": "Sent to", "failed": "Failed:", "would send": "Would send to"}
    return f"{outcome[delivery.outcome]} {what}: {delivery.detail}"


def _json(record: NotificationRecord) -> dict[str, object]:
    last = record.last_delivery
    return {
        "id": record.id,
        "project": record.project,
        "kind": record.kind,
        "address": record.address,
        "created_at": record.created_at,
        "created_by": record.created_by,
        "last_delivery": None if last is None else last.outcome,
        "last_delivery_at": None if last is None else last.at,
        "last_delivery_detail": None if last is None else last.detail,
    }


def _last(record: NotificationRecord) -> str:
    last = record.last_delivery
    if last is None:
        return "never"
    return f"{last.outcome} {human(last.at)}: {last.detail}"


def _noun(record: NotificationRecord) -> str:
    return "e-mail recipient" if record.kind == "email" else "webhook"


def _scope(project: str | None) -> str:
    return "for all projects" if project is None else f"for project '{project}'"
