"""Each benchmark runs once at a tiny size: it works and reports a figure. Not a timed test."""

from __future__ import annotations

import pytest

from benchmarks import __main__ as runner
from benchmarks import datasets, harness, http_authorize, report

TINY = dict(runner.plan(tiny=True))


@pytest.fixture(autouse=True)
def cache_of_its_own(monkeypatch, tmp_path):
    monkeypatch.setattr(datasets, "CACHE", tmp_path / "cache")


def _needs_wrk(name):
    if "HTTP" in name and not http_authorize.wrk_available():
        pytest.skip("wrk is not installed")


@pytest.mark.parametrize("name", [name for name in TINY if "PostgreSQL" not in name])
def test_each_benchmark_runs_once_at_a_tiny_size(name):
    _needs_wrk(name)
    figure = TINY[name]()
    assert figure.name == name
    assert len(figure.subject_stats.samples) == len(figure.floor_stats.samples) == 1
    assert figure.subject_stats.median > 0
    assert figure.floor_stats.median > 0
    assert figure.target
    assert isinstance(figure.met, bool)


@pytest.mark.only_backend("postgresql")
@pytest.mark.parametrize("name", [name for name in TINY if "PostgreSQL" in name])
def test_the_postgresql_benchmarks_run_once_at_a_tiny_size(backend, name):
    _needs_wrk(name)
    figure = TINY[name]()
    assert figure.name == name
    assert figure.subject_stats.median > 0
    assert figure.floor_stats.median > 0
    assert isinstance(figure.met, bool)


def test_the_cached_database_holds_what_generate_would_write(tmp_path):
    from app import open_service

    datasets.use_benchmark_salt()
    path = datasets.cached_sqlite(30)
    assert datasets.cached_sqlite(30) == path  # built once, then reused
    with open_service(f"sqlite:///{path}") as service:
        assert service.count_tokens(datasets.PROJECT) == 30
        assert service.count_tokens(datasets.EMPTY_PROJECT) == 0
        events = service.audit_log(datasets.PROJECT)
        assert [e.action for e in events] == ["generated"] * 30
        assert sorted(e.token_id for e in events) == sorted(
            t.id for t in service.list_tokens(datasets.PROJECT)
        )
        assert service.revision() == 2 + 30  # two projects, thirty tokens
        assert service.salt_problem() is None  # the fingerprint of the benchmark salt


def test_ratios_targets_and_the_report():
    figure = harness.Figure(
        name="example",
        subject="s",
        floor="f",
        subject_stats=harness.Stats((3.0, 2.0, 4.0)),
        floor_stats=harness.Stats((1.0, 1.0, 2.0)),
        max_ratio=2.5,
        max_subject=10,
    )
    assert figure.ratio == 3.0
    assert not figure.met
    assert figure.subject_stats.quoted("ms") == "3.00 ms (2.00-4.00)"
    text = report.render([figure], ["CPU: test"], [("other", "why")], "Notes.", 1.0)
    assert "| example | 3.00 ms (2.00-4.00) | 1.00 ms (1.00-2.00) | 3.00\u00d7 |" in text
    assert "**no**" in text
    assert "| other | not measured: why |" in text
    assert "- CPU: test" in text
