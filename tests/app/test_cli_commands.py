"""How the command line is put together: the table of commands, the secret holders' rows,
and the launcher that adds the desktop app."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys

import pytest

import app.cli
from app.__main__ import main as launcher_main
from app.cli import COMMANDS, build_parser
from app.cli.secret_holders import HOLDERS
from app.service import TokenService


def subcommands(parser):
    [choices] = [a.choices for a in parser._actions if a.dest in ("command", "action")]
    return choices


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


@pytest.mark.parametrize("holder", HOLDERS, ids=lambda holder: holder.command)
def test_each_secret_holder_row_makes_add_list_and_revoke(holder):
    assert holder.command in COMMANDS
    [parser] = subcommands(build_parser(holder.command)).values()
    assert list(subcommands(parser)) == ["add", "list", "revoke"]
    for method in (holder.add_method, holder.list_method, holder.revoke_method):
        assert callable(getattr(TokenService, method)), method


@pytest.mark.parametrize("holder", HOLDERS, ids=lambda holder: holder.command)
def test_a_secret_holders_commands_add_list_and_revoke_it(cli, holder):
    empty = cli(holder.command, "list")
    assert (empty.code, empty.out) == (0, "")
    assert empty.err == (
        f"No {holder.plural}. Add one with: deployment-tokens {holder.command} add NAME\n"
    )
    added = cli(holder.command, "add", "gateway")
    assert added.code == 0, added.err
    assert added.err == f"Added {holder.noun} 'gateway'. {holder.shown_once}\n"
    assert added.out.count("\n") == 1
    [listed] = json.loads(cli(holder.command, "list", "--json").out)
    assert (listed["name"], set(listed)) == ("gateway", {"id", "name", "created_at", "created_by"})
    assert cli(holder.command, "list").out.splitlines()[0].split() == ["NAME", "CREATED", "BY"]
    revoked = cli(holder.command, "revoke", "gateway")
    assert (revoked.code, revoked.out) == (0, f"Revoked {holder.noun} 'gateway'.\n")
    again = cli(holder.command, "revoke", "gateway")
    assert again.code == 1
    assert f"there is no {holder.noun} named 'gateway'" in again.err


def test_without_the_launcher_no_command_is_a_usage_error(capsys):
    assert app.cli.main([]) == 2
    assert capsys.readouterr().err == (
        "deployment-tokens: no command given (see 'deployment-tokens --help')\n"
    )


def test_the_launcher_starts_the_desktop_app_when_no_command_is_given(monkeypatch):
    import ui

    started = []

    def launch(database_url, *, configure_logging, qt_arguments):
        started.append((database_url, configure_logging, qt_arguments))
        return 7

    monkeypatch.setattr(ui, "launch", launch)
    assert launcher_main(["--database", "sqlite:///x.db"]) == 7
    assert launcher_main([]) == 7
    assert [url for url, _, _ in started] == ["sqlite:///x.db", None]
    assert all(callable(configure) for _, configure, _ in started)
    assert [qt for _, _, qt in started] == [[], []]


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


def test_the_launcher_runs_commands_as_the_command_line_does(database_url, capsys):
    assert launcher_main(["--database", database_url, "projects", "add", "web"]) == 0
    assert capsys.readouterr().out == "Added project 'web'.\n"
    with pytest.raises(SystemExit) as usage:
        launcher_main(["tokens", "revoke", "--project", "web", "x"])
    assert usage.value.code == 2
    assert "is not a token id" in capsys.readouterr().err
