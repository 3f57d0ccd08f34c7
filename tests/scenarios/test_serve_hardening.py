"""deployment-tokens serve against what an attacker or a careless client sends, as a
real process on loopback: secrets in request lines, slow clients, guesses spread over
the workers. Every socket has a timeout and every loop a deadline."""

from __future__ import annotations

import base64
import contextlib
import os
import re
import select
import selectors
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import open_service
from tests.support import shared
from tests.support.serving import request, serve_process


@contextlib.contextmanager
def serving(database_url: str, log_path: Path, *args: str, **env: str) -> Iterator[int]:
    """``serve --workers 2`` (and ``args``, and ``env`` added to this process's
    environment) on a free loopback port; its port. Its stdout and stderr go to
    ``log_path``; stopped with SIGTERM, which must exit 0."""
    with serve_process(database_url, log_path, *args, env={**os.environ, **env}) as (port, _):
        yield port


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


# What the event loop must hold until it is whole (or refuse), however it is sent: each
# opens with the bytes at the front, then sends the drip every 0.25 s.
_PADDING = b"".join(b"X-Padding-%02d: %s\r\n" % (n, b"a" * 3900) for n in range(17))
SLOW_REQUESTS = {
    # A head over the event loop's limit (~67 KB): refused at once, never read on.
    "huge-head": (b"GET /v1/authorize HTTP/1.1\r\nHost: x\r\n" + _PADDING, b"G"),
    # A head within the limit (~27 KB) that never ends.
    "large-head": (b"GET /v1/authorize HTTP/1.1\r\nHost: x\r\n" + _PADDING[: 7 * 3915], b"G"),
    # A whole request, and the start of a second one behind it on the same connection.
    "pipelined": (
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n",
        b"G",
    ),
    # A chunked body whose chunks never end (refused at once: only lengths are taken).
    "chunked": (
        b"POST /v1/introspect HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n\r\n",
        b"1\r\na\r\n",
    ),
    # A body of the size a revocation batch may have, sent a byte at a time.
    "large-body": (
        b"POST /v1/revoke_tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 500000\r\n\r\n[",
        b"a",
    ),
}


class Trickle:
    """``count`` connections that each send ``opening``, then ``drip`` every ``every``
    seconds, from one thread; notes when the server closes each (or resets it)."""

    def __init__(
        self, port: int, opening: bytes, drip: bytes, count: int = 16, every: float = 0.25
    ) -> None:
        self.started = time.monotonic()
        self.closed_after: list[float | None] = [None] * count
        self.connections = [
            socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)
        ]
        for n, connection in enumerate(self.connections):
            try:
                connection.sendall(opening)
            except OSError:  # refused before it was all sent
                self.closed_after[n] = time.monotonic() - self.started
        self._drip = drip
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        give_up = self.started + 30
        while not self._stop.is_set() and time.monotonic() < give_up:
            open_ = [c for n, c in enumerate(self.connections) if self.closed_after[n] is None]
            if not open_:
                return
            for connection in open_:
                n = self.connections.index(connection)
                try:
                    connection.sendall(self._drip)
                    while select.select([connection], [], [], 0)[0]:
                        if not connection.recv(65536):
                            raise ConnectionResetError  # closed by the server
                except OSError:
                    self.closed_after[n] = time.monotonic() - self.started
            self._stop.wait(self._every)

    def wait_closed(self, timeout: float) -> list[float | None]:
        """When the server closed each connection (None: it did not, within ``timeout``)."""
        self._thread.join(timeout)
        return list(self.closed_after)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for connection in self.connections:
            connection.close()


def answered_within(port: int, limit: float, requests: int = 6) -> list[float]:
    """How long each of a few /healthz requests (new connections, so both workers get
    some) took; stops at the first that took ``limit`` seconds or more."""
    took: list[float] = []
    for _ in range(requests):
        started = time.monotonic()
        status, _, text = request(port, "GET", "/healthz")
        took.append(round(time.monotonic() - started, 2))
        assert (status, text) == (200, "ok\n")
        if took[-1] >= limit:
            break
    return took


