"""The Debian packages the app needs: what is missing, and the one line that says so."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from app import system_packages
from app.system_packages import SystemPackage

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
INSTALLER = REPO_ROOT / "scripts" / "install_system_packages.py"
# Exactly what Python says when the dynamic loader cannot find a library.
MISSING_GLIB = "libglib-2.0.so.0: cannot open shared object file: No such file or directory"

debian_only = pytest.mark.skipif(
    shutil.which("dpkg-query") is None, reason="needs a Debian system's dpkg"
)


_APT_POLICIES: dict[tuple[str, ...], subprocess.CompletedProcess[str]] = {}


def apt_cache_policy(args: list[str], *more: object, **options: object):
    """``subprocess.run`` for the tests, with each ``apt-cache policy NAME`` run once per
    session: where apt keeps no package cache (as Docker images' docker-clean sets it
    up) every run rebuilds it, which takes a second or more."""
    if len(args) == 3 and Path(args[0]).name == "apt-cache" and args[1] == "policy":
        key = tuple(args)
        if key not in _APT_POLICIES:
            _APT_POLICIES[key] = subprocess.run(
                args, capture_output=True, text=True, check=False, timeout=120
            )
        return _APT_POLICIES[key]
    return subprocess.run(args, *more, **options)  # type: ignore[call-overload]


@pytest.fixture
def apt_asked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's ``apt-cache policy`` runs through ``apt_cache_policy``."""
    cached = types.SimpleNamespace(**{**vars(subprocess), "run": apt_cache_policy})
    monkeypatch.setattr(system_packages, "subprocess", cached)


def load_installer():
    spec = importlib.util.spec_from_file_location("install_system_packages", INSTALLER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@debian_only
def test_an_installed_package_is_not_missing_under_either_of_its_names():
    libc = SystemPackage(("libc6",))
    renamed = SystemPackage(("libc6-renamed-t64", "libc6"))
    absent = SystemPackage(("no-such-package-deployment-tokens",))
    assert system_packages.missing([libc, renamed, absent]) == [absent]


@debian_only
@pytest.mark.usefixtures("apt_asked_once")
def test_the_name_to_install_is_one_apt_knows():
    glib = next(p for p in system_packages.QT_LIBRARIES if len(p.names) > 1)
    name = system_packages.installable_name(glib)
    apt_cache = shutil.which("apt-cache")
    assert apt_cache is not None
    policy = apt_cache_policy([apt_cache, "policy", name]).stdout
    assert "Candidate:" in policy
    assert "Candidate: (none)" not in policy


@pytest.mark.usefixtures("apt_asked_once")
def test_a_missing_library_is_told_as_the_packages_to_install():
    advice = system_packages.missing_library_advice(ImportError(MISSING_GLIB))
    assert advice is not None
    assert "libglib-2.0.so.0" in advice
    assert "sudo apt-get install" in advice
    # The package that provides it, under this system's name for it.
    assert "libglib2.0-0" in advice
    assert "\n" not in advice


def test_other_import_errors_are_not_mistaken_for_a_missing_library():
    assert system_packages.missing_library_advice(ImportError("No module named 'x'")) is None


def test_every_qt_library_maps_to_its_package():
    for package in system_packages.QT_LIBRARIES + system_packages.XCB_LIBRARIES:
        for library in package.libraries:
            assert system_packages.packages_for([library]) == [package]


def test_the_command_line_names_the_packages_when_qt_cannot_load(tmp_path):
    """As on a fresh Debian without Qt's libraries: one line, exit 2, no "internal error"."""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["DISPLAY"] = ":0"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys

                class NoGlib:
                    # The loader's own failure, as PySide6.QtCore raises it without glib.
                    def find_spec(self, name, path=None, target=None):
                        if name.startswith("PySide6.Qt"):
                            raise ImportError({MISSING_GLIB!r})

                sys.meta_path.insert(0, NoGlib())
                from app.__main__ import main
                sys.exit(main(["--database", "sqlite:///{tmp_path / "t.db"}"]))
                """
            ),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "internal error" not in lines[0]
    assert "sudo apt-get install" in lines[0]
    assert "libglib2.0-0" in lines[0]


def test_a_missing_x11_library_is_found_before_qt_aborts(monkeypatch):
    from ui.application import display_problem

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(system_packages, "missing_xcb_libraries", lambda: ["libxcb-cursor.so.0"])
    problem = display_problem({"DISPLAY": ":0"})
    assert problem is not None
    assert "libxcb-cursor.so.0" in problem
    assert "sudo apt-get install" in problem
    # Offscreen and Wayland do not load the X11 plugin.
    assert display_problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}) is None
    assert display_problem({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}) is None


@debian_only
def test_the_x11_libraries_load_here():
    # make test installs them; Qt's X11 plugin (xvfb-run in the clipboard test) needs them.
    assert system_packages.missing_xcb_libraries() == []


@debian_only
def test_the_installer_has_nothing_to_do_when_everything_is_installed(monkeypatch):
    installer = load_installer()
    # What make test itself needs is installed by now: it ran the installer first.
    assert installer.wanted(["venv", "run", "test"], sys.executable) == ([], [])
    absent = SystemPackage(("no-such-package-deployment-tokens",))
    monkeypatch.setitem(system_packages.GROUPS, "extra", ("a reason", (absent,)))
    assert installer.wanted(["run", "extra"], sys.executable) == (["a reason"], [absent])


def test_the_installer_refuses_an_unknown_group():
    result = subprocess.run(
        [sys.executable, str(INSTALLER), "no-such-group"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "unknown group" in result.stderr


def test_a_python_with_ensurepip_needs_no_venv_package():
    assert load_installer().venv_package(sys.executable) is None
