"""deployment-tokens install-desktop-entry: the app in the desktop's application menu."""

from __future__ import annotations

import configparser
import os

from app import desktop_entry


def read_entry(path):
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(path, encoding="utf-8")
    return entry["Desktop Entry"]


def test_the_entry_and_icon_go_where_desktops_look(cli_process, tmp_path):
    data_home = tmp_path / "share"
    result = cli_process("install-desktop-entry", env={"XDG_DATA_HOME": str(data_home)})
    assert result.returncode == 0, result.stderr
    entry_path = data_home / "applications" / "deployment-tokens.desktop"
    icon_path = data_home / "icons" / "hicolor" / "scalable" / "apps" / "deployment-tokens.svg"
    assert f"Installed {entry_path}" in result.stdout
    assert f"Installed {icon_path}" in result.stdout
    assert icon_path.read_bytes() == desktop_entry.APP_ICON.read_bytes()
    entry = read_entry(entry_path)
    assert entry["Name"] == "Deployment Tokens"
    assert entry["Icon"] == icon_path.stem
    # An absolute command: a desktop session's PATH often lacks pipx's ~/.local/bin.
    command = entry["Exec"].split()[0]
    assert os.path.isabs(command)
    assert os.access(command, os.X_OK)
    assert oct(entry_path.stat().st_mode & 0o777) == "0o644"


def test_remove_takes_both_away_and_says_when_there_is_nothing(cli_process, tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "share")}
    assert cli_process("install-desktop-entry", env=env).returncode == 0
    removed = cli_process("install-desktop-entry", "--remove", env=env)
    assert removed.returncode == 0
    assert removed.stdout.count("Removed ") == 2
    assert not list((tmp_path / "share").rglob("deployment-tokens.*"))
    again = cli_process("install-desktop-entry", "--remove", env=env)
    assert again.returncode == 0
    assert "Nothing to remove" in again.stderr


def test_an_unwritable_data_directory_is_one_line(cli_process, tmp_path):
    blocker = tmp_path / "share"
    blocker.write_text("a file where a directory should be")
    result = cli_process("install-desktop-entry", env={"XDG_DATA_HOME": str(blocker)})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "cannot write under" in result.stderr


def test_a_relative_xdg_data_home_is_ignored_as_the_specification_says(tmp_path):
    assert desktop_entry.data_home({"XDG_DATA_HOME": "relative/share"}).is_absolute()
    assert desktop_entry.data_home({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path


def test_a_command_path_with_spaces_is_quoted_for_the_exec_key():
    assert desktop_entry._quoted("/usr/bin/deployment-tokens") == "/usr/bin/deployment-tokens"
    assert desktop_entry._quoted("/home/a b/bin/x") == '"/home/a b/bin/x"'
    assert desktop_entry._quoted("/opt/50%/x") == "/opt/50%%/x"
