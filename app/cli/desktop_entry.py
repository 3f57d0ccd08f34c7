"""``install-desktop-entry [--remove]``: the app in the desktop's application menu.

Starting the desktop app itself is the launcher's (``app/__main__.py``): the command line
never imports Qt.
"""

from __future__ import annotations

import sys

from app.cli.arguments import UsageError
from app.cli.output import EXIT_OK

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any


def add_install_desktop_entry(commands: Any, database: argparse.ArgumentParser) -> None:
    desktop_entry = commands.add_parser(
        "install-desktop-entry",
        help="add the app to your desktop's application menu",
        description="Put the menu entry (deployment-tokens.desktop) and its icon under "
        "$XDG_DATA_HOME (by default ~/.local/share), where Linux desktops look for them. "
        "With --remove, take them away again.",
    )
    desktop_entry.add_argument(
        "--remove", action="store_true", help="remove the entry and icon installed before"
    )
    desktop_entry.set_defaults(handler=_install_desktop_entry)


PARSERS = {"install-desktop-entry": add_install_desktop_entry}


def _install_desktop_entry(args: argparse.Namespace) -> int:
    from app import desktop_entry

    home = desktop_entry.data_home()
    try:
        if args.remove:
            removed = desktop_entry.remove(home)
            for path in removed:
                print(f"Removed {path}")
            if not removed:
                print(f"Nothing to remove under {home}.", file=sys.stderr)
            return EXIT_OK
        written = desktop_entry.install(home)
    except OSError as error:
        raise UsageError(f"cannot write under {home}: {error.strerror}") from None
    for path in written:
        print(f"Installed {path}")
    print(
        "Deployment Tokens is in your application menu now (log out and in again if "
        "it does not appear at once).",
        file=sys.stderr,
    )
    return EXIT_OK
