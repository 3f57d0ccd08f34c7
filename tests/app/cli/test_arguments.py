"""What the commands share of their arguments (``app.cli.arguments``): a token passed as
an argument is refused unechoed, ``--version``, the database a command opens, and the
argument types."""

from __future__ import annotations

import argparse

import pytest

from app import config
from app.cli import arguments
from app.store import schema
from tests.support.command_line import generate, one_line


def test_a_token_given_as_an_argument_is_refused_and_not_echoed(cli, web):
    plaintext = generate(cli).out.strip()
    for argv in (
        ("verify", plaintext),
        (plaintext,),
        ("tokens", "revoke", "--project", "Web", plaintext),
    ):
        result = cli(*argv)
        assert result.code == 2
        assert one_line(result.err)
        assert plaintext[5:48] not in result.err


def test_environment_database_url(cli, monkeypatch, tmp_path):
    path = tmp_path / "env.db"
    monkeypatch.setenv(config.DATABASE_URL_ENV, f"sqlite:///{path}")
    assert cli("projects", "add", "web", database=False).code == 0
    assert path.exists()


def test_version(cli):
    from importlib.metadata import version

    result = cli("--version", database=False)
    assert (result.code, result.out) == (0, f"deployment-tokens {version('deployment-tokens')}\n")


def test_a_token_id_is_ascii_digits_from_1_to_the_largest_id():
    assert arguments.token_id(" 42 ") == 42
    assert arguments.token_id(str(schema.MAX_ID)) == schema.MAX_ID
    for text in ("0", str(schema.MAX_ID + 1), "-1", "1_0", "\u0662", "\uff12", "4 2", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            arguments.token_id(text)


def test_help_is_wrapped_at_the_width_columns_names(monkeypatch):
    def widest_line(columns):
        monkeypatch.setenv("COLUMNS", str(columns))
        parser = arguments.Parser(prog="x", description="word " * 60)
        return max(len(line) for line in parser.format_help().splitlines())

    assert widest_line(50) <= 48
    assert widest_line(200) > 100
