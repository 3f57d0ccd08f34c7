"""A description of the machine a run was measured on, for BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import subprocess
import sys
from pathlib import Path


def describe() -> list[str]:
    lines = [
        f"CPU: {_cpu_model()}, {os.cpu_count()} logical cores",
        f"Memory: {_memory_gib():.0f} GiB",
        f"OS: {platform.platform()}",
        f"Python: {sys.version.split()[0]} ({platform.python_implementation()})",
        f"SQLite: {sqlite3.sqlite_version}",
    ]
    try:
        import PySide6

        lines.append(f"PySide6: {PySide6.__version__} (QT_QPA_PLATFORM=offscreen)")
    except ImportError:
        pass
    try:
        import peewee

        lines.append(f"peewee: {peewee.__version__}")
    except ImportError:
        pass
    postgres = _postgresql_version()
    if postgres:
        lines.append(f"PostgreSQL: {postgres} (throwaway cluster on loopback, fsync off)")
    return lines


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _postgresql_version() -> str | None:
    from devtools.postgresql_cluster import server_binaries

    binaries = server_binaries()
    if binaries is None:
        return None
    result = subprocess.run(
        [str(binaries / "postgres"), "--version"], capture_output=True, text=True, check=False
    )
    # "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    found = re.search(r"\(PostgreSQL\) (\S+)", result.stdout)
    return found.group(1) if found else None
