"""``deployment-tokens serve``: the verification service on gunicorn.

Falcon on gunicorn's threaded workers: verification is a blocking database call, and
in measurements that beat Starlette on uvicorn, whose sync endpoints hand each request
to a thread pool (README, "Pipelines and gateways"). Stateless: any number of instances
can run against one PostgreSQL. Each worker opens its own service after the fork; the
rate limits are made before it, in memory every worker shares.

Two things gunicorn does are changed here, for a service whose requests carry secrets:

- its log lines and error pages: every line (errors, tracebacks, the access log) has
  anything shaped like one of our secrets cut down to its prefix, and an error page says
  only its status (gunicorn's quotes the request line or header it refused);
- who holds a thread: the worker's event loop reads a request's head (and a small body)
  itself, so a client that sends slowly, or nothing, holds no thread, and is cut off
  when the request is not in within ``REQUEST_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import math
import os
import re
import selectors
import shutil
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from app import open_service, tokens
from app.errors import ConfigurationError
from app.http.rate_limits import trusted_networks
from app.revocation_keys import KEY_PREFIX

try:
    import gunicorn
    from gunicorn.app.base import BaseApplication
    from gunicorn.glogging import Logger
    from gunicorn.http.errors import NoMoreData
    from gunicorn.workers.gthread import TConn, ThreadWorker
except ImportError:
    raise ConfigurationError(
        "the verification service needs the server extra: pip install 'deployment-tokens[server]'"
    ) from None

if TYPE_CHECKING:
    from app.service import TokenService

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
# Threads only run the application: heads and small bodies are read by the event loop.
THREADS_PER_WORKER = 4
# The access log: method, path, status, size and time; never a header or a query string
# (tokens travel in headers, but a misconfigured client could put one in a URL).
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# From the connection (or, kept alive, its next byte) to the whole request read: what a
# slow or silent client gets before it is cut off.
REQUEST_TIMEOUT_SECONDS = 10.0
REQUEST_TIMEOUT_ENV = "ML_DEPLOYMENT_REQUEST_TIMEOUT"
TRUSTED_PROXIES_ENV = "ML_DEPLOYMENT_TRUSTED_PROXIES"
# What the event loop reads of a request before a thread takes it: the head, and a body
# of at most PREBUFFERED_BODY_BYTES (every endpoint's but GitLab's revocation batches).
PREBUFFER_LIMIT = 64 * 1024
PREBUFFERED_BODY_BYTES = 16 * 1024
# gthread's internals the worker builds on (gunicorn 27).
_GTHREAD_NEEDS = ("enqueue_req", "finish_request", "murder_pending", "on_client_socket_readable")

# Our secrets, whole or cut short, with the prefix in any case and its "_" perhaps
# percent-encoded (as in a URL).
_SECRET = re.compile(
    "("
    + "|".join(re.escape(p[:-1]) for p in (tokens.PREFIX, tokens.CLIENT_SECRET_PREFIX, KEY_PREFIX))
    + r")(?:_|%5f)[0-9a-z%]+",
    re.IGNORECASE,
)
_HEAD_END = re.compile(rb"\r?\n\r?\n")


def redact_secrets(text: str) -> str:
    """``text`` with every token, client secret or revocation key (or the start of one)
    cut down to its prefix: ``mldt_…``."""
    return _SECRET.sub(lambda found: f"{found.group(1)}_\u2026", text)


def serve(
    database_url: str | None,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    workers: int = 2,
    trusted_proxies: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run the service until it is stopped (SIGTERM, Ctrl+C); returns the exit code.

    ``trusted_proxies`` (addresses or networks) defaults to ``ML_DEPLOYMENT_TRUSTED_PROXIES``
    (separated by commas or spaces), and else to none.
    """
    env = os.environ if environ is None else environ
    missing = [name for name in _GTHREAD_NEEDS if not hasattr(ThreadWorker, name)]
    if missing:
        raise ConfigurationError(
            f"the verification service needs gunicorn 27 (this is {gunicorn.__version__}): "
            "pip install 'gunicorn>=27,<28'"
        )
    request_timeout = _request_timeout(env)
    if trusted_proxies is None:
        trusted_proxies = env.get(TRUSTED_PROXIES_ENV, "").replace(",", " ").split()
        source = TRUSTED_PROXIES_ENV
    else:
        source = "--trusted-proxy"
    try:
        trusted_networks(trusted_proxies)
    except ValueError as error:
        raise ConfigurationError(f"{source}: {error}") from None
    # Checked once up front, so a wrong URL or a missing database is one line, not a
    # worker that dies at its first request.
    open_service(database_url, create=False).close()

    made_metrics_directory = None
    if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        # Counters from every worker, summed on /metrics. Set before prometheus_client
        # is imported: it chooses how to keep values when it loads.
        made_metrics_directory = tempfile.mkdtemp(prefix="deployment-tokens-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = made_metrics_directory
    from app.http.application import Metrics, create_app

    opened: dict[int, TokenService] = {}
    lock = threading.Lock()

    def service() -> TokenService:
        pid = os.getpid()
        found = opened.get(pid)
        if found is None:
            with lock:
                found = opened.get(pid)
                if found is None:
                    found = opened[pid] = open_service(database_url, create=False)
        return found

    metrics = Metrics(_registry())
    # Made here, in gunicorn's master, so that the workers it forks share the limits.
    application = create_app(service, metrics, trusted_proxies=trusted_proxies)
    worker = type("Worker", (_Worker,), {"request_timeout": request_timeout})

    class _Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers,
                "worker_class": worker,
                "threads": THREADS_PER_WORKER,
                "logger_class": _RedactingLogger,
                "accesslog": "-",
                "access_log_format": ACCESS_LOG_FORMAT,
                "errorlog": "-",
                "loglevel": "warning",
                "proc_name": "deployment-tokens-serve",
                # Requests with huge header lines or fields are refused by gunicorn itself.
                "limit_request_line": 4094,
                "limit_request_fields": 50,
                "limit_request_field_size": 4096,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    try:
        _Gunicorn().run()
    finally:
        if made_metrics_directory is not None:
            shutil.rmtree(made_metrics_directory, ignore_errors=True)
    return 0


def _request_timeout(env: Mapping[str, str]) -> float:
    text = env.get(REQUEST_TIMEOUT_ENV, "").strip()
    if not text:
        return REQUEST_TIMEOUT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0.1 <= seconds <= 600:
        raise ConfigurationError(f"{REQUEST_TIMEOUT_ENV} is seconds, from 0.1 to 600")
    return seconds


def _registry() -> Any:
    """The registry /metrics reads: every worker's, when there are several."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return None
    from prometheus_client import CollectorRegistry, multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


class _RedactingFormatter(logging.Formatter):
    """Another formatter's lines, with our secrets cut out (redact_secrets)."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self._inner = inner if inner is not None else logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return redact_secrets(self._inner.format(record))


class _RedactingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with every line redacted: gunicorn's errors (which quote a
    request line it refused), tracebacks, the access log, and the app's own log."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        handlers = [
            *self.error_log.handlers,
            *self.access_log.handlers,
            *logging.getLogger().handlers,
        ]
        for handler in handlers:
            if not isinstance(handler.formatter, _RedactingFormatter):
                handler.setFormatter(_RedactingFormatter(handler.formatter))


