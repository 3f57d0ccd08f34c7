"""Durations, days and expiry choices on the command line: the options of the commands
that set a token's lifetime or a window (tokens, projects policy).

Apart from ``arguments``: verify takes none of them, and need not import ``app.durations``.
"""

from __future__ import annotations

import argparse
import re
from datetime import date, timedelta

from app import durations

# typing.TYPE_CHECKING without importing typing: 2 ms of every generate, for annotations.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from app import lifecycle


def add_expiry_options(parser: argparse.ArgumentParser) -> None:
    expiry = parser.add_mutually_exclusive_group()
    expiry.add_argument(
        "--expires-in",
        metavar="DURATION",
        type=duration,
        help="the token stops working after DURATION (" + durations.DURATION_HELP + ")",
    )
    expiry.add_argument(
        "--expires-on",
        metavar="YYYY-MM-DD",
        type=day,
        help="the token stops working at the start of that day, UTC",
    )
    expiry.add_argument(
        "--no-expiry", action="store_true", help="the token never expires (if the policy allows)"
    )


def expiry(args: argparse.Namespace) -> lifecycle.Expiry | None:
    """The expiry chosen on the command line, or None when none was."""
    from app import lifecycle

    if args.expires_in is not None:
        return lifecycle.Expiry.after(args.expires_in)
    if args.expires_on is not None:
        return lifecycle.Expiry.on(args.expires_on)
    if args.no_expiry:
        return lifecycle.Expiry.no_expiry()
    return None


def duration(text: str) -> timedelta:
    try:
        return durations.parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def grace(text: str) -> timedelta:
    if text.strip() == "0":
        return timedelta(0)
    try:
        return durations.parse_duration(text, allow_zero=True)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def optional_duration(text: str) -> timedelta | None:
    return None if text.strip().lower() == "none" else duration(text)


def day(text: str) -> date:
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip(), re.ASCII):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("not a date (expected YYYY-MM-DD)") from None
