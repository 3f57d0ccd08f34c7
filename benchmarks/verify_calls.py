"""In-process verify against a million tokens, per call, on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app import config, open_service
from app.service import TokenService
from benchmarks import datasets
from benchmarks.harness import Figure, alternate

SAMPLE = 1_000  # tokens verified per round, generated through the service each run
# The token's row with its project's name: verify answers with that name, and projects
# can be renamed, so no correct verifier can skip reading it (a cache of names by id
# would answer with an old one).
FLOOR_SQL = (
    "SELECT t.*, p.name FROM deployment_token t JOIN project p ON p.id = t.project_id "
    "WHERE t.digest = {mark}"
)


def _per_call_us(check: Callable[[str], object], plaintexts: list[str]) -> float:
    started = time.perf_counter()
    for plaintext in plaintexts:
        check(plaintext)
    return (time.perf_counter() - started) / len(plaintexts) * 1e6


def _compare(
    service: TokenService, plaintexts: list[str], lookup: Callable[[str], Any], rounds: int
) -> tuple[Any, Any]:
    salt = config.load_salt()

    def floor(plaintext: str) -> Any:
        digest = hmac.new(salt, plaintext.encode("ascii"), hashlib.sha256).hexdigest()
        return lookup(digest)

    def subject(plaintext: str) -> Any:
        if service.verify(plaintext, datasets.PROJECT) != datasets.PROJECT:
            raise RuntimeError("a live token did not verify")

    # The first verification of each token records its use (a write, at most once a
    # minute per token); what is measured is the read every later call makes.
    for plaintext in plaintexts:
        subject(plaintext)
        floor(plaintext)
    return alternate(
        lambda: _per_call_us(floor, plaintexts),
        lambda: _per_call_us(subject, plaintexts),
        rounds=rounds,
        warmup=1,
    )


def _samples(service: TokenService, count: int) -> list[str]:
    return [service.generate(datasets.PROJECT, "benchmark sample")[1] for _ in range(count)]


def measure_sqlite(*, tokens: int = 1_000_000, sample: int = SAMPLE, rounds: int = 9) -> Figure:
    datasets.use_benchmark_salt()
    cached = datasets.cached_sqlite(tokens)
    with tempfile.TemporaryDirectory() as scratch:
        url = datasets.working_copy(cached, Path(scratch))
        with open_service(url) as service:
            plaintexts = _samples(service, sample)
            raw = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            try:
                sql = FLOOR_SQL.format(mark="?")
                floor, subject = _compare(
                    service,
                    plaintexts,
                    lambda digest: raw.execute(sql, (digest,)).fetchone(),
                    rounds,
                )
            finally:
                raw.close()
    return Figure(
        name="verify in process, SQLite",
        subject=f"`service.verify(token, project)`, {tokens:,} tokens in the file",
        floor="one HMAC-SHA256 plus one indexed `sqlite3` SELECT by digest (with the "
        "project's name, by primary key), same file",
        subject_stats=subject,
        floor_stats=floor,
        unit="\u00b5s",
        max_ratio=1.5,
        notes=[f"Per call, averaged over {sample:,} live tokens a round."],
    )


@contextmanager
def _postgresql_copy(cached: Path) -> Iterator[str]:
    """A throwaway cluster holding the cached SQLite database's rows; yields its URL."""
    from devtools.postgresql_cluster import running_cluster

    with running_cluster() as cluster:
        url = cluster.url("postgres")
        open_service(url).close()  # the schema, through the product's migrations
        datasets.copy_into_postgresql(cached, url)
        yield url


def measure_postgresql(*, tokens: int = 1_000_000, sample: int = SAMPLE, rounds: int = 9) -> Figure:
    import psycopg

    datasets.use_benchmark_salt()
    cached = datasets.cached_sqlite(tokens)
    with _postgresql_copy(cached) as url, open_service(url) as service:
        plaintexts = _samples(service, sample)
        with psycopg.connect(url, autocommit=True) as raw:
            sql = FLOOR_SQL.format(mark="%s")
            floor, subject = _compare(
                service,
                plaintexts,
                lambda digest: raw.execute(sql, (digest,)).fetchone(),
                rounds,
            )
    return Figure(
        name="verify in process, PostgreSQL",
        subject=f"`service.verify(token, project)`, {tokens:,} tokens in the table",
        floor="one HMAC-SHA256 plus the same SELECT (with the project's name) through "
        "`psycopg` directly",
        subject_stats=subject,
        floor_stats=floor,
        unit="\u00b5s",
        max_ratio=1.5,
        notes=[f"Per call over loopback, averaged over {sample:,} live tokens a round."],
    )
