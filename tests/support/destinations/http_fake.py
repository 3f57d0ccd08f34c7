"""A threaded HTTP server on 127.0.0.1 that records each request (without its
credential), can fail the next ones on purpose, and can go down."""

from __future__ import annotations

import json
import secrets
import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


def free_port() -> int:
    # Not tests.support.serving's: this plugin may load before the conftest registers that
    # module as a plugin, and pytest then warns that it cannot rewrite its asserts.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: Any


@dataclass
class FakeService:
    """A threaded HTTP server handing each request to ``answer``; records and failures."""

    token: str = field(default_factory=lambda: "cred-" + secrets.token_urlsafe(18))
    credential_header: str = "Authorization"
    requests: list[Recorded] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail_next(self, status: int, times: int = 1) -> None:
        self.failures.extend([status] * times)

    def answer(
        self, method: str, path: str, query: list[tuple[str, str]], headers: Any, raw: bytes
    ) -> tuple[int, Any]:
        raise NotImplementedError

    def start(self) -> None:
        if self._server is not None:
            return
        service = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = urlsplit(self.path)
                query = parse_qsl(parts.query, keep_blank_values=True)
                shown = {  # lower-case names: HTTP's are case-insensitive
                    k.lower(): v
                    for k, v in self.headers.items()
                    if k.lower() != service.credential_header.lower()
                }
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                with service._lock:
                    service.requests.append(Recorded(self.command, parts.path, query, shown, body))
                    if service.failures:
                        status, reply = service.failures.pop(0), {"message": "Server Error"}
                    else:
                        status, reply = service.answer(
                            self.command, parts.path, query, self.headers, raw
                        )
                data = b"" if reply is None else json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = _any

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        """Go down: the port refuses connections until ``start``."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def json_body(headers: Any, raw: bytes) -> tuple[dict[str, Any] | None, str]:
    if not raw:
        return None, "a JSON body is required"
    if not str(headers.get("Content-Type", "")).startswith("application/json"):
        return None, "Content-Type must be application/json"
    try:
        body = json.loads(raw)
    except ValueError:
        return None, "Problems parsing JSON"
    if not isinstance(body, dict):
        return None, "Problems parsing JSON"
    return body, ""