class _Connection(TConn):  # type: ignore[misc]
    """A client's connection, with what the event loop has read of its next request."""

    def __init__(self, cfg: Any, sock: Any, client: Any, server: Any) -> None:
        super().__init__(cfg, sock, client, server)
        self.arrived = bytearray()
        # When the request being read must be in (monotonic); None once a thread has it.
        self.deadline: float | None = None


class _DeadlineSocket:
    """The parser's side of a client's socket: a read waits until the request's deadline
    at most, then ends the request as a client that went away would (NoMoreData)."""

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self.deadline = math.inf

    def recv(self, size: int) -> bytes:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise NoMoreData(None)
        self._sock.settimeout(left)
        try:
            return bytes(self._sock.recv(size))
        except TimeoutError:
            raise NoMoreData(None) from None
        finally:
            self._sock.settimeout(None)


class _PlainErrorPage:
    """The socket gunicorn's error handler writes its page to: the page it writes quotes
    the request line or header it refused (a token in a URL with it), so only its status
    is sent."""

    _STATUS = re.compile(rb"HTTP/1\.[01] ([1-5][0-9][0-9]) ([A-Za-z -]{1,60})")

    def __init__(self, sock: Any) -> None:
        self._sock = sock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def sendall(self, data: bytes) -> None:
        status = self._STATUS.match(data)
        code, reason = status.groups() if status else (b"400", b"Bad Request")
        body = reason + b"\n"
        self._sock.sendall(
            b"HTTP/1.1 %s %s\r\nConnection: close\r\nContent-Type: text/plain\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (code, reason, len(body), body)
        )


