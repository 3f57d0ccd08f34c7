"""The launcher: ``deployment-tokens`` (the console script) and ``python -m app``.

It composes the two halves of the product, and is the one module under ``app`` that may:
the command line (``app.cli``) runs the commands, and with no command it starts the
desktop app (``ui``). Everything else under ``app`` imports neither ``ui`` nor Qt
(tests/test_layering.py), so the commands, and verify above all, stay light: ``ui`` is
imported only when the desktop app starts.
"""

from __future__ import annotations

from app.cli import main as run_command_line

# typing.TYPE_CHECKING without importing typing: 2 ms of every verify, for annotations.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``deployment-tokens`` with ``argv`` (default: the process's); returns the exit
    code."""
    return run_command_line(argv, desktop=start_desktop)


def start_desktop(
    database_url: str | None,
    configure_logging: Callable[[], None],
    qt_arguments: Sequence[str],
) -> int:
    """Run the desktop app until its window closes; ``qt_arguments`` (-platform, -style
    and Qt's other options) go to its QApplication. ``ui.launch`` loads Qt, and when a
    system library is missing says in one line which Debian packages to install."""
    import ui  # here, not at the top: only the desktop app loads it

    return ui.launch(database_url, configure_logging=configure_logging, qt_arguments=qt_arguments)


if __name__ == "__main__":
    raise SystemExit(main())
