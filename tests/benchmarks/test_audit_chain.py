"""The audit chain's benchmark (benchmarks/audit_chain.py): its datasets hold an intact
chain, on both backends, and its memory figure is the measured command's own.

The figures themselves run once at a tiny size in test_benchmarks.py, with the others."""

from __future__ import annotations

import sqlite3
import sys

import pytest

from benchmarks import audit_chain, datasets


@pytest.fixture(autouse=True)
def cache_of_its_own(monkeypatch, tmp_path):
    monkeypatch.setattr(datasets, "CACHE", tmp_path / "cache")


def test_the_cached_events_are_an_intact_chain_that_export_reads_as_the_floor_does():
    from app import open_service

    datasets.use_benchmark_salt()
    path = audit_chain.cached_events(40)
    assert audit_chain.cached_events(40) == path  # built once, then reused
    with open_service(f"sqlite:///{path}") as service:
        verdict = service.verify_audit()
        exported = list(service.export_audit())
    assert verdict.intact
    assert verdict.events == 40
    assert verdict.head is not None
    assert verdict.head.seq == 40
    assert [e.seq for e in exported] == list(range(1, 41))
    assert {e.action for e in exported} == {"generated", "revoked", "renamed", "rotated"}
    assert len({e.project for e in exported}) == 3
    # The floor reads the same rows, in the same order.
    floor = sqlite3.connect(path)
    try:
        rows = floor.execute(audit_chain.CHAIN_SQL).fetchall()
    finally:
        floor.close()
    assert [(row[0], row[-1]) for row in rows] == [(e.seq, e.hash) for e in exported]


@pytest.mark.only_backend("postgresql")
def test_the_events_load_into_postgresql_as_the_same_chain(own_cluster):
    import psycopg

    from app import open_service

    datasets.use_benchmark_salt()
    path = audit_chain.cached_events(40)
    with psycopg.connect(own_cluster.admin_url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE events")
    url = own_cluster.url("events")
    audit_chain._load_events(path, url)
    with open_service(f"sqlite:///{path}") as cached, open_service(url) as loaded:
        expected = cached.audit_head()
        verdict = loaded.verify_audit(expected)
        assert [e.actor for e in loaded.export_audit()] == [e.actor for e in cached.export_audit()]
        # The trigger links the next event to the loaded head.
        loaded.add_project("after-load")
        loaded.generate("after-load")
        assert loaded.verify_audit(expected).intact
    assert verdict.intact
    assert verdict.events == 40


def test_the_peak_memory_is_the_commands_own_not_the_benchmarks():
    ballast = b"x" * (200 * 2**20)  # resident in this process, the command's parent
    assert len(ballast)
    runs: list[audit_chain._Run] = []
    audit_chain._timed([sys.executable, "-c", "pass"], runs)
    audit_chain._timed([sys.executable, "-c", "b = b'x' * (120 * 2**20)"], runs)
    assert runs[0].peak_mb < 100
    assert runs[1].peak_mb > 120
    assert all(run.seconds > 0 for run in runs)


def test_a_failing_command_fails_the_figure():
    with pytest.raises(RuntimeError, match="gone wrong"):
        audit_chain._timed([sys.executable, "-c", "raise SystemExit('gone wrong')"], [])
