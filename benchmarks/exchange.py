"""What ``POST /v1/exchange`` costs with its issuer's keys cached, against its floor, in
one run: on an SQLite file and on PostgreSQL (a throwaway cluster).

The subject is ``service.exchange(jwt, project)``, the use case ``serve``'s exchange
endpoint calls for each request, on a service opened as a worker of ``serve`` opens its
own (``open_service(url, create=False)``; on PostgreSQL as the verify-only role
``db grant-verifier`` makes, whose write is the server's ``dt_exchange``), its key cache
warmed by one exchange first. The HTTP layer (Falcon's form parsing and JSON answer) is
left out on both sides: no network, no framework, only what an exchange does. Each call
exchanges a fresh ID token (a distinct ``jti``), all signed (RS256) before the rounds.

The floor is what no exchange can do without: PyJWT's ``jwt.decode`` of the same ID
token with the same key and the same checks (RS256/ES256 only, issuer, audience, ``exp``,
``nbf`` and ``iat`` with 60 s of leeway, the claims required), then one token insert
through the service's plain generate path (``service.generate``: ``app.issuing``, a
token with the binding's lifetime and environment) on the same database (on PostgreSQL
as the tables' owner). Rounds alternate, each side averaged over ``calls`` calls a round.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from app import open_service
from benchmarks import datasets
from benchmarks.harness import Figure, Stats, alternate

CALLS = 200  # exchanges (and floor calls) per round
PROJECT = "web"
ENVIRONMENT = "production"
AUDIENCE = "deployment-tokens:deploy.example.com"
REPOSITORY_ID = "123456789"
OWNER_ID = "987654"
VERIFIER = "gateway"
LIFETIME = timedelta(minutes=15)
LEEWAY_SECONDS = 60
KID = "rsa-1"
_BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def measure_sqlite(*, calls: int = CALLS, rounds: int = 9, warmup: int = 1) -> Figure:
    return _figure("sqlite", calls, rounds, warmup)


def measure_postgresql(*, calls: int = CALLS, rounds: int = 9, warmup: int = 1) -> Figure:
    return _figure("postgresql", calls, rounds, warmup)


def _figure(backend: str, calls: int, rounds: int, warmup: int) -> Figure:
    floor, subject = _measure(backend, calls, rounds, warmup)
    shown = _BACKEND_NAMES[backend]
    role = (
        "as the verify-only role (its write is `dt_exchange`)"
        if backend == "postgresql"
        else "on an SQLite file"
    )
    return Figure(
        name=f"exchange with cached keys, {shown}",
        subject=f"`service.exchange(jwt, project)` {role}, the issuer's keys cached: "
        "a fresh RS256 ID token (its own jti) each call, validated, matched to the "
        "project's binding and exchanged for a token",
        floor="PyJWT's `jwt.decode` of the same ID token with the same key and checks, "
        "then one `service.generate` (the plain-SQL insert) on the same database; same run",
        subject_stats=subject,
        floor_stats=floor,
        unit="\u00b5s",
        max_ratio=1.5,
        notes=[
            f"Per call, averaged over {calls:,} calls a round; no HTTP on either side "
            "(the endpoint's own form parsing and JSON answer come on top)."
        ],
    )


def _measure(backend: str, calls: int, rounds: int, warmup: int) -> tuple[Stats, Stats]:
    import jwt

    from app.lifecycle import Expiry

    datasets.use_benchmark_salt()
    with ExitStack() as stack:
        issuer = stack.enter_context(_running_issuer())
        owner_url, verifier_url = stack.enter_context(_database(backend))
        owner = stack.enter_context(open_service(owner_url))
        owner.add_project(PROJECT)
        owner.add_environment(PROJECT, ENVIRONMENT)
        owner.add_deployer(
            PROJECT,
            issuer=issuer.url,
            audience=AUDIENCE,
            claims=[
                ("repository_id", REPOSITORY_ID),
                ("repository_owner_id", OWNER_ID),
                ("environment", ENVIRONMENT),
            ],
            environments=[ENVIRONMENT],
            lifetime=LIFETIME,
        )
        serving = stack.enter_context(open_service(verifier_url, create=False))
        serving.exchange(issuer.sign(), PROJECT)  # the key cache, warmed
        batches = [[issuer.sign() for _ in range(calls)] for _ in range(warmup + rounds)]
        key = jwt.PyJWK(issuer.public_jwk())
        floor_batches, subject_batches = iter(batches), iter(batches)

        def floor() -> float:
            batch = next(floor_batches)
            started = time.perf_counter()
            for token in batch:
                if floor_decode(token, key, issuer.url)["repository_id"] != REPOSITORY_ID:
                    raise RuntimeError("the floor decoded another token")
                owner.generate(
                    PROJECT, "floor", expiry=Expiry.after(LIFETIME), environments=[ENVIRONMENT]
                )
            return (time.perf_counter() - started) / len(batch) * 1e6

        def subject() -> float:
            batch = next(subject_batches)
            started = time.perf_counter()
            for token in batch:
                if serving.exchange(token, PROJECT).environments != (ENVIRONMENT,):
                    raise RuntimeError("an exchange issued another token")
            return (time.perf_counter() - started) / len(batch) * 1e6

        return alternate(floor, subject, rounds=rounds, warmup=warmup)


def floor_decode(token: str, key: Any, issuer: str) -> dict[str, Any]:
    """The floor's validation: PyJWT's own, with the checks the exchange makes."""
    import jwt

    claims: dict[str, Any] = jwt.decode(
        token,
        key,
        algorithms=["RS256", "ES256"],
        audience=AUDIENCE,
        issuer=issuer,
        leeway=LEEWAY_SECONDS,
        options={"require": ["iss", "aud", "exp", "iat", "jti"]},
    )
    return claims


@contextmanager
def _database(backend: str) -> Iterator[tuple[str, str]]:
    """A new, empty database: the owner's URL and the one serve would run with."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="deployment-tokens-exchange-") as scratch:
            url = f"sqlite:///{Path(scratch) / 'tokens.db'}"
            yield url, url
        return
    import psycopg

    from app.store.verifier_role import grant_verifier
    from devtools.postgresql_cluster import running_cluster

    with running_cluster() as cluster:
        with psycopg.connect(cluster.admin_url, autocommit=True) as admin:
            admin.execute(f"CREATE ROLE {VERIFIER} LOGIN")
            admin.execute("CREATE DATABASE exchange")
        url = cluster.url("exchange")
        open_service(url).close()  # the schema, by the product's migrations
        grant_verifier(url, VERIFIER, exchanges=True)
        yield url, url.replace("postgres@", f"{VERIFIER}@")


