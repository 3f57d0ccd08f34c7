"""The launcher (``app.__main__``): the console script's target, which runs the commands
as the command line does and starts the desktop app when none is given."""

from __future__ import annotations

import pytest

from app.__main__ import main as launcher_main


def test_console_script_is_installed():
    from importlib.metadata import entry_points

    [script] = [e for e in entry_points(group="console_scripts") if e.name == "deployment-tokens"]
    assert script.value == "app.__main__:main"


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


def test_the_launcher_runs_commands_as_the_command_line_does(database_url, capsys):
    assert launcher_main(["--database", database_url, "projects", "add", "web"]) == 0
    assert capsys.readouterr().out == "Added project 'web'.\n"
    with pytest.raises(SystemExit) as usage:
        launcher_main(["tokens", "revoke", "--project", "web", "x"])
    assert usage.value.code == 2
    assert "is not a token id" in capsys.readouterr().err
