"""The command line: ``deployment-tokens`` and ``python -m app`` (through the launcher,
``app/__main__.py``, which adds the desktop app when no command is given).

One module per command group builds its parsers and handles them; ``arguments``,
``token_input`` and ``output`` are what they share. Errors are one line on stderr and a
non-zero exit, never a traceback. The verify path reads the token from stdin or the
environment, never from an argument: arguments leak into process lists and shell history.
"""

from __future__ import annotations

import argparse
import sys

from app import config
from app.cli.arguments import Parser, VersionAction
from app.cli.output import EXIT_FAILED, EXIT_USAGE, PROG, configure_logging, fail
from app.errors import ConfigurationError, DeploymentTokensError, StorageError

# typing.TYPE_CHECKING without importing typing: 2 ms of every verify, for annotations.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    # The desktop app, as the launcher starts it: (database URL, configure_logging, Qt's
    # own arguments) -> exit code.
    DesktopStart = Callable[[str | None, Callable[[], None], list[str]], int]

__all__ = ["COMMANDS", "build_parser", "main"]

# Each command, in the order --help lists them, and the module of app.cli that builds its
# parser (its PARSERS). Only the module of the command given is imported: verify runs on
# every deployment and need not load the others.
COMMANDS = {
    "projects": "projects",
    "tokens": "tokens",
    "environments": "project_settings",
    "audit": "audit",
    "access": "access",
    "whoami": "access",
    "verify": "verify",
    "serve": "serve",
    "db": "db",
    "clients": "secret_holders",
    "revoke-leaked": "leaks",
    "revocation-keys": "secret_holders",
    "notifications": "notifications",
    "notify": "notifications",
    "deployers": "deployers",
    "destinations": "destinations",
    "rotate-due": "destinations",
    "install-desktop-entry": "desktop_entry",
}


def main(argv: Sequence[str] | None = None, *, desktop: DesktopStart | None = None) -> int:
    """Run the command line; returns the process exit code. With no command it starts
    ``desktop`` (the launcher passes the desktop app; without it, that is a usage error)."""
    from app.hardening import disable_core_dumps

    # Every command may hold a plaintext: verify reads one, generate and rotate make one,
    # the desktop app reveals one, serve sees them all.
    disable_core_dumps()
    arguments = sys.argv[1:] if argv is None else list(argv)
    # With no command, Qt's own options (-platform offscreen, -style fusion) are for Qt.
    arguments, qt_arguments = _qt_arguments(arguments)
    # Starting the desktop app is the common case with no command: it need not build
    # every command's parser first (the window is meant to appear at once).
    args = _desktop_start(arguments) or build_parser(_command_name(arguments)).parse_args(arguments)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    # Three paths skip logging's import here (configures_logging). verify: it would cost
    # more than the lookup. tokens generate: likewise on an SQLite file; it configures
    # logging before it opens the full service. The desktop app: it configures logging
    # once its window has been painted.
    if handler is not None and not getattr(args, "configures_logging", False):
        configure_logging()
    try:
        if handler is None:
            return _start_desktop(args, desktop, qt_arguments)
        return handler(args)
    except (ConfigurationError, StorageError) as error:
        return fail(str(error), EXIT_USAGE)
    except DeploymentTokensError as error:
        return fail(str(error), EXIT_FAILED)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``| head``); nothing more to say to it.
        return EXIT_FAILED
    except Exception as error:
        # A bug. Still one line: a traceback would show locals' names and scare users,
        # and fail() redacts the message in case a token ever reached it.
        return fail(
            f"internal error ({type(error).__name__}: {error}); please report it", EXIT_FAILED
        )


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only``, just that command's (verify runs on every
    deployment and need not build the parsers of every other command first)."""
    from importlib import import_module

    # --database is accepted before or after the command; SUPPRESS keeps the later
    # parsers from overwriting a value given earlier with their default.
    database = Parser(add_help=False)
    database.add_argument(
        "--database",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=f"database URL (default: ${config.DATABASE_URL_ENV}, else the SQLite file in "
        "your data directory); sqlite:///relative.db, sqlite:////absolute.db or "
        "postgresql://user:pass@host:port/db",
    )

    parser = Parser(
        prog=PROG,
        parents=[database],
        description="Generate, revoke and verify project-scoped deployment tokens. "
        "With no command, start the desktop app.",
    )
    parser.add_argument("--version", action=VersionAction)
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")

    for name, module in COMMANDS.items():
        if only is None or name == only:
            import_module(f"app.cli.{module}").PARSERS[name](commands, database)
    return parser


def _command_name(arguments: list[str]) -> str | None:
    """The command the arguments name, when it is one we know; None otherwise (then the
    whole parser is built, to give its usual help and errors)."""
    skip_value = False
    for argument in arguments:
        if skip_value:
            skip_value = False
        elif argument == "--database":
            skip_value = True
        elif not argument.startswith("-"):
            return argument if argument in COMMANDS else None
    return None


# Qt's standard options whose value is the next argument (QGuiApplication, QApplication
# and X11's); -style=NAME, -stylesheet=PATH and -qmljsdebugger=... carry theirs.
_QT_OPTIONS_WITH_VALUE = frozenset(
    {
        "-platform",
        "-platformpluginpath",
        "-platformtheme",
        "-plugin",
        "-qmljsdebugger",
        "-qwindowgeometry",
        "-qwindowicon",
        "-qwindowtitle",
        "-geometry",
        "-title",
        "-icon",
        "-session",
        "-style",
        "-stylesheet",
        "-display",
        "-name",
        "-dialogs",
        "-graphicssystem",
        "-visual",
        "-im",
    }
)


def _qt_arguments(arguments: list[str]) -> tuple[list[str], list[str]]:
    """(ours, Qt's). With no command given, every option with a single dash but -h is
    Qt's, with its value where it takes one; with a command, they are all ours (and the
    command's parser refuses those it does not know)."""
    ours: list[str] = []
    qt: list[str] = []
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        index += 1
        if argument == "--database":
            ours.extend(arguments[index - 1 : index + 1])
            index += 1
        elif not argument.startswith("-"):
            return arguments, []  # a command: nothing is Qt's
        elif argument.startswith("--") or argument in ("-", "-h"):
            ours.append(argument)
        elif argument in _QT_OPTIONS_WITH_VALUE and index < len(arguments):
            qt.extend(arguments[index - 1 : index + 1])
            index += 1
        else:
            qt.append(argument)
    return ours, qt


def _desktop_start(arguments: list[str]) -> argparse.Namespace | None:
    """The parsed arguments when they only start the desktop app, else None."""
    if not arguments:
        return argparse.Namespace()
    if len(arguments) == 2 and arguments[0] == "--database" and arguments[1].strip():
        return argparse.Namespace(database=arguments[1])
    if len(arguments) == 1 and arguments[0].startswith("--database=") and arguments[0][11:]:
        return argparse.Namespace(database=arguments[0][11:])
    return None


def _start_desktop(
    args: argparse.Namespace, desktop: DesktopStart | None, qt_arguments: list[str]
) -> int:
    """No command: the desktop app, when the launcher composed one in."""
    if desktop is None:
        raise ConfigurationError(f"no command given (see '{PROG} --help')")
    return int(desktop(getattr(args, "database", None), configure_logging, qt_arguments))
