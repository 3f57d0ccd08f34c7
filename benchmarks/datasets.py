"""The large databases the benchmarks need, built through the product's own code and cached.

A cached database holds one project, ``bench``, with N tokens, and an empty project,
``empty``. The first token comes from ``TokenService.generate``; the rest from a bulk path
that writes exactly what ``generate`` writes (the token row, its audit event, the change
counter), with the product's own token, digest and preview functions and its models.
Plaintexts are never kept: each run copies the cached file and generates the tokens it
verifies through the service, as a user would.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app import config, open_service, tokens
from app.store import migrations

CACHE = Path(__file__).resolve().parent / ".cache"
BENCH_SALT = "benchmark-salt-only-for-throwaway-databases-0123456789"
PROJECT = "bench"
EMPTY_PROJECT = "empty"
BATCH = 5_000


def use_benchmark_salt() -> None:
    os.environ[config.SALT_ENV] = BENCH_SALT


def cached_sqlite(count: int) -> Path:
    """The cached SQLite file with ``count`` tokens in project ``bench``, built if missing."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"tokens-{count}-v{migrations.LATEST_VERSION}.db"
    if path.exists():
        return path
    building = path.with_name(path.name + ".building")
    for leftover in (building, *(Path(f"{building}{s}") for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    use_benchmark_salt()
    _fill(f"sqlite:///{building}", count)
    building.rename(path)
    return path


def working_copy(source: Path, directory: Path) -> str:
    """A copy of a cached database that a run may change; returns its URL."""
    target = directory / source.name
    shutil.copyfile(source, target)
    target.chmod(0o600)
    return f"sqlite:///{target}"


def copy_into_postgresql(cached: Path, url: str) -> None:
    """The cached SQLite database's rows into the PostgreSQL database at ``url``, whose
    schema the product's migrations made: COPY, the sequences moved past the ids, ANALYZE."""
    import sqlite3

    import psycopg

    source = sqlite3.connect(cached)
    try:
        with psycopg.connect(url, autocommit=True) as target:
            # Rows as they were, without the triggers (a superuser's, for a trusted copy):
            # the chain's links come from the cache, and tokens need not each be audited
            # in their transaction (schema 9).
            target.execute("SET session_replication_role = replica")
            target.execute("DELETE FROM control_state")
            for table in ("project", "deployment_token", "audit_event", "control_state"):
                # The target may be at an older schema (a baseline's): its columns only.
                present = {
                    row[0]
                    for row in target.execute(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND table_name = %s",
                        (table,),
                    )
                }
                columns = [
                    row[1]
                    for row in source.execute(f"PRAGMA table_info({table})")
                    if row[1] in present
                ]
                names = ", ".join(columns)
                with target.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in source.execute(f"SELECT {names} FROM {table}"):
                        copy.write_row(row)
                if "id" in columns and table != "control_state":
                    target.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )
            target.execute("ANALYZE")
    finally:
        source.close()


def _fill(url: str, count: int) -> None:
    from app.config import current_user
    from app.durations import DEFAULT_LIFETIME
    from app.service import DEFAULT_TOKEN_NAME
    from app.store.db import write_transaction
    from app.store.models import AuditEvent, ControlState, DeploymentToken, Project

    salt = config.load_salt()
    actor = current_user()
    with open_service(url) as service:
        service.add_project(EMPTY_PROJECT)
        project = service.add_project(PROJECT)
        service.generate(PROJECT)
        # Spread over the past years, oldest first, as a long-lived project's would be.
        start = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=3 * 365)
        step = timedelta(days=3 * 365) / max(count, 1)
        database = service.storage.database
        made = 1
        # The audit chain's head after that first generate: every event below links on.
        head = database.execute_sql("SELECT seq, hash FROM audit_event")  # type: ignore[no-untyped-call]
        [[seq, previous]] = head.fetchall()
        while made < count:
            size = min(BATCH, count - made)
            token_rows, moments = [], []
            for offset in range(size):
                plaintext = tokens.new_token()
                moment = start + step * (made + offset)
                moments.append(moment)
                token_rows.append(
                    {
                        "project": project.id,
                        "name": f"{DEFAULT_TOKEN_NAME} {made + offset + 1}",
                        "digest": tokens.digest(plaintext, salt),
                        "preview": tokens.preview(plaintext),
                        "created_at": moment,
                        "created_by": actor,
                        # The default policy's lifetime, as generate gives it.
                        "expires_at": moment + DEFAULT_LIFETIME,
                    }
                )
            with write_transaction(database):
                ids = [
                    row[0]
                    for row in DeploymentToken.insert_many(token_rows)
                    .returning(DeploymentToken.id)
                    .tuples()
                    .execute()
                ]
                events, seq, previous = _generated_events(
                    (seq, previous), zip(ids, token_rows, moments, strict=True), project.id, actor
                )
                AuditEvent.insert_many(events).execute()
                ControlState.update(revision=ControlState.revision + size).execute()
            made += size
        Project.update(default_names_given=count).where(Project.id == project.id).execute()
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _generated_events(
    head: tuple[int, str],
    made: Iterable[tuple[int, dict[str, object], datetime]],
    project_id: int,
    actor: str,
) -> tuple[list[dict[str, object]], int, str]:
    """The "generated" events of tokens made in bulk, each linked to the chain as the
    app's appender links it; with the new head (seq, hash)."""
    from app.audit_chain import ChainedEvent, event_hash
    from app.store.models import AuditEvent

    seq, previous = head
    events: list[dict[str, object]] = []
    for token_id, row, moment in made:
        seq += 1
        detail = f"expires {row['expires_at']:%Y-%m-%d %H:%M} UTC; environments: all"
        event = ChainedEvent(
            seq, moment, actor, AuditEvent.GENERATED, PROJECT, token_id, str(row["preview"]), detail
        )
        previous = event_hash(previous, event)
        events.append(
            {
                "seq": seq,
                "hash": previous,
                "project_id": project_id,
                "project_name": PROJECT,
                "action": AuditEvent.GENERATED,
                "token_id": token_id,
                "token_preview": row["preview"],
                "actor": actor,
                "occurred_at": moment,
                "detail": detail,
            }
        )
    return events, seq, previous
