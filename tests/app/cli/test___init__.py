"""How the command line is put together (``app.cli``): the table of commands and the
parser each builds, ``--database`` before or after the command, Qt's options with no
command, and every failure as one line on stderr with its exit code, never a traceback."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys

import pytest

import app.cli
from app import tokens
from app.__main__ import main as launcher_main
from app.cli import COMMANDS, build_parser
from app.service import TokenService
from tests.support.command_line import one_line, subcommands


def test_each_command_is_built_by_the_module_the_table_names():
    built = {}
    for name, module in COMMANDS.items():
        parsers = importlib.import_module(f"app.cli.{module}").PARSERS
        assert name in parsers, (name, module)
        built.update(parsers)
    # A module's command that the table forgot would never be built, nor found by help.
    assert set(built) == set(COMMANDS)
    assert list(subcommands(build_parser())) == list(COMMANDS)


def test_a_command_imports_only_its_own_module_of_the_command_line():
    probe = (
        "import sys\n"
        "from app.cli import build_parser\n"
        "build_parser(sys.argv[1])\n"
        "print(sorted(m for m in sys.modules if m.startswith('app.cli.')))\n"
    )
    shared = {"app.cli.arguments", "app.cli.output"}
    for name, module in (("audit", "audit"), ("clients", "secret_holders")):
        result = subprocess.run(
            [sys.executable, "-c", probe, name],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert set(ast.literal_eval(result.stdout)) <= shared | {f"app.cli.{module}"}


def test_a_command_builds_only_its_own_parser_and_help_shows_them_all(cli):
    """verify runs on every deployment: it must not build every other command's parser."""
    from app import cli as command_line

    assert command_line._command_name(["--database", "sqlite:///x.db", "verify"]) == "verify"
    assert command_line._command_name(["--database=sqlite:///x.db", "tokens", "list"]) == "tokens"
    assert command_line._command_name(["--version"]) is None
    assert command_line._command_name(["frobnicate"]) is None
    only_verify = command_line.build_parser("verify")
    [choices] = [a.choices for a in only_verify._actions if a.dest == "command"]
    assert list(choices) == ["verify"]
    full = command_line.build_parser()
    [choices] = [a.choices for a in full._actions if a.dest == "command"]
    assert {"projects", "tokens", "verify", "serve", "clients", "db"} <= set(choices)
    shown = cli("--help", database=False)
    assert "install-desktop-entry" in shown.out
    assert "serve" in shown.out


def test_database_option_works_before_and_after_the_command(cli, tmp_path):
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert cli("projects", "add", "a", "--database", other, database=False).code == 0
    listed = cli("--database", other, "projects", "list", "--json", database=False)
    assert [project["name"] for project in json.loads(listed.out)] == ["a"]
    assert json.loads(cli("projects", "list", "--json").out) == []  # the fixture's database


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("projects", "add", "web"), 1, "already exists"),
        (("projects", "add", " "), 1, "cannot be empty"),
        (("projects", "add", "x" * 101), 1, "at most 100"),
        (("tokens", "generate", "--project", "nope"), 1, "no project named 'nope'"),
        (("tokens", "generate", "--project", "Web", "--name", ""), 1, "cannot be empty"),
        (("tokens", "list", "--project", "nope"), 1, "no project named"),
        (("tokens", "revoke", "--project", "Web", "42"), 1, "no token with id 42"),
        (("tokens", "revoke", "--project", "Web", "abc"), 2, "not a token id"),
        (("tokens", "revoke", "--project", "Web", "0"), 2, "token id is from 1"),
        # What the hardening issue's attack session tried.
        (("tokens", "revoke", "--project", "Web", "9223372036854775808"), 2, "token id"),
        (("tokens", "revoke", "--project", "Web", "1_0"), 2, "not a token id"),
        (("tokens", "revoke", "--project", "Web", "\u0662"), 2, "not a token id"),
        (("tokens", "revoke", "--project", "Web", "\uff12"), 2, "not a token id"),
        (("projects", "add", "W\u200beb"), 1, "invisible characters"),
        (("projects", "add", "W\u0435b"), 1, "mixes Cyrillic and Latin"),
        (("projects", "add", "\u3164"), 1, "invisible characters"),
        (("projects", "add", "\u0301web"), 1, "on no letter"),
        (("tokens", "list", "--project", "x\x1b[2K\rweb"), 1, "no project named 'x\\e[2K\\rweb'"),
        (("--database", "postgresql://u:p@[::1/db", "projects", "list"), 2, "u:***@"),
        (("tokens", "generate"), 2, "--project"),
        (("tokens",), 2, "required"),
        (("frobnicate",), 2, "invalid choice"),
    ],
)
def test_bad_input_is_one_clear_line_and_changes_nothing(cli, web, store, argv, code, message):
    before = store.dump()
    result = cli(*argv)
    assert result.code == code
    assert one_line(result.err), result.err
    assert message in result.err
    assert store.dump() == before


