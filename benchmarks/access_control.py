"""What PostgreSQL's access control (schema version 8: row-level security, the levels'
policies, the actor's triggers, the app's level checks) costs verify and generate,
measured in one run against a build without it.

The floor is the last build before access control (``BASELINE``, checked out in a
temporary git worktree) on the same rows at schema 7, as the tables' owner: today's
figure before the change. The subject is this build at schema 8: for verify, the
verify-only role `db grant-verifier` makes (what `serve` runs as); for generate, a person
holding manager on the project, whose every insert passes the level's policies. Both
builds run in worker processes of their own, one cluster, rounds alternating.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app import open_service
from app.store import db, migrations
from benchmarks import datasets
from benchmarks.harness import Figure, Stats, alternate

# The last commit before access control: the build the figures are held against.
BASELINE = "79075775caaa034d59f02b9a15781bb301f0dcea"
ROOT = Path(__file__).resolve().parent.parent
GIT = shutil.which("git") or "git"
SAMPLE = 500  # tokens verified per round
GENERATED = 100  # tokens generated per round
PERSON = "release_manager"
VERIFIER = "gateway"
WITHOUT = "without_access_control"
WITH = "with_access_control"

# Runs in either build (it uses only the documented API): makes a sample of tokens as
# one role, then for each command on stdin verifies them all as another, or generates
# some, and answers with microseconds per call.
WORKER = """
import sys, time
from app import open_service
maker_url, checker_url, project, sample = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
maker = open_service(maker_url, create=False)
checker = open_service(checker_url, create=False)
plaintexts = [maker.generate(project, "sample")[1] for _ in range(sample)]
for plaintext in plaintexts:
    checker.verify(plaintext, project)  # the first use of each is a write
print("ready", flush=True)
for line in sys.stdin:
    what, count = line.split()
    started = time.perf_counter()
    if what == "verify":
        for plaintext in plaintexts:
            if checker.verify(plaintext, project) != project:
                raise SystemExit("a live token did not verify")
        calls = len(plaintexts)
    else:
        for _ in range(int(count)):
            maker.generate(project, "benchmark")
        calls = int(count)
    print((time.perf_counter() - started) / calls * 1e6, flush=True)
"""


def measure_verify(*, tokens: int = 100_000, sample: int = SAMPLE, rounds: int = 9) -> Figure:
    floor, subject = _measure("verify", tokens, sample, rounds)
    return Figure(
        name="verify in process, PostgreSQL, with access control",
        subject=f"`service.verify(token, project)` as the verify-only role, schema 8 "
        f"(row-level security), {tokens:,} tokens",
        floor="the same call by the build before access control, as the tables' owner, "
        "on the same rows at schema 7; same cluster, same run",
        subject_stats=subject,
        floor_stats=floor,
        unit="\u00b5s",
        max_ratio=1.2,
        notes=[f"Per call over loopback, averaged over {sample:,} tokens a round."],
    )


def measure_generate(*, tokens: int = 100_000, count: int = GENERATED, rounds: int = 9) -> Figure:
    floor, subject = _measure("generate", tokens, count, rounds)
    return Figure(
        name="generate, PostgreSQL, with access control",
        subject=f"`service.generate(project)` as a login role holding manager on the "
        f"project, schema 8, {tokens:,} tokens",
        floor="the same call by the build before access control, as the tables' owner, "
        "at schema 7; same cluster, same run",
        subject_stats=subject,
        floor_stats=floor,
        unit="\u00b5s",
        max_ratio=1.2,
        notes=[f"Each call commits; averaged over {count:,} calls a round."],
    )


def _measure(what: str, tokens: int, count: int, rounds: int) -> tuple[Stats, Stats]:
    with _cluster(tokens) as urls, _baseline() as baseline:
        if what == "verify":
            floor_roles, subject_roles = (WITHOUT, WITHOUT), (WITH, VERIFIER)
        else:
            floor_roles, subject_roles = (WITHOUT, WITHOUT), (PERSON, VERIFIER)
        with (
            _worker(baseline, urls[floor_roles[0]], urls[floor_roles[1]], count) as floor,
            _worker(ROOT, urls[subject_roles[0]], urls[subject_roles[1]], count) as subject,
        ):

            def ask(worker: subprocess.Popen[str]) -> float:
                assert worker.stdin is not None
                assert worker.stdout is not None
                worker.stdin.write(f"{what} {count}\n")
                worker.stdin.flush()
                return float(worker.stdout.readline())

            return alternate(lambda: ask(floor), lambda: ask(subject), rounds=rounds, warmup=1)


@contextmanager
def _worker(build: Path, maker: str, checker: str, sample: int) -> Iterator[subprocess.Popen[str]]:
    with subprocess.Popen(
        [sys.executable, "-c", WORKER, maker, checker, datasets.PROJECT, str(sample)],
        cwd=build,  # its own app package comes first on the path
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as worker:  # on leaving: its pipes closed (stdin first: it ends), then waited for
        assert worker.stdout is not None
        if worker.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the benchmark's worker in {build} did not start")
        yield worker


@contextmanager
def _baseline() -> Iterator[Path]:
    """The build before access control, in a git worktree removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="deployment-tokens-baseline-") as scratch:
        tree = Path(scratch) / "baseline"
        subprocess.run(
            [GIT, "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), BASELINE],
            check=True,
        )
        try:
            yield tree
        finally:
            subprocess.run(
                [GIT, "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False
            )


@contextmanager
def _cluster(tokens: int) -> Iterator[dict[str, str]]:
    """The cached rows in two databases of one throwaway cluster, at schema 7 and 8, and
    on 8 a manager of the project and a verify-only role; yields each one's URL."""
    import psycopg

    from app.store.verifier_role import grant_verifier
    from devtools.postgresql_cluster import running_cluster

    datasets.use_benchmark_salt()
    cached = datasets.cached_sqlite(tokens)
    with running_cluster() as cluster:
        with psycopg.connect(cluster.admin_url, autocommit=True) as admin:
            for role in (PERSON, VERIFIER):
                admin.execute(f"CREATE ROLE {role} LOGIN")
            for name in (WITHOUT, WITH):
                admin.execute(f"CREATE DATABASE {name}")
        urls = {name: cluster.url(name) for name in (WITHOUT, WITH)}
        _load(urls[WITHOUT], cached, 7)
        _load(urls[WITH], cached, migrations.LATEST_VERSION)
        with open_service(urls[WITH]) as owner:
            owner.grant_access(PERSON, datasets.PROJECT, "manager")
        grant_verifier(urls[WITH], VERIFIER)
        for role in (PERSON, VERIFIER):
            urls[role] = urls[WITH].replace("postgres@", f"{role}@")
        yield urls


def _load(url: str, cached: Path, version: int) -> None:
    """The schema at ``version`` through the product's migrations, then the cached rows."""
    database = db.connect(url)
    try:
        migrations.migrate_forward(database, target=version)
    finally:
        database.close()
    datasets.copy_into_postgresql(cached, url)
