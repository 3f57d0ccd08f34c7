"""Where the app's icons and .desktop file are, and putting them where desktops look.

``resources/`` sits beside the ``app`` and ``ui`` packages both in the repository and in
an installed wheel (it is shipped as package data), so one relative path finds it in
either. Qt-free: ``deployment-tokens install-desktop-entry`` runs without a display.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ICONS = RESOURCES / "icons"
DESKTOP_FILE = RESOURCES / "deployment-tokens.desktop"
APP_ICON = ICONS / "deployment-tokens.svg"

APPLICATION_ID = "deployment-tokens"


def data_home(environ: dict[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME``, else ``~/.local/share`` (the XDG Base Directory default)."""
    env = os.environ if environ is None else environ
    configured = env.get("XDG_DATA_HOME", "")
    # The specification says to ignore a relative path.
    if configured and os.path.isabs(configured):
        return Path(configured)
    return Path.home() / ".local" / "share"


def installed_paths(home: Path) -> tuple[Path, Path]:
    """Where the menu entry and its icon go under the data directory ``home``."""
    return (
        home / "applications" / f"{APPLICATION_ID}.desktop",
        home / "icons" / "hicolor" / "scalable" / "apps" / f"{APPLICATION_ID}.svg",
    )


def launcher_command() -> str:
    """How the menu entry starts the app: an absolute path, since a desktop session's
    PATH often lacks ``~/.local/bin``, where pipx puts the command."""
    found = shutil.which(APPLICATION_ID)
    if found is not None:
        return _quoted(str(Path(found).resolve()))
    return f"{_quoted(sys.executable)} -m app"


def install(home: Path) -> list[Path]:
    """Write the menu entry and its icon under ``home``; returns what was written."""
    entry, icon = installed_paths(home)
    text = DESKTOP_FILE.read_text(encoding="utf-8")
    lines = [
        f"Exec={launcher_command()}" if line.startswith("Exec=") else line
        for line in text.splitlines()
    ]
    for path in (entry, icon):
        path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(entry, "\n".join(lines) + "\n")
    _write_atomically(icon, APP_ICON.read_text(encoding="utf-8"))
    return [entry, icon]


def remove(home: Path) -> list[Path]:
    """Remove what ``install`` wrote; returns what was there."""
    removed = []
    for path in installed_paths(home):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed


def _quoted(argument: str) -> str:
    """An Exec argument, written as the Desktop Entry specification asks.

    Reserved characters need double quotes, inside which ``"`$\\`` take a backslash;
    the value's own escaping then doubles every backslash, and ``%`` is doubled.
    """
    if any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`"):
        escaped = "".join(f"\\{c}" if c in '"`$\\' else c for c in argument)
        argument = f'"{escaped}"'.replace("\\", "\\\\")
    return argument.replace("%", "%%")


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.new")
    partial.write_text(text, encoding="utf-8")
    partial.chmod(0o644)
    partial.replace(path)
