"""Authorize over HTTP: ``deployment-tokens serve`` on PostgreSQL with a million tokens,
loaded by ``wrk``, against the same server answering its bare health endpoint.

The floor is what no verification can beat on that server: gunicorn, Falcon and one
loopback round trip, answering ``GET /healthz``. The subject is ``GET /v1/authorize`` with
a live token, so every request does the whole verification (HMAC, indexed lookup, scope,
expiry). Two figures come from one run: the median latency (p50, target at most 1.5x the
floor's) and the throughput (at least 0.6x the floor's).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from functools import cache

from app import open_service
from benchmarks import datasets
from benchmarks.harness import Figure, Stats, alternate
from benchmarks.verify_calls import _postgresql_copy

WORKERS = 2
CONNECTIONS = 16
_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class _Run:
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wrk(url: str, seconds: int, headers: dict[str, str]) -> _Run:
    command = ["wrk", "--latency", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    latencies = {p: float(v) * _UNITS_MS[u] for p, v, u in _LATENCY.findall(output)}
    rate = _RATE.search(output)
    if rate is None or set(latencies) != {"50", "99"}:
        raise RuntimeError(f"cannot read wrk's report:\n{output}")
    if "Non-2xx" in output:
        raise RuntimeError(f"the server refused requests during the run:\n{output}")
    return _Run(float(rate.group(1)), latencies["50"], latencies["99"])


@cache
def _measure(tokens: int, rounds: int, seconds: int) -> tuple[list[_Run], list[_Run]]:
    """(floor runs, subject runs), alternated; cached so both figures share one run."""
    datasets.use_benchmark_salt()
    cached = datasets.cached_sqlite(tokens)
    with _postgresql_copy(cached) as url:
        with open_service(url) as service:
            _, plaintext = service.generate(datasets.PROJECT)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "app", "--database", url, "serve", "--port", str(port),
             "--workers", str(WORKERS)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ},
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/readyz", timeout=2):  # noqa: S310
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("serve did not become ready") from None
                    time.sleep(0.1)
            floors: list[_Run] = []
            subjects: list[_Run] = []

            def floor() -> float:
                floors.append(_wrk(f"{base}/healthz", seconds, {}))
                return floors[-1].p50_ms

            def subject() -> float:
                subjects.append(
                    _wrk(
                        f"{base}/v1/authorize",
                        seconds,
                        {
                            "Authorization": f"Bearer {plaintext}",
                            "X-Deployment-Project": datasets.PROJECT,
                        },
                    )
                )
                return subjects[-1].p50_ms

            alternate(floor, subject, rounds=rounds, warmup=1)
            # The warm-up pair is thrown away.
            return floors[1:], subjects[1:]
        finally:
            server.terminate()
            server.wait(timeout=30)


def measure_latency(*, tokens: int = 1_000_000, rounds: int = 5, seconds: int = 3) -> Figure:
    floors, subjects = _measure(tokens, rounds, seconds)
    return Figure(
        name="authorize over HTTP, PostgreSQL: p50",
        subject=f"`GET /v1/authorize` with a live token, {tokens:,} tokens, wrk with "
        f"{CONNECTIONS} connections, {WORKERS} workers",
        floor="the same server answering `GET /healthz`",
        subject_stats=Stats(tuple(run.p50_ms for run in subjects)),
        floor_stats=Stats(tuple(run.p50_ms for run in floors)),
        max_ratio=1.5,
        notes=[
            "p99: "
            + ", ".join(f"{run.p99_ms:.2f}" for run in subjects)
            + " ms (floor: "
            + ", ".join(f"{run.p99_ms:.2f}" for run in floors)
            + " ms)"
        ],
    )


def measure_throughput(*, tokens: int = 1_000_000, rounds: int = 5, seconds: int = 3) -> Figure:
    floors, subjects = _measure(tokens, rounds, seconds)
    return Figure(
        name="authorize over HTTP, PostgreSQL: throughput",
        subject=f"`GET /v1/authorize` requests per second, {tokens:,} tokens",
        floor="the same server answering `GET /healthz`",
        subject_stats=Stats(tuple(run.requests_per_second for run in subjects)),
        floor_stats=Stats(tuple(run.requests_per_second for run in floors)),
        unit="requests/s",
        min_ratio=0.6,
    )
