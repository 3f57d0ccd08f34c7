"""gunicorn's threaded worker, changed so that the event loop, never a thread, waits for a
client: it reads each request whole (head and body; a pipelined one as well) before a
thread takes it, sends what of an answer the client does not take at once, and waits for
the client to close; so a client that sends slowly, or nothing, or reads nothing holds no
thread, and is cut off when its request is not in within ``REQUEST_TIMEOUT_SECONDS``.
With every connection taken, those that have waited longest for a whole request make
room for new ones. Its error pages say only their status (gunicorn's quote the request
line or header they refused, which could hold a secret).

Built on gthread's internals in gunicorn 27 (``GTHREAD_NEEDS``): ``app.serve`` refuses
to start on a gunicorn without them.
"""

from __future__ import annotations

import contextlib
import errno
import math
import re
import selectors
import socket
import time
from collections import OrderedDict
from functools import partial
from typing import Any

from gunicorn.http.errors import NoMoreData
from gunicorn.workers.gthread import TConn, ThreadWorker

from app.http.framing import Frame, Refused, error_page

# From the connection (or, kept alive, the end of the last answer) to the whole request
# read: what a slow or silent client gets before it is cut off. An answer the client
# does not take within as long is cut off too.
REQUEST_TIMEOUT_SECONDS = 10.0
# gunicorn's limit on a header field.
FIELD_LIMIT = 4096
# What the requests arriving at one worker may hold in all: past it, the connections that
# have waited longest are cut off.
BUFFER_LIMIT = 64 * 1024 * 1024
READ_SIZE = 64 * 1024
# How long, and for how much, a connection we close waits for the client to close its
# end (gunicorn's own).
LINGER_SECONDS = 2.0
LINGER_BYTES = 64 * 1024
# gthread's internals the worker builds on (gunicorn 27).
GTHREAD_NEEDS = (
    "enqueue_req",
    "finish_request",
    "handle_request",
    "murder_keepalived",
    "murder_pending",
    "on_client_socket_readable",
    "set_accept_enabled",
)


class _Connection(TConn):  # type: ignore[misc]
    """A client's connection, with what the event loop has read of it and what of an
    answer the client has yet to take."""

    def __init__(self, cfg: Any, sock: Any, client: Any, server: Any) -> None:
        super().__init__(cfg, sock, client, server)
        # Read from the client, not yet handed to a thread: the request being read (and
        # what the client sent behind it).
        self.arrived = bytearray()
        self.frame = Frame()
        # The request a thread is to serve, whole.
        self.request = b""
        # What of the answer the socket did not take at once: the event loop sends it.
        self.outbox = bytearray()
        # Whether the connection serves another request once the answer is out.
        self.keep = False
        # When the event loop gives up on the connection (monotonic): the request not in,
        # the answer not taken, or the client's end not closed.
        self.deadline = math.inf
        self.drained = 0


class _NoMoreBytes:
    """What a thread's parser reads once the request the event loop read is used up:
    nothing. A thread never waits for a client."""

    def recv(self, size: int) -> bytes:
        raise NoMoreData(None)


_NO_MORE_BYTES = _NoMoreBytes()


class _Outbox:
    """The socket a thread answers on: what the client's socket does not take at once
    is kept for the event loop to send, so a thread never waits for a client to read."""

    def __init__(self, sock: Any, pending: bytearray) -> None:
        self._sock = sock
        self._pending = pending

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def sendall(self, data: bytes) -> None:
        rest = memoryview(data)
        while rest and not self._pending:
            try:
                sent = self._sock.send(rest)
            except (BlockingIOError, InterruptedError):
                break
            rest = rest[sent:]
        self._pending += rest

    def send(self, data: bytes) -> int:
        self.sendall(data)
        return len(data)

    def setblocking(self, flag: bool) -> None:
        """The socket stays non-blocking: the event loop sends what is kept."""

    def settimeout(self, value: float | None) -> None:
        """As setblocking."""

    def recv(self, size: int) -> bytes:
        return b""  # nothing is read on a thread (gunicorn's graceful close reads)

    def shutdown(self, how: int) -> None:
        """The event loop closes the connection, once the answer is out."""

    def close(self) -> None:
        """As shutdown."""


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
        self._sock.sendall(error_page(b"%s %s" % (code, reason)))


