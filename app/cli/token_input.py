"""Where verify reads the token: stdin's first line, else ``ML_DEPLOYMENT_TOKEN``.

Never from an argument: arguments leak into process lists and shell history.
"""

from __future__ import annotations

import os

from app import config
from app.cli.arguments import UsageError
from app.errors import DeploymentTokensError

# typing.TYPE_CHECKING without importing typing: 2 ms of every verify, for annotations.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

# Enough for any token plus generous white space, small enough to never read a flood.
MAX_TOKEN_INPUT_BYTES = 1024


class InvalidTokenInput(DeploymentTokensError):
    """What was given cannot be a token: verify refuses it (exit 1), as any invalid token."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid token: {reason}")


def read_token(stdin: TextIO | None) -> str:
    """The token from stdin's first line, else from the environment; never echoed.

    With ``ML_DEPLOYMENT_TOKEN`` set, stdin is read only when input is already waiting
    there: CI runners often leave stdin open and idle, and verify must not wait on a pipe
    that may never close.
    """
    text = ""
    from_environment = os.environ.get(config.TOKEN_ENV, "").strip()
    if (
        stdin is not None
        and not _is_terminal(stdin)
        and (not from_environment or _has_input_waiting(stdin))
    ):
        text = _first_line(stdin)
    if not text:
        text = from_environment
    if not text:
        raise UsageError(
            f"no token given: pipe it on standard input or set {config.TOKEN_ENV} "
            "(never pass it as an argument)"
        )
    return text


def _first_line(stdin: TextIO) -> str:
    """The first line of ``stdin``, stripped; refused when it cannot be a token."""
    try:
        line = stdin.buffer.readline(MAX_TOKEN_INPUT_BYTES + 1)
    except (OSError, ValueError):
        line = b""
    if len(line) > MAX_TOKEN_INPUT_BYTES:
        raise InvalidTokenInput(
            f"the input is too long to be a token (more than {MAX_TOKEN_INPUT_BYTES} bytes)"
        )
    try:
        return line.decode("ascii").strip()
    except UnicodeDecodeError:
        raise InvalidTokenInput(
            "it has non-ASCII characters; a deployment token is letters, digits and one underscore"
        ) from None


def _has_input_waiting(stream: TextIO) -> bool:
    """Whether ``stream`` can be read at once (input, or its end), without waiting."""
    import select

    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):
        return True  # a stream in memory: all of it is there already
    try:
        readable, _, _ = select.select([descriptor], [], [], 0)
    except (OSError, ValueError):
        return False
    return bool(readable)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False
