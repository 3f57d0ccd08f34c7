"""make dist: a wheel and an sdist that carry the icons and the .desktop file, and work
when installed away from the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import textwrap
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
RESOURCE_FILES = sorted(
    str(path.relative_to(REPO_ROOT))
    for path in (REPO_ROOT / "resources").rglob("*")
    if path.is_file()
)
VERSION = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["version"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    # No isolation: the build tools come from the test environment, not a download.
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO_ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    [wheel] = out.glob("*.whl")
    [sdist] = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def test_the_wheel_and_the_sdist_carry_the_resources(built):
    assert len(RESOURCE_FILES) >= 8  # the .desktop file and the icons
    wheel_names = set(zipfile.ZipFile(built["wheel"]).namelist())
    assert set(RESOURCE_FILES) <= wheel_names
    with tarfile.open(built["sdist"]) as sdist:
        prefix = f"deployment_tokens-{VERSION}/"
        sdist_names = {name.removeprefix(prefix) for name in sdist.getnames()}
    assert set(RESOURCE_FILES) <= sdist_names
    # Nothing of the repository beyond the packages: no tests, no scripts.
    assert not any(name.startswith(("tests/", "scripts/")) for name in wheel_names)


def test_the_wheel_has_an_spdx_license(built):
    with zipfile.ZipFile(built["wheel"]) as wheel:
        [metadata] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        text = wheel.read(metadata).decode()
    assert "License-Expression: LicenseRef-Proprietary" in text
    assert "Classifier: Programming Language :: Python :: 3.13" in text


def test_the_installed_wheel_runs_and_finds_its_icons(built, tmp_path):
    """Installed into a new venv outside the repository, as pipx would."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(built["wheel"]),
        ],
        check=True,
        timeout=300,
    )
    # The dependencies (PySide6, peewee, platformdirs) from this environment, without
    # downloading them again; a path in a .pth file runs none of the editable install's
    # hooks, so the product itself can come from the wheel alone.
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site_packages, "test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }

    version = subprocess.run(
        [str(venv / "bin" / "deployment-tokens"), "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"deployment-tokens {VERSION}"

    probe = textwrap.dedent(
        f"""
        import app, ui
        from ui import resources
        from ui.application import application, create_main_window

        for package in (app, ui):
            assert package.__file__.startswith({str(venv)!r}), package.__file__
        assert resources.RESOURCES.is_dir(), resources.RESOURCES
        qt = application()
        assert not qt.windowIcon().isNull()
        for svg in resources.ICONS.glob("*.svg"):
            assert not resources.icon(svg.stem).isNull(), svg
        window = create_main_window("sqlite:///{tmp_path / "tokens.db"}")
        window.show()
        qt.processEvents()
        print("icons:", len(list(resources.ICONS.glob("*.svg"))), "window:", window.isVisible())
        window.close_database()
        """
    )
    started = subprocess.run(
        [str(python), "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    icons = len(list((REPO_ROOT / "resources" / "icons").glob("*.svg")))
    assert started.stdout.strip() == f"icons: {icons} window: True"