class _Worker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's threaded worker, whose event loop reads each request's head (and a
    small body) before a thread takes it, and cuts off a request not in by its deadline:
    a slow or silent client holds no thread. gthread alone hands a connection to a
    thread at its first byte, and that thread then waits for the rest without a limit.
    """

    request_timeout = REQUEST_TIMEOUT_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Connections whose request is arriving, oldest deadline first (dict order).
        self._arriving: dict[_Connection, None] = {}

    def accept(self, listener: Any) -> None:
        if self.cfg.is_ssl:  # the event loop cannot read TLS; serve never sets it up
            super().accept(listener)
            return
        try:
            sock, client = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        self._await_request(_Connection(self.cfg, sock, client, listener.getsockname()))

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        """A kept-alive connection's next request begins."""
        if not isinstance(conn, _Connection):
            super().on_client_socket_readable(conn, client)
            return
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._await_request(conn, readable=True)

    def murder_pending(self) -> None:
        super().murder_pending()
        now = time.monotonic()
        for conn in list(self._arriving):
            late = conn.deadline is None or conn.deadline <= now
            if late or (not self.alive and not conn.arrived):
                self._drop(conn)  # too slow; or stopping, and no request begun
            elif self.alive:
                break  # the rest have later deadlines

    def handle(self, conn: Any) -> Any:
        if not isinstance(conn, _Connection):
            return super().handle(conn)
        arrived, conn.arrived = bytes(conn.arrived), bytearray()
        deadline = conn.deadline
        conn.deadline = None
        if deadline is None:  # bytes left over from the last request: a new request
            deadline = time.monotonic() + self.request_timeout
        conn.sock.setblocking(True)
        conn.init()
        reader = conn.parser.unreader
        if not isinstance(reader.sock, _DeadlineSocket):
            reader.sock = _DeadlineSocket(conn.sock)
        reader.sock.deadline = deadline
        if arrived:
            reader.unread(arrived)
        return super().handle(conn)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        super().handle_error(req, _PlainErrorPage(client), addr, exc)

    def _await_request(self, conn: _Connection, readable: bool = False) -> None:
        conn.arrived = bytearray()
        conn.deadline = time.monotonic() + self.request_timeout
        if readable:  # most often the whole request is there: no need to wait for it
            outcome = self._receive(conn)
            if outcome is not None:
                self._received(conn, outcome)
                return
        self._arriving[conn] = None
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_arrival, conn))

    def _on_arrival(self, conn: _Connection, _client: Any) -> None:
        outcome = self._receive(conn)
        if outcome is not None:
            self.poller.unregister(conn.sock)
            del self._arriving[conn]
            self._received(conn, outcome)

    def _receive(self, conn: _Connection) -> bool | None:
        """Read what the client sent: True when a thread can take the request, False
        when the client went away, None while more is to come."""
        try:
            data = conn.sock.recv(PREBUFFER_LIMIT)
        except (BlockingIOError, InterruptedError):
            return None
        except OSError:
            return False
        if not data:
            return False
        conn.arrived += data
        return True if _request_read(conn.arrived) else None

    def _received(self, conn: _Connection, ready: bool) -> None:
        if ready:
            conn.data_ready = True  # gthread then waits for no first byte in the thread
            self.enqueue_req(conn)
        else:
            self.nr_conns -= 1
            conn.close()

    def _drop(self, conn: _Connection) -> None:
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(conn.sock)
        del self._arriving[conn]
        self._received(conn, ready=False)


def _request_read(arrived: bytearray) -> bool:
    """Whether a thread can take the request: its head is in, and its body when that is
    small and of a stated length; or there is so much that the parser must decide."""
    if len(arrived) >= PREBUFFER_LIMIT:
        return True
    end = _HEAD_END.search(arrived)
    if end is None:
        return False
    length = _small_body_length(bytes(arrived[: end.start()]))
    return length is None or len(arrived) >= end.end() + length


def _small_body_length(head: bytes) -> int | None:
    """The Content-Length of a request the event loop reads whole, or None: no body, a
    large one, one sent in chunks or after "100 Continue", or a head the parser will
    refuse (the thread then reads on, with the same deadline)."""
    length = None
    for line in head.split(b"\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name in (b"transfer-encoding", b"expect"):
            return None
        if name == b"content-length":
            value = value.strip()
            if length is not None or not value.isdigit() or len(value) > 9:
                return None
            length = int(value)
    return length if length is not None and length <= PREBUFFERED_BODY_BYTES else None
