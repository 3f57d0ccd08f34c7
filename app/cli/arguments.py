"""What the commands share of their arguments: the parser classes, the options several
commands take, the types that check a value before any work is done, and the service
the ``--database`` names. (Durations and expiry choices: ``lifetimes``.)"""

from __future__ import annotations

import argparse
import os
import re
import sys

from app import config
from app.cli.output import EXIT_OK, EXIT_USAGE, PROG
from app.errors import ConfigurationError
from app.store import schema

# typing.TYPE_CHECKING without importing typing: 2 ms of every verify, for annotations.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, NoReturn

    from app.service import TokenService


class UsageError(ConfigurationError):
    """The command line itself is wrong."""


class Formatter(argparse.HelpFormatter):
    """argparse's help formatter, finding the terminal's width without shutil.

    argparse builds a formatter for every option it adds (to check the option's
    metavar), and the stock one imports shutil for the width: 2 ms of every verify.
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it: $COLUMNS, else
    the terminal on stdout, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    if stdout is None:
        return 80
    try:
        return os.get_terminal_size(stdout.fileno()).columns or 80
    except (ValueError, OSError):
        return 80


class Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Subcommands' parsers are made by the same class, so they get it too.
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments"):
            # Never echo them: a token pasted as an argument would land in CI logs too.
            message = (
                "unexpected arguments (a token is never passed as an argument: pipe it on "
                f"standard input or set {config.TOKEN_ENV})"
            )
        # An "invalid choice" echoes what was typed; a token typed there must not be.
        from app import shown  # not at the top: the desktop app's first paint skips it

        message = shown.for_display(message)
        # argparse prints the whole usage first; one line with a pointer is clearer.
        self.exit(EXIT_USAGE, f"{PROG}: error: {message} (see '{self.prog} --help')\n")


class VersionAction(argparse.Action):
    """--version, reading the installed version only when asked (importlib.metadata is slow
    to import, and every verify would pay for it)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> NoReturn:
        print(f"{PROG} {product_version()}")
        parser.exit(EXIT_OK)


def product_version() -> str:
    """This release's version, as installed ("unknown" from a source tree never installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PROG)
    except PackageNotFoundError:
        return "unknown"


def open_service(args: argparse.Namespace, *, create: bool = True) -> TokenService:
    """The service on the database the command line names (else the default)."""
    from app.service import open_service

    return open_service(getattr(args, "database", None), create=create)


def add_project_option(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--project", metavar="NAME", required=required, help="the project's name")


def add_environment_option(
    parser: argparse.ArgumentParser, help_text: str, *, many: bool = True
) -> None:
    if many:
        parser.add_argument(
            "--environment", dest="environments", metavar="ENV", action="append", help=help_text
        )
    else:
        parser.add_argument("--environment", metavar="ENV", help=help_text)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON array")


def add_token_id(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("token_id", metavar="TOKEN_ID", type=token_id, help="from 'tokens list'")


def token_id(text: str) -> int:
    # ASCII digits only: int() would also read "1_0" as 10, and Arabic-Indic or full-width
    # digits as numbers.
    if not re.fullmatch(r"[0-9]+", text.strip(), re.ASCII):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a token id (a whole number, in the digits 0-9)"
        )
    value = int(text)
    if not 1 <= value <= schema.MAX_ID:
        raise argparse.ArgumentTypeError(f"a token id is from 1 to {schema.MAX_ID}")
    return value
