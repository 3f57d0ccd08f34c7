"""The floor of a correct verifier over HTTP, run as ``deployment-tokens serve`` runs.

Usage: ``python verifier_floor.py DATABASE_URL PORT WORKERS`` (the salt in the
environment, as for ``serve``).

The server is ``app.serve.serve`` itself, so gunicorn runs with the service's worker
class (its event loop reads each request before a thread takes it), its threads, its
redacting logger and access log, and its limits: nothing of its configuration is copied
here. Only the WSGI application it serves is replaced, by the least a correct verifier
does per request: one HMAC-SHA256 of the bearer token under the salt, and one prepared
lookup by digest (the token's id, its expiry and its project's name, with the project
joined by primary key) on a connection the thread keeps; then 204 with the project's
name, or 401. No cache of any kind: every request reads the database, so a revoked token
is refused from the moment its revoke committed. SQLite files are read with ``sqlite3``
(its statement cache keeps the lookup prepared), PostgreSQL with ``psycopg`` and a
server-side prepared statement.

Every answer carries ``X-Benchmark-Floor: verifier`` so the benchmark can tell this
server from the service it is compared with.
"""

from __future__ import annotations

import hmac
import os
import sys
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

MARK = ("X-Benchmark-Floor", "verifier")
LOOKUP = (
    "SELECT t.id, t.expires_at, p.name FROM deployment_token t "
    "JOIN project p ON p.id = t.project_id WHERE t.digest = {mark}"
)

Environ = dict[str, Any]
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def _sqlite_lookup(path: str) -> tuple[Callable[[str], Any], Callable[[], Any]]:
    import sqlite3

    sql = LOOKUP.format(mark="?")
    local = threading.local()

    def lookup(digest: str) -> Any:
        connection = getattr(local, "connection", None)
        if connection is None:
            connection = local.connection = sqlite3.connect(path, isolation_level=None)
        return connection.execute(sql, (digest,)).fetchone()

    def now() -> str:  # expiries are stored as ISO text (naive UTC)
        return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    return lookup, now


def _postgresql_lookup(url: str) -> tuple[Callable[[str], Any], Callable[[], Any]]:
    import psycopg

    sql = LOOKUP.format(mark="%s")
    local = threading.local()

    def lookup(digest: str) -> Any:
        connection = getattr(local, "connection", None)
        if connection is None:
            connection = local.connection = psycopg.connect(url, autocommit=True)
        return connection.execute(sql, (digest,), prepare=True).fetchone()

    def now() -> datetime:  # expiries are stored as naive UTC timestamps
        return datetime.now(UTC).replace(tzinfo=None)

    return lookup, now


def verifier(url: str, salt: bytes) -> Callable[[Environ, StartResponse], Iterable[bytes]]:
    """The minimal WSGI verifier for the database at ``url``."""
    if url.startswith("sqlite:///"):
        lookup, now = _sqlite_lookup(url.removeprefix("sqlite:///"))
    else:
        lookup, now = _postgresql_lookup(url)

    def application(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == "/v1/authorize":
            scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
            row = None
            if scheme.lower() == "bearer" and token.isascii():
                row = lookup(hmac.digest(salt, token.encode("ascii"), "sha256").hex())
            if (
                row is not None
                and (row[1] is None or row[1] > now())
                and row[2] == environ.get("HTTP_X_DEPLOYMENT_PROJECT")
            ):
                headers = [("X-Deployment-Project", row[2]), ("X-Deployment-Token-Id", str(row[0]))]
                start_response("204 No Content", [*headers, MARK])
                return []
            start_response(
                "401 Unauthorized",
                [("WWW-Authenticate", "Bearer"), ("Content-Length", "0"), MARK],
            )
            return []
        if path in ("/readyz", "/healthz"):
            start_response("200 OK", [("Content-Length", "3"), MARK])
            return [b"OK\n"]
        start_response("404 Not Found", [("Content-Length", "0"), MARK])
        return []

    return application


def main(url: str, port: int, workers: int) -> int:
    from app import config
    from app.http import application as service_application
    from app.serve import serve

    salt = config.load_salt()
    floor = verifier(url, salt)

    def create_app(*_arguments: Any, **_options: Any) -> Any:
        return floor

    # serve() imports create_app from this module when it runs: it then serves the floor.
    service_application.create_app = create_app
    return serve(url, port=port, workers=workers, environ=os.environ)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