def test_malformed_database_url_exits_2(cli):
    result = cli("--database", "nonsense", "projects", "list", database=False)
    assert result.code == 2
    assert one_line(result.err)
    assert "unsupported database URL" in result.err


@pytest.mark.parametrize("command", [("projects", "list"), ("verify",)])
def test_not_a_database_file_exits_2_with_one_line(cli, sqlite_url, database_path, command):
    database_path.write_bytes(b"\x00garbage" * 1000)
    result = cli("--database", sqlite_url, *command, stdin=tokens.new_token(), database=False)
    assert result.code == 2
    assert one_line(result.err)
    assert "not a usable database" in result.err


def test_an_internal_error_is_one_redacted_line(cli, web, monkeypatch):
    leaked = tokens.new_token()

    def broken(self, *args):
        raise RuntimeError(f"bug while handling {leaked}")

    monkeypatch.setattr(TokenService, "list_projects", broken)
    result = cli("projects", "list")
    assert result.code == 1
    assert one_line(result.err)
    assert "internal error (RuntimeError" in result.err
    assert leaked[5:48] not in result.err


def test_a_reader_that_goes_away_early_gets_no_complaint(service, database_url):
    # More output than a pipe buffers (64 KiB), so the writer does meet the closed pipe:
    # 400 projects with names of the longest length allowed list in about 84 KiB.
    for number in range(400):
        service.add_project(f"project {number:03} " + "x" * 88)
    listing = subprocess.Popen(
        [sys.executable, "-m", "app", "--database", database_url, "projects", "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert listing.stdout is not None
    listing.stdout.read(10)
    listing.stdout.close()
    _, err = listing.communicate(timeout=60)
    assert err == b""
    assert listing.returncode == 1


def test_without_the_launcher_no_command_is_a_usage_error(capsys):
    assert app.cli.main([]) == 2
    assert capsys.readouterr().err == (
        "deployment-tokens: no command given (see 'deployment-tokens --help')\n"
    )


@pytest.mark.parametrize(
    ("arguments", "database_url", "qt_arguments"),
    [
        (["-platform", "offscreen"], None, ["-platform", "offscreen"]),
        (["-style", "fusion", "-reverse"], None, ["-style", "fusion", "-reverse"]),
        (["-style=fusion"], None, ["-style=fusion"]),
        (
            ["-platform", "offscreen", "--database", "sqlite:///x.db", "-widgetcount"],
            "sqlite:///x.db",
            ["-platform", "offscreen", "-widgetcount"],
        ),
        (
            ["--database=sqlite:///x.db", "-qwindowgeometry", "800x600"],
            "sqlite:///x.db",
            ["-qwindowgeometry", "800x600"],
        ),
    ],
)
def test_with_no_command_qts_own_options_go_to_qt(
    monkeypatch, arguments, database_url, qt_arguments
):
    import ui

    started = []

    def launch(database_url, *, configure_logging, qt_arguments):
        started.append((database_url, list(qt_arguments)))
        return 0

    monkeypatch.setattr(ui, "launch", launch)
    assert launcher_main(arguments) == 0
    assert started == [(database_url, qt_arguments)]


@pytest.mark.parametrize(
    "arguments",
    [
        ["verify", "-style", "x"],
        ["-style", "x", "verify"],
        ["tokens", "list", "--project", "web", "-platform", "offscreen"],
        ["-reverse", "projects", "list"],
    ],
)
def test_with_a_command_qts_options_are_still_refused(monkeypatch, capsys, arguments):
    import ui

    monkeypatch.setattr(ui, "launch", lambda *args, **kwargs: pytest.fail("desktop started"))
    with pytest.raises(SystemExit) as usage:
        launcher_main(arguments)
    assert usage.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
