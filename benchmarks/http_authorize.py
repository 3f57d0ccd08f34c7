"""Authorize over HTTP: ``deployment-tokens serve`` with a million tokens, loaded by
``wrk``, against the floor of a correct verifier on the same server stack.

The main floor (``probes/verifier_floor.py``) is ``app.serve.serve`` itself, gunicorn with
the service's worker class, threads, logger and limits, serving a minimal WSGI verifier
instead of the service's application: one HMAC-SHA256 of the bearer token under the
salt, one prepared lookup by digest (with the project's name), 204. It keeps no cache, as
the service keeps none: a revoke takes effect at once (both servers are shown to refuse
a token revoked just before the timed runs). Targets: the subject's throughput at least
0.8x the floor's, its median latency (p50) at most 1.25x the floor's.

On PostgreSQL, the same server answering its bare ``GET /healthz`` is a secondary floor,
what no verification can beat on that server (targets 1.5x and 0.6x, as before).

The subject is ``GET /v1/authorize`` with a live token, so every request does the whole
verification (HMAC, indexed lookup, scope, expiry, metrics). Both servers run throughout;
the sides' ``wrk`` runs (2 s each) alternate: floor, subject, /healthz; 11 rounds after a
warm-up round, which is thrown away. The servers' CPU time per request is noted too.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app import open_service
from benchmarks import datasets
from benchmarks.harness import Figure, Stats
from benchmarks.verify_calls import _postgresql_copy

WORKERS = 2
CONNECTIONS = 16
FLOOR_PROBE = Path(__file__).resolve().parent / "probes" / "verifier_floor.py"
FLOOR_MARK = "X-Benchmark-Floor"
_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_REQUESTS = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
_BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
VERIFIER_FLOOR = (
    "the same server stack (`app.serve`'s gunicorn, worker class and settings) serving a "
    "minimal WSGI verifier: one HMAC-SHA256, one prepared lookup by digest with the "
    "project's name, no cache, 204"
)
HEALTHZ_FLOOR = "the same server answering `GET /healthz`"


@dataclass(frozen=True)
class _Run:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    # The server's CPU time (its master and workers, user and system) per request: what
    # it costs the machine, which load from other programs moves less than the timings.
    cpu_us_per_request: float = math.nan


@dataclass(frozen=True)
class _Server:
    base: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time the server's processes have used so far (Linux; NaN elsewhere)."""
        try:
            entries = os.listdir("/proc")
        except OSError:
            return math.nan
        total = 0
        for entry in entries:
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            if int(entry) == self.pid or int(fields[1]) == self.pid:
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class _Runs:
    verifier: list[_Run]  # the floor of a correct verifier
    subject: list[_Run]
    healthz: list[_Run]  # the service's bare health endpoint (PostgreSQL only)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _load(server: _Server, path: str, seconds: int, headers: dict[str, str]) -> _Run:
    """One wrk run against ``server``, with the server's CPU time per request."""
    before = server.cpu_seconds()
    run, requests = _wrk(f"{server.base}{path}", seconds, headers)
    used = server.cpu_seconds() - before
    return dataclasses.replace(run, cpu_us_per_request=used / max(requests, 1) * 1e6)


def _wrk(url: str, seconds: int, headers: dict[str, str]) -> tuple[_Run, int]:
    command = ["wrk", "--latency", f"-t{min(2, CONNECTIONS)}", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    latencies = {p: float(v) * _UNITS_MS[u] for p, v, u in _LATENCY.findall(output)}
    rate = _RATE.search(output)
    requests = _REQUESTS.search(output)
    if rate is None or requests is None or set(latencies) != {"50", "99"}:
        raise RuntimeError(f"cannot read wrk's report:\n{output}")
    if "Non-2xx" in output:
        raise RuntimeError(f"the server refused requests during the run:\n{output}")
    run = _Run(float(rate.group(1)), latencies["50"], latencies["99"])
    return run, int(requests.group(1))


@contextmanager
def _started(command: list[str], port: int, name: str) -> Iterator[_Server]:
    """Runs a server listening on ``port`` until it answers ``/readyz``; yields it, and
    stops it on leaving."""
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as errors:
        # Its access log goes to stdout (thrown away); warnings and errors to a file, to
        # be quoted if it fails to start (a pipe could fill up and stall it).
        server = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=errors, env={**os.environ}
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/readyz", timeout=2):  # noqa: S310
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        server.kill()
                        server.wait(timeout=30)
                        errors.seek(0)
                        said = errors.read().decode(errors="replace")[-1500:]
                        raise RuntimeError(f"the {name} did not become ready:\n{said}") from None
                    time.sleep(0.1)
            yield _Server(base, server.pid)
        finally:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=30)


