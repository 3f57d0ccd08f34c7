"""App start to first paint: process start to the main window's first paint, offscreen.

A secondary figure: that paint shows the window frame saying "Opening the database…".
What the user waits for is ``benchmarks.usable``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from benchmarks.harness import Figure, alternate, ensure_bytecode, probe_ms

PROBE = Path(__file__).resolve().parent / "probes" / "first_paint.py"


def measure(*, rounds: int = 7, warmup: int = 1) -> Figure:
    ensure_bytecode()
    with tempfile.TemporaryDirectory() as scratch:
        environment = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            # A settings file of its own, so the user's window geometry plays no part.
            "XDG_CONFIG_HOME": str(Path(scratch) / "config"),
            "XDG_DATA_HOME": str(Path(scratch) / "data"),
        }
        url = f"sqlite:///{Path(scratch) / 'start.db'}"
        # Created once: the figure is a start, not a first-ever start.
        probe_ms(PROBE, "app", url, environment=environment)
        floor, subject = alternate(
            lambda: probe_ms(PROBE, "bare", environment=environment),
            lambda: probe_ms(PROBE, "app", url, environment=environment),
            rounds=rounds,
            warmup=warmup,
        )
    return Figure(
        name="App start to first paint",
        subject="process start to the main window first painted (offscreen), still saying "
        '"Opening the database…": a secondary figure, see "App start to usable"',
        floor="a bare PySide6 script that shows an empty QMainWindow",
        subject_stats=subject,
        floor_stats=floor,
        max_ratio=1.25,
    )
