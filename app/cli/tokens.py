"""``tokens generate|list|revoke|rotate|update|expiring``: a project's tokens.

A new token (generate, rotate) is printed alone on stdout, once; guidance goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta

from app import config, durations
from app.cli.arguments import (
    UsageError,
    add_environment_option,
    add_json_flag,
    add_project_option,
    add_token_id,
    open_service,
)
from app.cli.lifetimes import add_expiry_options, duration, expiry, grace
from app.cli.output import (
    EXIT_FAILED,
    EXIT_OK,
    PROG,
    ago,
    configure_logging,
    fail,
    human,
    print_json,
    print_table,
    quoted,
)

# typing.TYPE_CHECKING without importing typing: 2 ms of every generate, for annotations.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

    from app.issuing import Issued
    from app.records import TokenRecord

# What --json prints of each token: stable, scripts parse them.
TOKEN_JSON_KEYS = (
    "id",
    "name",
    "preview",
    "created_at",
    "created_by",
    "last_used_at",
    "expires_at",
    "environments",
    "status",
)


def add_tokens(commands: Any, database: argparse.ArgumentParser) -> None:
    token_parser = commands.add_parser(
        "tokens", help="generate, list and revoke tokens", parents=[database]
    )
    token_commands = token_parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for add in (_add_generate, _add_list, _add_revoke, _add_rotate, _add_update, _add_expiring):
        add(token_commands, database)


PARSERS = {"tokens": add_tokens}


def _add_generate(token_commands: Any, database: argparse.ArgumentParser) -> None:
    generate = token_commands.add_parser(
        "generate",
        help="generate a token; prints it alone on stdout, once",
        parents=[database],
    )
    add_project_option(generate, required=True)
    generate.add_argument(
        "--name",
        metavar="LABEL",
        help="a label to recognise the token by (default: a unique 'Deployment token N')",
    )
    add_expiry_options(generate)
    add_environment_option(
        generate,
        "an environment the token may deploy to (repeatable; "
        "default: all of the project's environments)",
    )
    _add_push_options(
        generate, "generate the token and push it to DEST (destinations add) instead of printing it"
    )
    # On an SQLite file it needs no logging; it configures logging itself before it
    # opens the full service.
    generate.set_defaults(handler=_generate, configures_logging=True)


def _add_push_options(parser: argparse.ArgumentParser, helped: str) -> None:
    parser.add_argument("--push", metavar="DEST", help=helped + "; stdout says where it went")
    parser.add_argument(
        "--dry-run", action="store_true", help="with --push: say what would happen; do nothing"
    )


def _add_list(token_commands: Any, database: argparse.ArgumentParser) -> None:
    token_list = token_commands.add_parser(
        "list", help="list a project's tokens (masked)", parents=[database]
    )
    add_project_option(token_list, required=True)
    add_json_flag(token_list)
    token_list.set_defaults(handler=_list)


def _add_revoke(token_commands: Any, database: argparse.ArgumentParser) -> None:
    revoke = token_commands.add_parser("revoke", help="revoke a token at once", parents=[database])
    add_project_option(revoke, required=True)
    add_token_id(revoke)
    revoke.set_defaults(handler=_revoke)


def _add_rotate(token_commands: Any, database: argparse.ArgumentParser) -> None:
    rotate = token_commands.add_parser(
        "rotate",
        help="replace a token; prints the successor alone on stdout, once",
        description="Generate a successor with the same name, environments and lifetime, "
        "print its plaintext alone on stdout, and stop the old token at now + GRACE "
        "(default 0: at once, when it is revoked). One transaction.",
        parents=[database],
    )
    add_project_option(rotate, required=True)
    add_token_id(rotate)
    rotate.add_argument(
        "--grace",
        metavar="DURATION",
        type=grace,
        default=timedelta(0),
        help="how long the old token keeps working (" + durations.DURATION_HELP + "; or 0)",
    )
    _add_push_options(
        rotate,
        "push the successor to DEST in four steps (create, push, "
        "confirm, finish); a failure revokes it and leaves the old token as it was",
    )
    rotate.set_defaults(handler=_rotate)


def _add_update(token_commands: Any, database: argparse.ArgumentParser) -> None:
    update = token_commands.add_parser(
        "update",
        help="change a token's expiry or environments",
        parents=[database],
    )
    add_project_option(update, required=True)
    add_token_id(update)
    add_expiry_options(update)
    scope = update.add_mutually_exclusive_group()
    scope.add_argument(
        "--environment",
        dest="environments",
        metavar="ENV",
        action="append",
        help="limit the token to these environments (repeatable)",
    )
    scope.add_argument(
        "--all-environments",
        action="store_true",
        help="allow the token in every environment of the project",
    )
    update.set_defaults(handler=_update)


def _add_expiring(token_commands: Any, database: argparse.ArgumentParser) -> None:
    expiring = token_commands.add_parser(
        "expiring",
        help="list tokens of all projects that expire soon or have expired",
        description="List, across all projects, the tokens that expire within DURATION "
        "(default 7d) or have expired and are still listed: for a cron job or a CI "
        "notification step. Exits 0 either way.",
        parents=[database],
    )
    expiring.add_argument(
        "--within",
        metavar="DURATION",
        type=duration,
        default=durations.EXPIRING_WITHIN,
        help="the window (" + durations.DURATION_HELP + ")",
    )
    add_json_flag(expiring)
    expiring.set_defaults(handler=_expiring)


def _generate(args: argparse.Namespace) -> int:
    if args.push is not None or args.dry_run:
        return _pushed(args, "push_generated")
    _require_stdout()
    # Scripts generate tokens for many projects: on an SQLite file, plain sqlite3 makes
    # the very write the service makes (app.issuing), without importing the store.
    from app import issuing

    url = config.database_url(getattr(args, "database", None))
    environments = args.environments or ()
    made = issuing.generate_in_sqlite_file(url, args.project, args.name, expiry(args), environments)
    record: TokenRecord | issuing.Issued
    if made is not None:
        record, plaintext = made
    else:
        configure_logging()
        with open_service(args) as service:
            record, plaintext = service.generate(
                args.project, args.name, expiry=expiry(args), environments=environments
            )
    return _hand_over(
        args,
        record,
        plaintext,
        f"Generated token {record.id} '{record.name}' ({record.preview}) for project "
        f"'{record.project}', {_scope(record)}. Save it in your secret manager now: it will "
        "not be shown again.",
    )


def _rotate(args: argparse.Namespace) -> int:
    if args.push is not None or args.dry_run:
        return _pushed(args, "push_rotated")
    _require_stdout()
    with open_service(args) as service:
        record, plaintext, stop = service.rotate_with_stop(
            args.project, args.token_id, grace=args.grace
        )
    # The old token stops at now + grace, or sooner when it expires sooner: say when.
    grace_period = durations.describe_duration(args.grace)
    if not args.grace:
        old = "was revoked"
    elif stop <= record.created_at:
        old = f"had expired already ({human(stop)})"
    elif stop - record.created_at < args.grace:
        old = (
            f"keeps working until {human(stop)}, when it expires anyway (before the "
            f"{grace_period} of grace would end)"
        )
    else:
        old = f"keeps working for {grace_period}, until {human(stop)}"
    return _hand_over(
        args,
        record,
        plaintext,
        f"Rotated token {args.token_id}: the new token {record.id} '{record.name}' "
        f"({record.preview}), {_scope(record)}; the old one {old}. Save the new token in "
        "your secret manager now: it will not be shown again.",
    )


def _pushed(args: argparse.Namespace, handler: str) -> int:
    """``--push DEST``: the plaintext goes to DEST, never to this terminal."""
    if args.push is None:
        raise UsageError("--dry-run goes with --push DEST")
    configure_logging()
    from app.cli import destinations

    result: int = getattr(destinations, handler)(args)
    return result


def _require_stdout() -> None:
    """Refuse to make a token that standard output cannot show (``>&-``)."""
    if sys.stdout is None:
        raise UsageError(
            "standard output is closed, so a new token would be shown to nobody; nothing "
            "was generated"
        )


def _hand_over(
    args: argparse.Namespace, record: TokenRecord | Issued, plaintext: str, guidance: str
) -> int:
    """Print the new token alone on stdout, then ``guidance`` on stderr; if the token
    cannot be written (a full disk, a closed pipe), revoke it at once, so no live token
    exists that nobody has."""
    try:
        sys.stdout.write(plaintext + "\n")
        sys.stdout.flush()
    except (OSError, ValueError) as error:
        _discard_stdout()
        reason = getattr(error, "strerror", None) or "it was closed"
        with open_service(args) as service:
            service.revoke(record.project, record.id)
        return fail(
            f"the new token could not be written to standard output ({reason}), so token "
            f"{record.id} was revoked at once and nobody holds it; run the command again "
            "with standard output going somewhere it can be written",
            EXIT_FAILED,
        )
    print(guidance, file=sys.stderr)
    return EXIT_OK


def _discard_stdout() -> None:
    """Point stdout at /dev/null: its buffer still holds the token, and the flush at exit
    would fail again with a second, louder error."""
    try:
        descriptor = os.open(os.devnull, os.O_WRONLY)
        os.dup2(descriptor, sys.stdout.fileno())
        os.close(descriptor)
    except (OSError, ValueError):
        pass


def _update(args: argparse.Namespace) -> int:
    new_expiry = expiry(args)
    if new_expiry is None and not args.environments and not args.all_environments:
        raise UsageError(
            "nothing to change: give --expires-in, --expires-on, --no-expiry, --environment "
            "or --all-environments"
        )
    with open_service(args) as service:
        record = None
        if new_expiry is not None:
            record = service.set_token_expiry(args.project, args.token_id, new_expiry)
        if args.environments or args.all_environments:
            record = service.set_token_environments(
                args.project, args.token_id, args.environments or ()
            )
    assert record is not None
    print(f"Updated token {record.id} '{record.name}' ({record.preview}): {_scope(record)}.")
    return EXIT_OK


def _expiring(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        found = service.expiring(args.within)
        now = service.now()
    if args.json:
        print_json([_token_json(t, now) for t in found], (*TOKEN_JSON_KEYS, "project"))
    elif not found:
        print(
            f"No token expires within {durations.describe_duration(args.within)}.",
            file=sys.stderr,
        )
    else:
        print_table(
            ("PROJECT", "ID", "NAME", "TOKEN", "EXPIRES", "STATUS"),
            [
                (t.project, t.id, t.name, t.preview, human(t.expires_at), t.status(now))
                for t in found
            ],
        )
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        listed = service.list_tokens(args.project)
        now = service.now()
    if args.json:
        print_json([_token_json(t, now) for t in listed], TOKEN_JSON_KEYS)
    elif not listed:
        print(
            f"No deployment tokens in this project. Generate one with: "
            f"{PROG} tokens generate --project {quoted(args.project.strip())}",
            file=sys.stderr,
        )
    else:
        print_table(
            ("ID", "NAME", "TOKEN", "CREATED", "LAST USED", "EXPIRES", "STATUS"),
            [
                (
                    t.id,
                    t.name,
                    t.preview,
                    human(t.created_at),
                    human(t.last_used_at),
                    "no expiry" if t.expires_at is None else human(t.expires_at),
                    t.status(now),
                )
                for t in listed
            ],
        )
    return EXIT_OK


def _revoke(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        record = service.revoke(args.project, args.token_id)
        now = service.now()
    print(f"Revoked token {record.id} '{record.name}' ({record.preview}) in '{record.project}'.")
    # The spec asks to confirm that no automation still depends on a token before it is
    # revoked: say when it was last used, and plainly when that was within a day.
    from app import shown  # not at the top: the desktop app's first paint skips it

    used = record.last_used_at
    when = "was never used" if used is None else f"was last used {ago(used, now)}"
    if used is not None and now - used < timedelta(hours=24):
        when += ": a pipeline may still depend on it, and is refused from now on"
    name = shown.escaped(record.name)
    print(f"token {record.id} ({name}, {record.preview}) {when}", file=sys.stderr)
    return EXIT_OK


def _scope(record: TokenRecord | Issued) -> str:
    """A token's expiry and environments in words: "expires 2026-09-01 12:00 UTC, all
    environments"."""
    ends = "no expiry" if record.expires_at is None else f"expires {human(record.expires_at)}"
    places = ", ".join(record.environments) if record.environments else "all"
    return f"{ends}, environments: {places}"


def _token_json(record: TokenRecord, now: datetime) -> dict[str, object]:
    return {
        "id": record.id,
        "project": record.project,
        "name": record.name,
        "preview": record.preview,
        "created_at": record.created_at,
        # Who made it: the login role on PostgreSQL, as the database recorded it.
        "created_by": record.created_by,
        "last_used_at": record.last_used_at,
        "expires_at": record.expires_at,
        "environments": list(record.environments),
        "status": record.status(now),
    }
