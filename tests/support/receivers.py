"""A webhook receiver for the tests: an HTTP server on 127.0.0.1 in a thread that checks
each POST's signature as the README tells receivers to, and can fail on purpose."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.support.serving import free_port

# How old a timestamp a receiver accepts (the README's snippet: five minutes).
TOLERANCE_SECONDS = 300


def signature_valid(secret: str, headers: Any, body: bytes) -> bool:
    """The README's check: HMAC-SHA256 of "TIMESTAMP.BODY" under the secret, compared in
    constant time, and a timestamp no older than five minutes."""
    timestamp = headers.get("X-Deployment-Tokens-Timestamp", "")
    signature = headers.get("X-Deployment-Tokens-Signature", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest(signature, "sha256=" + expected.hexdigest())


@dataclass
class Delivered:
    headers: dict[str, str]
    body: bytes
    valid: bool

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    port: int = field(default_factory=free_port)
    secret: str = ""
    # The next requests answered with this status instead of 204 (503: fail, then succeed).
    failures: list[int] = field(default_factory=list)
    received: list[Delivered] = field(default_factory=list)  # every request, refused ones too
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/deployment-tokens?source=test"

    @property
    def accepted(self) -> list[dict[str, Any]]:
        """The payloads answered 2xx, in the order they came (with duplicates)."""
        return [d.payload for d in self.received if d.valid and d.headers.get("answered") == "204"]

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                valid = signature_valid(receiver.secret, self.headers, body)
                status = receiver.failures.pop(0) if receiver.failures else 204
                if not valid:
                    status = 401
                headers = {**dict(self.headers), "answered": str(status)}
                receiver.received.append(Delivered(headers, body, valid))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@contextlib.contextmanager
def receiving(receiver: Receiver | None = None) -> Iterator[Receiver]:
    """A receiver running for the block (stopped again on the way out)."""
    running = receiver or Receiver()
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1, running for the test."""
    with receiving() as running:
        yield running
