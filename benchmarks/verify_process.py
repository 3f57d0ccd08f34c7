"""Commands as whole processes: ``verify`` as a pipeline step runs it, and ``tokens
generate`` as a release manager's script runs it for project after project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app import open_service
from benchmarks import datasets
from benchmarks.harness import Figure, alternate, ensure_bytecode


def _run(command: list[str], stdin: str, environment: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        command, input=stdin, capture_output=True, text=True, env=environment, check=False
    )
    elapsed = (time.perf_counter() - started) * 1000
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stderr.strip()[-300:]}")
    return elapsed


def console_script() -> str:
    """The installed ``deployment-tokens``, next to this interpreter."""
    beside = Path(sys.executable).with_name("deployment-tokens")
    found = str(beside) if beside.exists() else shutil.which("deployment-tokens")
    if found is None:
        raise RuntimeError("deployment-tokens is not installed (run make bench)")
    return found


def measure(*, rounds: int = 15, warmup: int = 2) -> Figure:
    ensure_bytecode()
    datasets.use_benchmark_salt()
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'verify.db'}"
        with open_service(url) as service:
            service.add_project(datasets.PROJECT)
            _, plaintext = service.generate(datasets.PROJECT)
        environment = dict(os.environ)
        command = [console_script(), "--database", url, "verify", "--project", "bench"]
        floor, subject = alternate(
            lambda: _run([sys.executable, "-c", "import sqlite3, hmac, hashlib"], "", environment),
            lambda: _run(command, plaintext + "\n", environment),
            rounds=rounds,
            warmup=warmup,
        )
    return Figure(
        name="verify as a process",
        subject="`deployment-tokens verify` (SQLite), spawn to exit",
        floor='`python -c "import sqlite3, hmac, hashlib"`',
        subject_stats=subject,
        floor_stats=floor,
        max_ratio=1.5,
        notes=[
            "Within a minute of its last use, so no write: a pipeline's usual case.",
        ],
    )


GENERATE_FLOOR = "import sqlite3, hmac, hashlib, secrets"


def measure_generate(*, rounds: int = 15, warmup: int = 2) -> Figure:
    ensure_bytecode()
    datasets.use_benchmark_salt()
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'generate.db'}"
        with open_service(url) as service:
            service.add_project(datasets.PROJECT)
            service.generate(datasets.PROJECT)  # the salt's fingerprint is already stored
        environment = dict(os.environ)
        command = [console_script(), "--database", url, "tokens", "generate", "--project",
                   datasets.PROJECT]  # fmt: skip
        floor, subject = alternate(
            lambda: _run([sys.executable, "-c", GENERATE_FLOOR], "", environment),
            lambda: _run(command, "", environment),
            rounds=rounds,
            warmup=warmup,
        )
    return Figure(
        name="tokens generate as a process",
        subject="`deployment-tokens tokens generate` (SQLite), spawn to exit",
        floor=f'`python -c "{GENERATE_FLOOR}"`',
        subject_stats=subject,
        floor_stats=floor,
        max_ratio=2.0,
    )