def _authorize(base: str, token: str) -> tuple[int, bool]:
    """(status, whether the floor answered) of one ``GET /v1/authorize``."""
    request = urllib.request.Request(  # noqa: S310 (loopback)
        f"{base}/v1/authorize",
        headers={"Authorization": f"Bearer {token}", "X-Deployment-Project": datasets.PROJECT},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers.get(FLOOR_MARK) is not None
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers.get(FLOOR_MARK) is not None


def _check_servers(url: str, floor: _Server, subject: _Server, live: str) -> None:
    """Both servers allow the live token and refuse a token revoked a moment ago; only the
    floor marks its answers (so the floor really is the probe's application)."""
    with open_service(url) as service:
        record, revoked = service.generate(datasets.PROJECT, "revoked at once")
        for server in (floor, subject):
            if _authorize(server.base, revoked)[0] != 204:
                raise RuntimeError(f"{server.base} refused a live token")
        service.revoke(datasets.PROJECT, record.id)
    for server, is_floor in ((floor, True), (subject, False)):
        if _authorize(server.base, live) != (204, is_floor):
            raise RuntimeError(f"{server.base} did not allow the live token as expected")
        if _authorize(server.base, revoked)[0] != 401:
            raise RuntimeError(f"{server.base} allowed a token revoked before the request")


@contextmanager
def _database(backend: str, tokens: int) -> Iterator[str]:
    datasets.use_benchmark_salt()
    cached = datasets.cached_sqlite(tokens)
    if backend == "postgresql":
        with _postgresql_copy(cached) as url:
            yield url
    else:
        with tempfile.TemporaryDirectory() as scratch:
            yield datasets.working_copy(cached, Path(scratch))


@cache
def _measure(backend: str, tokens: int, rounds: int, seconds: int, warmup: int) -> _Runs:
    """Each side's runs, alternated; cached so the figures of a backend share one run."""
    with _database(backend, tokens) as url:
        with open_service(url) as service:
            _, plaintext = service.generate(datasets.PROJECT)
        floor_port = subject_port = _free_port()
        while subject_port == floor_port:
            subject_port = _free_port()
        floor_command = [sys.executable, str(FLOOR_PROBE), url, str(floor_port), str(WORKERS)]
        subject_command = [sys.executable, "-m", "app", "--database", url, "serve",
                           "--port", str(subject_port), "--workers", str(WORKERS)]  # fmt: skip
        with (
            _started(floor_command, floor_port, "floor's server") as floor,
            _started(subject_command, subject_port, "service") as subject,
        ):
            _check_servers(url, floor, subject, plaintext)
            headers = {
                "Authorization": f"Bearer {plaintext}",
                "X-Deployment-Project": datasets.PROJECT,
            }
            runs = _Runs([], [], [])
            for _ in range(warmup + rounds):
                runs.verifier.append(_load(floor, "/v1/authorize", seconds, headers))
                runs.subject.append(_load(subject, "/v1/authorize", seconds, headers))
                if backend == "postgresql":
                    runs.healthz.append(_load(subject, "/healthz", seconds, {}))
            # The warm-up rounds are thrown away.
            return _Runs(runs.verifier[warmup:], runs.subject[warmup:], runs.healthz[warmup:])


def _p99s(runs: list[_Run]) -> str:
    return ", ".join(f"{run.p99_ms:.2f}" for run in runs)


def _cpu(subject: list[_Run], floor: list[_Run], floor_name: str) -> list[str]:
    """The servers' CPU per request, medians: where the difference in time comes from."""
    cpu_subject = statistics.median(run.cpu_us_per_request for run in subject)
    cpu_floor = statistics.median(run.cpu_us_per_request for run in floor)
    if math.isnan(cpu_subject) or math.isnan(cpu_floor):
        return []
    return [
        "Server CPU per request (master and workers, medians): the service "
        f"{cpu_subject:.0f} \u00b5s, {floor_name} {cpu_floor:.0f} \u00b5s."
    ]


def _sized(tokens: int) -> str:
    return f"{tokens:,} tokens, wrk with {CONNECTIONS} connections, {WORKERS} workers"


def measure_latency(
    backend: str,
    *,
    tokens: int = 1_000_000,
    rounds: int = 11,
    seconds: int = 2,
    warmup: int = 1,
) -> Figure:
    runs = _measure(backend, tokens, rounds, seconds, warmup)
    return Figure(
        name=f"authorize over HTTP, {_BACKEND_NAMES[backend]}: p50",
        subject=f"`GET /v1/authorize` with a live token, {_sized(tokens)}",
        floor=VERIFIER_FLOOR,
        subject_stats=Stats(tuple(run.p50_ms for run in runs.subject)),
        floor_stats=Stats(tuple(run.p50_ms for run in runs.verifier)),
        max_ratio=1.25,
        notes=[
            f"p99: {_p99s(runs.subject)} ms (floor: {_p99s(runs.verifier)} ms).",
            *_cpu(runs.subject, runs.verifier, "floor"),
        ],
    )


def measure_throughput(
    backend: str,
    *,
    tokens: int = 1_000_000,
    rounds: int = 11,
    seconds: int = 2,
    warmup: int = 1,
) -> Figure:
    runs = _measure(backend, tokens, rounds, seconds, warmup)
    return Figure(
        name=f"authorize over HTTP, {_BACKEND_NAMES[backend]}: throughput",
        subject=f"`GET /v1/authorize` requests per second, {_sized(tokens)}",
        floor=VERIFIER_FLOOR,
        subject_stats=Stats(tuple(run.requests_per_second for run in runs.subject)),
        floor_stats=Stats(tuple(run.requests_per_second for run in runs.verifier)),
        unit="requests/s",
        min_ratio=0.8,
        notes=_cpu(runs.subject, runs.verifier, "floor"),
    )


def measure_healthz_latency(
    *, tokens: int = 1_000_000, rounds: int = 11, seconds: int = 2, warmup: int = 1
) -> Figure:
    """Secondary: against the bare health endpoint, which no verification can approach."""
    runs = _measure("postgresql", tokens, rounds, seconds, warmup)
    return Figure(
        name="authorize over HTTP, PostgreSQL: p50 against /healthz",
        subject=f"`GET /v1/authorize` with a live token, {_sized(tokens)} (the runs above)",
        floor=HEALTHZ_FLOOR,
        subject_stats=Stats(tuple(run.p50_ms for run in runs.subject)),
        floor_stats=Stats(tuple(run.p50_ms for run in runs.healthz)),
        max_ratio=1.5,
        notes=[
            f"/healthz p99: {_p99s(runs.healthz)} ms.",
            *_cpu(runs.subject, runs.healthz, "`/healthz`"),
        ],
    )


def measure_healthz_throughput(
    *, tokens: int = 1_000_000, rounds: int = 11, seconds: int = 2, warmup: int = 1
) -> Figure:
    """Secondary: against the bare health endpoint, which no verification can approach."""
    runs = _measure("postgresql", tokens, rounds, seconds, warmup)
    return Figure(
        name="authorize over HTTP, PostgreSQL: throughput against /healthz",
        subject=f"`GET /v1/authorize` requests per second, {tokens:,} tokens (the runs above)",
        floor=HEALTHZ_FLOOR,
        subject_stats=Stats(tuple(run.requests_per_second for run in runs.subject)),
        floor_stats=Stats(tuple(run.requests_per_second for run in runs.healthz)),
        unit="requests/s",
        min_ratio=0.6,
    )
