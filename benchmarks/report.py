"""BENCHMARKS.md: the figures of one run, with the machine they were measured on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from benchmarks.harness import Figure

HEADER = """# Benchmarks

Written by `make bench` (`python -m benchmarks`); do not edit by hand. Each figure is a
ratio against a floor measured in the same run: floor and subject runs alternate (A B A B),
a warm-up pair is thrown away, and each side is quoted as its median (min-max) over the
counted runs. The test suite only runs each benchmark once at a tiny size to prove that it
works: these are not timed tests.
"""


def render(
    figures: Sequence[Figure],
    machine: Sequence[str],
    skipped: Sequence[tuple[str, str]],
    analysis: str,
    seconds: float,
) -> str:
    lines = [HEADER]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines.append(f"Measured {when} in {seconds:.0f} s on:\n")
    lines.extend(f"- {line}" for line in machine)
    lines.append("")
    lines.append("| figure | subject | floor | result | target | met |")
    lines.append("|---|---|---|---|---|---|")
    for figure in figures:
        lines.append(
            f"| {figure.name} | {figure.subject_stats.quoted(figure.unit)} | "
            f"{figure.floor_stats.quoted(figure.unit)} | {figure.result} | {figure.target} | "
            f"{'yes' if figure.met else '**no**'} |"
        )
    for name, reason in skipped:
        lines.append(f"| {name} | not measured: {reason} | | | | |")
    lines.append("")
    lines.append("What each figure times:\n")
    for figure in figures:
        notes = " ".join(figure.notes)
        lines.append(
            f"- **{figure.name}**: {figure.subject}; floor: {figure.floor}. "
            f"{len(figure.subject_stats.samples)} counted runs a side. {notes}".rstrip()
        )
    lines.append("")
    lines.append(analysis.strip())
    lines.append("")
    return "\n".join(lines)