class Worker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's threaded worker, whose event loop does all the waiting on clients:
    it reads each request whole (head and body) before a thread takes it, sends what of
    an answer the client's socket did not take at once, and lingers for the client to
    close. A thread never waits for a client, so a slow or silent one holds none; the
    loop cuts it off when its request is not in by its deadline.

    gthread alone hands a connection to a thread at its first byte, a pipelined request
    to a thread at once, and waits for a client to take an answer or to close in a
    thread or in the loop itself.
    """

    request_timeout = REQUEST_TIMEOUT_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Connections the event loop waits on, oldest deadline first (each with deadlines
        # of one length): requests arriving, answers going out, clients to close.
        self._reading: OrderedDict[_Connection, None] = OrderedDict()
        self._writing: OrderedDict[_Connection, None] = OrderedDict()
        self._closing: OrderedDict[_Connection, None] = OrderedDict()
        # Bytes held for requests arriving (BUFFER_LIMIT).
        self._buffered = 0
        self._warned_full = -math.inf

    # gthread's entry points.

    def accept(self, listener: Any) -> None:
        if self.cfg.is_ssl:  # the event loop cannot read TLS; serve never sets it up
            super().accept(listener)
            return
        if self.nr_conns >= self.worker_connections and not self._make_room():
            return
        try:
            sock, client = listener.accept()
        except OSError as error:
            if error.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                self._make_room()
                return
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        self._read_request(_Connection(self.cfg, sock, client, listener.getsockname()))

    def set_accept_enabled(self, enabled: bool) -> None:
        # With every connection taken, gthread stops accepting until one closes; this
        # worker goes on, and makes room (_make_room): a flood of connections that send
        # nothing whole would otherwise keep everyone else out.
        if not enabled and self.alive and not self.cfg.is_ssl and self._room_to_make():
            enabled = True
        super().set_accept_enabled(enabled)

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        """A kept-alive connection's next request begins."""
        if not isinstance(conn, _Connection):
            super().on_client_socket_readable(conn, client)
            return
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._read_request(conn, readable=True)

    def handle(self, conn: Any) -> Any:
        """Serve the request the event loop read (on a thread)."""
        if not isinstance(conn, _Connection):
            return super().handle(conn)
        sock = conn.sock
        conn.sock = _Outbox(sock, conn.outbox)
        try:
            conn.init()
            reader = conn.parser.unreader
            reader.sock = _NO_MORE_BYTES
            reader.unread(conn.request)
            conn.request = b""
            return super().handle(conn)
        finally:
            conn.sock = sock

    def handle_request(self, req: Any, conn: Any) -> Any:
        if isinstance(conn, _Connection):
            # The event loop said "100 Continue" when it waited for the body, which is in.
            req._expected_100_continue = False
        return super().handle_request(req, conn)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        super().handle_error(req, _PlainErrorPage(client), addr, exc)

    def finish_request(self, conn: Any, fs: Any) -> None:
        """A thread has answered (in the event loop)."""
        if not isinstance(conn, _Connection):
            super().finish_request(conn, fs)
            return
        try:
            conn.keep = not fs.cancelled() and fs.result() is True
        except Exception:
            conn.keep = False
        if conn.parser is not None:
            # What the parser read beyond the request it served is the next one's start.
            conn.arrived[:0] = conn.parser.unreader.take_buffered()
        self._send_answer(conn)

    def murder_pending(self) -> None:
        super().murder_pending()
        now = time.monotonic()
        for waiting in (self._reading, self._writing, self._closing):
            while waiting:
                conn = next(iter(waiting))
                if conn.deadline > now:
                    break
                self._drop(waiting, conn)
        if not self.alive:  # stopping: a connection with no request begun is closed
            for conn in [conn for conn in self._reading if not conn.arrived]:
                self._drop(self._reading, conn)

    # Reading a request.

    def _read_request(self, conn: _Connection, readable: bool = False) -> None:
        conn.frame = Frame()
        conn.deadline = time.monotonic() + self.request_timeout
        self._reading[conn] = None
        self._buffered += len(conn.arrived)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn))
        if readable:  # most often the whole request is there already
            self._on_readable(conn)
        elif conn.arrived:  # pipelined behind the last one
            self._check_request(conn)

    def _on_readable(self, conn: _Connection, _sock: Any = None) -> None:
        try:
            data = conn.sock.recv(READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client went away
            self._drop(self._reading, conn)
            return
        conn.arrived += data
        self._buffered += len(data)
        while self._buffered > BUFFER_LIMIT and self._reading:
            oldest = next(iter(self._reading))
            self._drop(self._reading, oldest)
            if oldest is conn:
                return
        self._check_request(conn)

    def _check_request(self, conn: _Connection) -> None:
        try:
            end = conn.frame.find_end(conn.arrived)
        except Refused as refused:
            self._leave(self._reading, conn)
            self.log.warning("Invalid request from ip=%s: %s", _ip(conn), refused.why)
            conn.arrived.clear()
            conn.outbox += error_page(refused.status)
            conn.keep = False
            self._send_answer(conn)
            return
        if end is None:
            if conn.frame.expects_continue:
                conn.frame.expects_continue = False
                self._send_interim(conn, b"HTTP/1.1 100 Continue\r\n\r\n")
            return
        self._leave(self._reading, conn)
        conn.request = bytes(conn.arrived[:end])
        del conn.arrived[:end]
        conn.data_ready = True  # gthread then waits for no first byte in the thread
        self.enqueue_req(conn)

    def _send_interim(self, conn: _Connection, data: bytes) -> None:
        # Nothing else is being sent, and a few bytes always fit; if they did not, the
        # client sends its body after a wait of its own (RFC 9110, section 10.1.1).
        with contextlib.suppress(OSError):
            conn.sock.send(data)

    # Sending an answer, and closing.

    def _send_answer(self, conn: _Connection) -> None:
        if not conn.outbox:
            self._answered(conn)
            return
        conn.deadline = time.monotonic() + self.request_timeout
        self._writing[conn] = None
        self.poller.register(conn.sock, selectors.EVENT_WRITE, partial(self._on_writable, conn))
        self._on_writable(conn)

    def _on_writable(self, conn: _Connection, _sock: Any = None) -> None:
        try:
            sent = conn.sock.send(conn.outbox)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._drop(self._writing, conn)
            return
        del conn.outbox[:sent]
        if not conn.outbox:
            self._leave(self._writing, conn)
            self._answered(conn)

    def _answered(self, conn: _Connection) -> None:
        if not conn.keep:
            self._close(conn)
        elif conn.arrived:  # pipelined: the next request is read as any other
            self._read_request(conn)
        else:  # kept alive, as gthread does
            conn.set_timeout()
            self.keepalived_conns.append(conn)
            self.poller.register(
                conn.sock, selectors.EVENT_READ, partial(self.on_client_socket_readable, conn)
            )

    def _close(self, conn: _Connection) -> None:
        """Close our end, and wait a little for the client to close its own (RFC 9112,
        section 9.6): closing with a request unread would reset the connection, and the
        client could lose the answer. gthread waits in the event loop itself."""
        try:
            conn.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._close_now(conn)
            return
        conn.arrived.clear()
        conn.drained = 0
        conn.deadline = time.monotonic() + min(LINGER_SECONDS, self.request_timeout)
        self._closing[conn] = None
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_closing, conn))

    def _on_closing(self, conn: _Connection, _sock: Any = None) -> None:
        try:
            data = conn.sock.recv(READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        conn.drained += len(data)
        if not data or conn.drained > LINGER_BYTES:
            self._drop(self._closing, conn)

    # Bookkeeping.

    def _leave(self, waiting: OrderedDict[_Connection, None], conn: _Connection) -> None:
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(conn.sock)
        del waiting[conn]
        if waiting is self._reading:
            self._buffered -= len(conn.arrived)

    def _drop(self, waiting: OrderedDict[_Connection, None], conn: _Connection) -> None:
        self._leave(waiting, conn)
        self._close_now(conn)

    def _close_now(self, conn: _Connection) -> None:
        self.nr_conns -= 1
        conn.close()

    def _room_to_make(self) -> bool:
        return bool(self._closing or self._reading or self.keepalived_conns or self._writing)

    def _make_room(self) -> bool:
        """Close one connection to make room for another, the one that matters least:
        one closing; else the oldest request arriving (a legitimate request arrives
        at once); else the connection idle longest; else the oldest answer not taken."""
        for waiting in (self._closing, self._reading):
            if waiting:
                self._drop(waiting, next(iter(waiting)))
                break
        else:
            if self.keepalived_conns:
                conn = self.keepalived_conns.popleft()
                with contextlib.suppress(KeyError, ValueError, OSError):
                    self.poller.unregister(conn.sock)
                self._close_now(conn)
            elif self._writing:
                self._drop(self._writing, next(iter(self._writing)))
            else:
                return False
        now = time.monotonic()
        if now - self._warned_full > 60:
            self._warned_full = now
            self.log.warning(
                "%d connections open: closing those that have waited longest without a "
                "whole request, to take new ones",
                self.nr_conns + 1,
            )
        return True


def _ip(conn: _Connection) -> str:
    client = conn.client
    return str(client[0]) if isinstance(client, tuple) else str(client)
