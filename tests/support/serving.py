"""The verification service as a real process, and plain HTTP requests to it."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request(port: int, method: str, path: str, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


@contextmanager
def serve_process(
    database_url: str, log_path: Path, *args: str, env: Mapping[str, str] | None = None
) -> Iterator[tuple[int, subprocess.Popen]]:
    """``deployment-tokens serve --workers 2`` (and ``args``) on a free loopback port,
    answering /healthz; its port and process. Its stdout and stderr go to ``log_path``;
    ``env`` is its whole environment (default: this process's). Stopped with SIGTERM
    (unless the test stopped it), which must exit 0."""
    port = free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "--database", database_url, "serve",
             "--port", str(port), "--workers", "2", *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ if env is None else env),
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if request(port, "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                assert process.poll() is None, "serve exited at start-up"
                assert time.monotonic() < deadline, "serve did not start within 30 s"
                time.sleep(0.05)
            yield port, process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    assert process.returncode == 0


@pytest.fixture
def server(database_url, service, tmp_path) -> Iterator[tuple[int, subprocess.Popen]]:
    """``deployment-tokens serve`` with two workers on a free loopback port, over the
    test database (with a project "web"); stopped with SIGTERM, which must exit 0."""
    service.add_project("web")  # the database exists before the service starts
    with serve_process(database_url, tmp_path / "serve.log") as started:
        yield started
