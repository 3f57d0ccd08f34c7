"""Where verify reads the token (``app.cli.token_input``): stdin's first line, else
ML_DEPLOYMENT_TOKEN; what cannot be a token is refused in one line."""

from __future__ import annotations

import io
import os
import pty
import threading

import pytest

from app import config, tokens
from app.cli import token_input
from tests.support.command_line import generate, one_line


def test_verify_reads_only_the_first_line(cli, web):
    plaintext = generate(cli).out.strip()
    assert cli("verify", stdin=f"{plaintext}\nsomething else\n").code == 0


def test_verify_falls_back_to_the_environment_when_stdin_is_empty(cli, web, monkeypatch):
    plaintext = generate(cli).out.strip()
    monkeypatch.setenv(config.TOKEN_ENV, plaintext)
    assert cli("verify", stdin=b"").code == 0


def test_stdin_wins_over_the_environment(cli, web, monkeypatch):
    plaintext = generate(cli).out.strip()
    monkeypatch.setenv(config.TOKEN_ENV, plaintext)
    assert cli("verify", stdin=tokens.new_token()).code == 1


@pytest.mark.parametrize(
    ("stdin", "code", "message"),
    [
        (b"", 2, "no token given"),
        (b"\n", 2, "no token given"),
        (b"   \n", 2, "no token given"),
        (b"x" * 5000, 1, "too long"),
        ("mldt_" + "é" * 49, 1, "non-ASCII"),
        (b"\xff\xfe", 1, "non-ASCII"),
        (b"mldt_short", 1, "54 characters long"),
        (b"not a token at all", 1, "54 characters long"),
    ],
)
def test_bad_verify_input_is_one_clear_line(cli, web, stdin, code, message):
    result = cli("verify", stdin=stdin)
    assert result.code == code
    assert result.out == ""
    assert one_line(result.err)
    assert message in result.err


def test_verify_reads_the_environment_when_stdin_is_a_terminal(cli_process, database_url):
    cli_process("--database", database_url, "projects", "add", "web")
    plaintext = cli_process(
        "--database", database_url, "tokens", "generate", "--project", "web"
    ).stdout.strip()
    controller, terminal = pty.openpty()
    try:
        verified = cli_process(
            "--database", database_url, "verify", stdin=terminal, env={config.TOKEN_ENV: plaintext}
        )
        missing = cli_process("--database", database_url, "verify", stdin=terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert (verified.returncode, verified.stdout) == (0, "web\n")
    assert missing.returncode == 2
    assert "no token given" in missing.stderr


def test_a_line_of_the_largest_size_taken_is_read_and_one_byte_more_refused():
    largest = b"a" * token_input.MAX_TOKEN_INPUT_BYTES
    assert token_input.read_token(io.TextIOWrapper(io.BytesIO(largest))) == largest.decode()
    with pytest.raises(token_input.InvalidTokenInput, match="too long"):
        token_input.read_token(io.TextIOWrapper(io.BytesIO(largest + b"a")))


def read_from_a_pipe(waiting: bytes) -> list[str]:
    """What read_token answers, within 5 s, on a pipe kept open with ``waiting`` in it."""
    read_end, write_end = os.pipe()
    os.write(write_end, waiting)
    stdin = open(read_end)  # noqa: SIM115 (closed below, once the reader is done)
    answer: list[str] = []
    reader = threading.Thread(
        target=lambda: answer.append(token_input.read_token(stdin)), daemon=True
    )
    try:
        reader.start()
        reader.join(5)
        return answer
    finally:
        os.close(write_end)  # a reader that did wait gets the pipe's end now
        reader.join(5)
        stdin.close()


def test_with_the_token_in_the_environment_an_idle_pipe_is_not_waited_on(monkeypatch):
    monkeypatch.setenv(config.TOKEN_ENV, "from-the-environment")
    assert read_from_a_pipe(b"") == ["from-the-environment"]
    assert read_from_a_pipe(b"from-the-pipe\n") == ["from-the-pipe"]
