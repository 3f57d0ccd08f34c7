"""``python -m benchmarks``: measure every figure and write BENCHMARKS.md.

``--tiny`` runs each benchmark once at a tiny size (what the test suite does) and writes
nothing unless ``--output`` is given; neither does ``--only`` (a partial table would
replace the whole one).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import (
    access_control,
    audit_chain,
    exchange,
    http_authorize,
    machine,
    pane,
    report,
    startup,
    usable,
    verify_calls,
    verify_process,
)
from benchmarks.harness import Figure

ROOT = Path(__file__).resolve().parent.parent
ANALYSIS = ROOT / "benchmarks" / "ANALYSIS.md"


def plan(tiny: bool) -> list[tuple[str, Callable[[], Figure]]]:
    if tiny:
        return [
            ("App start to usable", lambda: usable.measure_projects(rounds=1, warmup=0)),
            (
                "App start to usable (tokens pane)",
                lambda: usable.measure_tokens(rounds=1, warmup=0),
            ),
            ("App start to first paint", lambda: startup.measure(rounds=1, warmup=0)),
            ("verify as a process", lambda: verify_process.measure(rounds=1, warmup=0)),
            (
                "tokens generate as a process",
                lambda: verify_process.measure_generate(rounds=1, warmup=0),
            ),
            (
                "verify in process, SQLite",
                lambda: verify_calls.measure_sqlite(tokens=50, sample=5, rounds=1),
            ),
            (
                "verify in process, PostgreSQL",
                lambda: verify_calls.measure_postgresql(tokens=50, sample=5, rounds=1),
            ),
            ("open the tokens pane", lambda: pane.measure_open(tokens=50, rounds=1)),
            ("memory of the tokens pane", lambda: pane.measure_memory(tokens=50, rounds=1)),
            ("Generate", lambda: pane.measure_generate(tokens=50, rounds=1)),
            (
                "verify in process, PostgreSQL, with access control",
                lambda: access_control.measure_verify(tokens=50, sample=5, rounds=1),
            ),
            (
                "generate, PostgreSQL, with access control",
                lambda: access_control.measure_generate(tokens=50, count=5, rounds=1),
            ),
            (
                "exchange with cached keys, SQLite",
                lambda: exchange.measure_sqlite(calls=5, rounds=1, warmup=0),
            ),
            (
                "exchange with cached keys, PostgreSQL",
                lambda: exchange.measure_postgresql(calls=5, rounds=1, warmup=0),
            ),
            *((name, partial(measure, **TINY_HTTP)) for name, measure in _http_figures()),
            *(
                (name, partial(measure, **TINY_AUDIT[kind]))
                for name, kind, measure in _audit_figures()
            ),
        ]
    return [
        ("App start to usable", lambda: usable.measure_projects(rounds=11)),
        ("App start to usable (tokens pane)", lambda: usable.measure_tokens(rounds=11)),
        ("App start to first paint", lambda: startup.measure(rounds=21)),
        ("verify as a process", lambda: verify_process.measure(rounds=21)),
        ("tokens generate as a process", lambda: verify_process.measure_generate(rounds=21)),
        ("verify in process, SQLite", lambda: verify_calls.measure_sqlite(rounds=9)),
        ("verify in process, PostgreSQL", lambda: verify_calls.measure_postgresql(rounds=9)),
        ("open the tokens pane", lambda: pane.measure_open(rounds=11)),
        ("memory of the tokens pane", lambda: pane.measure_memory(rounds=5)),
        ("Generate", lambda: pane.measure_generate(rounds=11)),
        (
            "verify in process, PostgreSQL, with access control",
            lambda: access_control.measure_verify(rounds=9),
        ),
        (
            "generate, PostgreSQL, with access control",
            lambda: access_control.measure_generate(rounds=9),
        ),
        ("exchange with cached keys, SQLite", lambda: exchange.measure_sqlite(rounds=9)),
        ("exchange with cached keys, PostgreSQL", lambda: exchange.measure_postgresql(rounds=9)),
        *_http_figures(),
        *((name, partial(measure, **FULL_AUDIT[kind])) for name, kind, measure in _audit_figures()),
    ]


# One run of each side at a tiny size, no warm-up: the test suite's.
TINY_HTTP = {"tokens": 50, "rounds": 1, "seconds": 1, "warmup": 0}


def _http_figures() -> list[tuple[str, Callable[..., Figure]]]:
    """Authorize over HTTP: against the floor of a correct verifier on each backend (the
    main figures), and on PostgreSQL against the bare /healthz too (secondary). The
    figures of a backend share one run of its servers."""
    return [
        ("authorize over HTTP, SQLite: p50", partial(http_authorize.measure_latency, "sqlite")),
        (
            "authorize over HTTP, SQLite: throughput",
            partial(http_authorize.measure_throughput, "sqlite"),
        ),
        (
            "authorize over HTTP, PostgreSQL: p50",
            partial(http_authorize.measure_latency, "postgresql"),
        ),
        (
            "authorize over HTTP, PostgreSQL: throughput",
            partial(http_authorize.measure_throughput, "postgresql"),
        ),
        (
            "authorize over HTTP, PostgreSQL: p50 against /healthz",
            http_authorize.measure_healthz_latency,
        ),
        (
            "authorize over HTTP, PostgreSQL: throughput against /healthz",
            http_authorize.measure_healthz_throughput,
        ),
    ]


# The audit chain's figures (benchmarks/audit_chain.py): exporting it, and what it costs
# generate and revoke. The figures of a kind and backend share one run.
TINY_AUDIT = {
    "export": {"events": 2_000, "small": 200, "rounds": 1},
    "writes": {"tokens": 50, "count": 5, "rounds": 1},
}
FULL_AUDIT = {"export": {"rounds": 3}, "writes": {"rounds": 9}}


def _audit_figures() -> list[tuple[str, str, Callable[..., Figure]]]:
    figures: list[tuple[str, str, Callable[..., Figure]]] = []
    for backend, shown in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        figures += [
            (
                f"audit export, {shown}: events per second",
                "export",
                partial(audit_chain.measure_export_rate, backend),
            ),
            (
                f"audit export, {shown}: peak memory",
                "export",
                partial(audit_chain.measure_export_memory, backend),
            ),
            (
                f"generate with the audit chain, {shown}",
                "writes",
                partial(audit_chain.measure_generate, backend),
            ),
            (
                f"revoke with the audit chain, {shown}",
                "writes",
                partial(audit_chain.measure_revoke, backend),
            ),
        ]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--tiny", action="store_true", help="once each, at a tiny size")
    parser.add_argument(
        "--output",
        type=Path,
        help="where to write (default BENCHMARKS.md; with --tiny or --only, nowhere)",
    )
    parser.add_argument("--only", nargs="*", default=None, help="figure names to run")
    args = parser.parse_args(argv)
    known = [name for name, _ in plan(args.tiny)]
    unknown = [name for name in args.only or () if name not in known]
    if unknown:
        parser.error(f"no figure is named {unknown[0]!r}; the figures: {', '.join(known)}")
    partial_run = args.tiny or args.only is not None
    output = args.output or (None if partial_run else ROOT / "BENCHMARKS.md")

    from devtools.postgresql_cluster import server_binaries

    started = time.perf_counter()
    figures: list[Figure] = []
    skipped: list[tuple[str, str]] = []
    for name, run in plan(args.tiny):
        if args.only is not None and name not in args.only:
            continue
        if "PostgreSQL" in name and server_binaries() is None:
            skipped.append((name, "PostgreSQL is not installed"))
            print(f"{name}: skipped, PostgreSQL is not installed", file=sys.stderr)
            continue
        if "HTTP" in name and not http_authorize.wrk_available():
            skipped.append((name, "wrk is not installed"))
            print(f"{name}: skipped, wrk is not installed", file=sys.stderr)
            continue
        print(f"{name} \N{HORIZONTAL ELLIPSIS}", file=sys.stderr, flush=True)
        figure = run()
        figures.append(figure)
        print(
            f"  {figure.subject_stats.quoted(figure.unit)} against "
            f"{figure.floor_stats.quoted(figure.unit)}: {figure.result} "
            f"(target {figure.target}: {'met' if figure.met else 'missed'})",
            file=sys.stderr,
            flush=True,
        )
    seconds = time.perf_counter() - started
    if output is not None:
        analysis = ANALYSIS.read_text(encoding="utf-8") if ANALYSIS.exists() else ""
        output.write_text(
            report.render(figures, machine.describe(), skipped, analysis, seconds),
            encoding="utf-8",
        )
        print(f"Wrote {output} in {seconds:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