# The request timeout of the serve the never-ending requests are sent to, and what is
# measured against it: a /healthz must be answered well before the first never-ending
# request could be cut off and free a thread (LIMIT, counted from 0.5 s after they
# opened), and each must be cut off by the timeout, with room for a loaded machine (the
# event loop looks for expired requests about once a second).
NEVER_ENDING_TIMEOUT = 3.0
ANSWERED_WITHIN = NEVER_ENDING_TIMEOUT - 1.0
CUT_OFF_WITHIN = NEVER_ENDING_TIMEOUT + 3.0


@pytest.fixture(scope="module")
def never_ending_store(backend, tmp_path_factory, request):
    with shared.module_store(backend, tmp_path_factory.mktemp("hardening"), request) as store:
        yield store


@pytest.fixture(scope="module")
def never_ending_started(never_ending_store, tmp_path_factory):
    with shared.started_once(tmp_path_factory.mktemp("hardening-serve")) as started:
        yield started


@pytest.fixture
def never_ending_serve(never_ending_started, never_ending_store) -> int:
    """One serve for every kind of never-ending request (each closes all its connections
    before the next starts), with NEVER_ENDING_TIMEOUT; its port."""

    def start() -> contextlib.AbstractContextManager[int]:
        open_service(never_ending_store.url).close()  # the database exists before serve
        log = never_ending_started.directory / "serve.log"
        timeout = str(NEVER_ENDING_TIMEOUT)
        return serving(never_ending_store.url, log, ML_DEPLOYMENT_REQUEST_TIMEOUT=timeout)

    return int(never_ending_started.get("serve", start))


@pytest.mark.parametrize("variant", SLOW_REQUESTS)
def test_a_request_that_never_ends_holds_no_thread(variant, never_ending_serve):
    opening, drip = SLOW_REQUESTS[variant]
    port = never_ending_serve
    # Two workers of four threads: 16 connections were enough to hold them all.
    slow = Trickle(port, opening, drip)
    try:
        time.sleep(0.5)
        took = answered_within(port, limit=ANSWERED_WITHIN)
        assert max(took) < ANSWERED_WITHIN, (
            f"requests took {took} s while {variant} requests were open"
        )
        closed = slow.wait_closed(timeout=15)
        assert all(after is not None and after < CUT_OFF_WITHIN for after in closed), closed
    finally:
        slow.close()


def test_clients_that_never_close_hold_up_nobody(service, database_url, tmp_path):
    # Told the connection closes, a client should close its end too; these never do.
    # (gthread waits for each, up to 2 s, in the event loop itself: nobody else is served.)
    closing = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    with serving(database_url, tmp_path / "serve.log", ML_DEPLOYMENT_REQUEST_TIMEOUT="5") as port:
        connections = []
        try:
            for _ in range(16):
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                connection.sendall(closing)
                connections.append(connection)
            time.sleep(0.2)
            took = answered_within(port, limit=3)
            assert max(took) < 3, f"requests took {took} s while clients kept connections open"
        finally:
            for connection in connections:
                connection.close()


class Flood:
    """``count`` connections that each send one byte and no more, each opened again as
    soon as the server closes it; from one thread, for ``seconds`` at most."""

    def __init__(self, port: int, count: int, seconds: float = 30) -> None:
        self.address = ("127.0.0.1", port)
        self.count = count
        self.reopened = 0
        self._selector = selectors.DefaultSelector()
        self._stop = threading.Event()
        self._until = time.monotonic() + seconds
        self._opened = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert self._opened.wait(30), "the flood did not start"

    def _open(self) -> None:
        connection = socket.socket()
        connection.setblocking(False)
        connection.connect_ex(self.address)
        self._selector.register(connection, selectors.EVENT_WRITE)

    def _reopen(self, connection: socket.socket) -> None:
        self._selector.unregister(connection)
        connection.close()
        self.reopened += 1
        self._open()

    def _run(self) -> None:
        try:
            for _ in range(self.count):
                self._open()
            self._opened.set()
            while not self._stop.is_set() and time.monotonic() < self._until:
                for key, events in self._selector.select(0.1):
                    connection = key.fileobj
                    assert isinstance(connection, socket.socket)
                    try:
                        if events & selectors.EVENT_WRITE:  # connected, or refused
                            if connection.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                                raise ConnectionRefusedError
                            connection.send(b"G")
                            self._selector.modify(connection, selectors.EVENT_READ)
                        elif not connection.recv(4096):
                            raise ConnectionResetError  # closed by the server
                    except OSError:
                        self._reopen(connection)
        finally:
            self._opened.set()
            for key in list(self._selector.get_map().values()):
                key.fileobj.close()  # type: ignore[union-attr]
            self._selector.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(10)