class _Issuer:
    """An OIDC issuer on loopback: discovery and its one RSA key's JWKS."""

    def __init__(self, url: str) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        self.url = url
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def public_jwk(self) -> dict[str, Any]:
        from jwt.algorithms import RSAAlgorithm

        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        return {**jwk, "alg": "RS256", "kid": KID, "use": "sig"}

    def sign(self, **overrides: Any) -> str:
        """A GitHub Actions ID token of acme/web's production job, with its own jti."""
        import jwt

        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": AUDIENCE,
            "sub": "repo:acme/web:environment:production",
            "jti": str(uuid.uuid4()),
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "repository": "acme/web",
            "repository_id": REPOSITORY_ID,
            "repository_owner": "acme",
            "repository_owner_id": OWNER_ID,
            "environment": ENVIRONMENT,
            "ref": "refs/heads/main",
            "ref_protected": "true",
            "workflow_ref": "acme/web/.github/workflows/deploy.yml@refs/heads/main",
            "job_workflow_ref": "acme/web/.github/workflows/deploy.yml@refs/heads/main",
            "event_name": "push",
            "runner_environment": "github-hosted",
            **overrides,
        }
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": KID})


@contextmanager
def _running_issuer() -> Iterator[_Issuer]:
    documents: dict[str, Callable[[], dict[str, Any]]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            document = documents.get(self.path)
            if document is None:
                self.send_error(404)
                return
            body = json.dumps(document()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    issuer = _Issuer(f"http://127.0.0.1:{server.server_address[1]}")
    documents["/.well-known/openid-configuration"] = lambda: {
        "issuer": issuer.url,
        "jwks_uri": issuer.url + "/jwks",
    }
    documents["/jwks"] = lambda: {"keys": [issuer.public_jwk()]}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
