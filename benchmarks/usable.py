"""App start to usable: process start until the window shows what the user came for.

Two figures, each against a bare PySide6 window holding a QListWidget with the same names,
measured in the same run: the project list painted with its projects, and the Deployment
Tokens pane the app restores (the last opened project's) painted with its tokens. The
first paint (``benchmarks.startup``) is kept as a secondary figure; it times a window that
still says "Opening the database…".
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from app import open_service
from benchmarks import datasets
from benchmarks.harness import Figure, alternate, ensure_bytecode, probe_ms

PROBE = Path(__file__).resolve().parent / "probes" / "usable.py"
PROJECTS = 30
TOKENS = 200


def _measure(pane: str, rounds: int, warmup: int) -> tuple[Figure, list[str]]:
    ensure_bytecode()
    datasets.use_benchmark_salt()
    with tempfile.TemporaryDirectory() as scratch:
        environment = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(Path(scratch) / "config"),
            "XDG_DATA_HOME": str(Path(scratch) / "data"),
        }
        url = f"sqlite:///{Path(scratch) / 'start.db'}"
        projects = [f"project {index:02}" for index in range(PROJECTS)]
        last = projects[-1]
        with open_service(url) as service:
            for name in projects:
                service.add_project(name)
            for index in range(TOKENS if pane == "tokens" else 0):
                service.generate(last, f"pipeline {index:03}")
            shown = (
                [record.name for record in service.list_tokens(last)]
                if pane == "tokens"
                else projects
            )
        if pane == "tokens":
            # As the app left it: the last project open.
            subprocess.run(
                [sys.executable, "-c",
                 "from ui.application import default_settings\n"
                 "from ui.main_window import LAST_PROJECT_KEY\n"
                 f"settings = default_settings(); settings.setValue(LAST_PROJECT_KEY, {last!r})\n"
                 "settings.sync()"],
                env=environment, check=True, timeout=60,
            )  # fmt: skip
        floor, subject = alternate(
            lambda: probe_ms(PROBE, "bare-list", *shown, environment=environment),
            lambda: probe_ms(PROBE, "app", url, pane, environment=environment),
            rounds=rounds,
            warmup=warmup,
        )
    what = (
        f"the project list painted with its {PROJECTS} projects"
        if pane == "projects"
        else f"the restored Deployment Tokens pane painted with its {TOKENS} tokens"
    )
    return (
        Figure(
            name="App start to usable" + (" (tokens pane)" if pane == "tokens" else ""),
            subject=f"process start to {what} (offscreen), as `deployment-tokens` runs",
            floor=f"a bare PySide6 QMainWindow holding a QListWidget of the same {len(shown)} "
            "names, shown and painted",
            subject_stats=subject,
            floor_stats=floor,
            max_ratio=1.5,
        ),
        shown,
    )


def measure_projects(*, rounds: int = 7, warmup: int = 1) -> Figure:
    return _measure("projects", rounds, warmup)[0]


def measure_tokens(*, rounds: int = 7, warmup: int = 1) -> Figure:
    return _measure("tokens", rounds, warmup)[0]