FLOOD = 2500


@pytest.fixture
def files_for_a_flood() -> Iterator[None]:
    """Room for the flood's sockets here and in serve (started after, it inherits the
    limit): a person's login session usually allows 1,024 open files, the hard limit
    far more."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = FLOOD + 1000
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"the flood needs {wanted} open files; this session allows {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.mark.usefixtures("files_for_a_flood")
def test_a_flood_of_connections_holds_up_nobody(service, database_url, tmp_path):
    # Two workers take 1,000 connections each (gunicorn's worker_connections): 2,500
    # that each send a byte, and come back when they are cut off, take them all.
    with serving(database_url, tmp_path / "serve.log", ML_DEPLOYMENT_REQUEST_TIMEOUT="5") as port:
        flood = Flood(port, count=FLOOD)
        try:
            time.sleep(1)
            took = answered_within(port, limit=3)
            assert max(took) < 3, f"requests took {took} s with 2,500 connections open"
            assert flood.reopened > 0  # the server cut some off to make room
        finally:
            flood.close()
    assert "closing those that have waited longest" in (tmp_path / "serve.log").read_text()


def statuses(answer: bytes) -> list[int]:
    return [int(status) for status in re.findall(rb"^HTTP/1\.1 (\d{3}) ", answer, re.MULTILINE)]


def test_requests_the_event_loop_reads_whole_are_answered(service, database_url, tmp_path):
    service.add_project("web")
    _, secret = service.add_client("gateway")
    _, key = service.add_revocation_key("gitlab")
    basic = base64.b64encode(f"gateway:{secret}".encode())
    introspect = (
        b"POST /v1/introspect HTTP/1.1\r\nHost: x\r\nAuthorization: Basic %s\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n" % basic
    )
    revoke = (
        b"POST /v1/revoke_tokens HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\n"
        b"Content-Type: application/json\r\nConnection: close\r\n" % key.encode()
    )
    with serving(database_url, tmp_path / "serve.log", ML_DEPLOYMENT_REQUEST_TIMEOUT="5") as port:
        # Pipelined, in one piece: each is answered, in order.
        pipelined = (
            b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            b"POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        assert statuses(exchange(port, pipelined)) == [200, 404, 200]
        # A body must say its length: no endpoint reads a chunked one.
        chunked = introspect + b"Transfer-Encoding: chunked\r\n\r\n9\r\ntoken=abc\r\n0\r\n\r\n"
        assert statuses(exchange(port, chunked)) == [411]
        # A client that waits to be told to send its body is told once.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(introspect + b"Expect: 100-continue\r\nContent-Length: 9\r\n\r\n")
            assert connection.recv(4096) == b"HTTP/1.1 100 Continue\r\n\r\n"
            connection.sendall(b"token=abc")
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        assert statuses(answer) == [200]
        # The largest revocation batch, read by the event loop; anything larger refused
        # unread.
        body = b"[" + b" " * 499_998 + b"]"
        answer = exchange(port, revoke + b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        assert statuses(answer) == [204]
        answer = exchange(port, revoke + b"Content-Length: 600000\r\n\r\n[")
        assert statuses(answer) == [400]
        # Heads: a large one is read; one over the event loop's limit refused.
        padding = b"X-Padding: %s\r\n" % (b"a" * 4000)
        head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        assert statuses(exchange(port, head + padding * 7 + b"\r\n")) == [200]
        assert statuses(exchange(port, head + padding * 9 + b"\r\n")) == [431]
        # Framing gunicorn refuses, refused.
        twice = b"POST /v1/introspect HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
        assert statuses(exchange(port, twice + b"Content-Length: 3\r\n\r\nabc")) == [400]
    assert "a head over 32768 bytes" in (tmp_path / "serve.log").read_text()
