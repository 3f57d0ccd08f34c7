"""deployment-tokens serve against what an attacker or a careless client sends, as a
real process on loopback: secrets in request lines, slow clients, guesses spread over
the workers. Every socket has a timeout and every loop a deadline."""

from __future__ import annotations

import base64
import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tests.support.serving import free_port, request


@contextlib.contextmanager
def serving(database_url: str, log_path: Path, *args: str, **env: str) -> Iterator[int]:
    """``serve --workers 2`` (and ``args``) on a free loopback port; its port. Its
    stdout and stderr go to ``log_path``; stopped with SIGTERM, which must exit 0."""
    port = free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "--database", database_url, "serve",
             "--port", str(port), "--workers", "2", *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while True:
                with contextlib.suppress(OSError):
                    if request(port, "GET", "/healthz")[0] == 200:
                        break
                assert process.poll() is None, "serve exited at start-up"
                assert time.monotonic() < deadline, "serve did not start within 30 s"
                time.sleep(0.1)
            yield port
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    assert process.returncode == 0


def exchange(port: int, data: bytes, timeout: float = 10.0) -> bytes:
    """Send ``data`` on a new connection; everything the server answers until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(data)
        answer = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = connection.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            answer += chunk
        return answer


def test_secrets_in_request_lines_reach_neither_the_log_nor_the_answer(
    service, database_url, tmp_path
):
    service.add_project("web")
    _, token = service.generate("web")
    _, client_secret = service.add_client("gateway")
    _, revocation_key = service.add_revocation_key("gitlab")
    sent = [
        f"GET /v1/authorize?t={token} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        f"GET /v1/{token} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        f"GET /x{token}\x01 HTTP/1.1\r\nHost: x\r\n\r\n",  # a malformed request line
        f"{token} / HTTP/1.1\r\nHost: x\r\n\r\n",  # as the method
        f"GET / HTTP/1.{token}\r\nHost: x\r\n\r\n",  # as the version
        f"GET /{token}{'a' * 5000} HTTP/1.1\r\nHost: x\r\n\r\n",  # over-long
        f"GET /?k={client_secret}\x01 HTTP/1.1\r\nHost: x\r\n\r\n",
        f"GET /?k={revocation_key} HTTP/1.1\r\nHost: x\r\nX\x01: y\r\n\r\n",
    ]
    # Checked without ever showing a secret in the test's output, should it fail.
    secrets = [token, client_secret, revocation_key]
    log_path = tmp_path / "serve.log"
    with serving(database_url, log_path) as port:
        for n, data in enumerate(sent):
            try:
                answer = exchange(port, data.encode("latin-1"))
            except OSError as error:
                raise AssertionError(f"request {n}: {type(error).__name__}") from None
            refused = answer.startswith(b"HTTP/1.1 4")
            assert refused, f"request {n} was not refused"
            echoed = [s for s, secret in enumerate(secrets) if secret[5:].encode() in answer]
            assert echoed == [], f"request {n}'s answer holds secrets {echoed}"
        deadline = time.monotonic() + 10
        while log_path.read_text().count("Invalid request") < 5:
            assert time.monotonic() < deadline, "gunicorn's warnings never came"
            time.sleep(0.1)
        assert '"GET /v1/mldt_\u2026" 404' in log_path.read_text()  # the access log runs
    logged = log_path.read_text()
    # Neither whole nor a good part of one.
    found = [n for n, secret in enumerate(secrets) if secret[5:25] in logged]
    assert found == [], f"the log holds secrets {found}"


class SlowClient:
    """A connection that sends one byte every 0.25 s (a request head, or a body after a
    whole head), and notes when the server closes it."""

    def __init__(self, port: int, head: bytes = b"") -> None:
        self.connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.connection.sendall(head)
        self.closed_after: float | None = None
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._trickle, daemon=True)
        self._thread.start()

    def _trickle(self) -> None:
        give_up = self._started + 20
        while time.monotonic() < give_up:
            try:
                self.connection.sendall(b"G")
                readable, _, _ = select.select([self.connection], [], [], 0.25)
                if readable and not self.connection.recv(4096):
                    break  # closed by the server
            except OSError:  # reset, or a broken pipe: closed by the server as well
                break
        else:
            return  # never closed
        self.closed_after = time.monotonic() - self._started

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)
        self.connection.close()


def test_slow_clients_are_cut_off_and_hold_up_nobody(service, database_url, tmp_path):
    service.add_project("web")
    _, key = service.add_revocation_key("gitlab")
    small_body = (
        b"POST /v1/introspect HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\n"
    )
    # A batch too large for the event loop to read: a thread reads it, until the deadline.
    large_body = (
        b"POST /v1/revoke_tokens HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n[" % key.encode()
    )
    with serving(database_url, tmp_path / "serve.log", ML_DEPLOYMENT_REQUEST_TIMEOUT="1") as port:
        silent = socket.create_connection(("127.0.0.1", port), timeout=5)
        # Two workers of four threads: fourteen slow clients, heads and bodies.
        heads = [b"", small_body] * 6 + [large_body] * 2
        try:
            slow = [SlowClient(port, head) for head in heads]
        except OSError as error:  # said without the head, which holds a key
            raise AssertionError(f"a slow client could not connect: {error.errno}") from None
        try:
            time.sleep(0.5)
            started = time.monotonic()
            status, _, text = request(port, "GET", "/healthz")  # a 10 s timeout
            assert (status, text) == (200, "ok\n")
            assert time.monotonic() - started < 10
            for client in slow:
                client.join(timeout=15)
            assert all(client.closed_after is not None for client in slow), (
                "the server did not close every slow connection"
            )
            assert all(client.closed_after < 10 for client in slow)  # type: ignore[operator]
            silent.settimeout(10)
            assert silent.recv(1) == b""  # a client that sends nothing is closed too
        finally:
            silent.close()
            for client in slow:
                client.join(timeout=1)


def test_failed_logins_and_calls_are_counted_across_workers(service, database_url, tmp_path):
    from app.http.rate_limits import LIMIT
    from app.http.revocation import REVOCATION_CALLS_PER_MINUTE

    service.add_project("web")
    _, plaintext = service.generate("web")
    _, secret = service.add_client("gateway")
    _, key = service.add_revocation_key("gitlab")

    # The secrets stay out of these helpers' arguments, which a failure would show.
    def introspect(right: bool) -> int:
        basic = base64.b64encode(f"gateway:{secret if right else 'wrong'}".encode()).decode()
        headers = {
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        try:
            return request(port, "POST", "/v1/introspect", headers, f"token={plaintext}")[0]
        except OSError as error:
            raise AssertionError(f"introspect: {error.errno}") from None

    def revocable_token_types() -> int:
        try:
            return request(port, "GET", "/v1/revocable_token_types", {"Authorization": key})[0]
        except OSError as error:
            raise AssertionError(f"revocable_token_types: {error.errno}") from None

    with serving(database_url, tmp_path / "serve.log") as port:
        # Every request on a new connection: the two workers take turns as they come.
        answers = [introspect(right=False) for _ in range(LIMIT + 20)]
        assert answers == [401] * LIMIT + [429] * 20  # one limit for the whole serve
        right = introspect(right=True)
        assert right == 200  # and never for the right secret
        calls = [revocable_token_types() for _ in range(REVOCATION_CALLS_PER_MINUTE + 1)]
        assert calls == [200] * REVOCATION_CALLS_PER_MINUTE + [429]


def test_serve_refuses_a_trusted_proxy_that_is_not_an_address(service, database_url, cli_process):
    refused = cli_process("--database", database_url, "serve", "--trusted-proxy", "nginx.local")
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1
    assert "--trusted-proxy: 'nginx.local' is not an IP address" in refused.stderr
    from_environment = cli_process(
        "--database", database_url, "serve", env={"ML_DEPLOYMENT_TRUSTED_PROXIES": "10.0.0.1 x"}
    )
    assert from_environment.returncode == 2
    assert "ML_DEPLOYMENT_TRUSTED_PROXIES: 'x' is not an IP address" in from_environment.stderr
