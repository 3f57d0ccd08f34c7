"""Alternating floor and subject runs, and the statistics quoted from them."""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Stats:
    """One side of a comparison, in milliseconds (or MB for memory)."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        return min(self.samples)

    @property
    def high(self) -> float:
        return max(self.samples)

    def quoted(self, unit: str) -> str:
        return f"{_number(self.median)} {unit} ({_number(self.low)}-{_number(self.high)})"


@dataclass(frozen=True)
class Figure:
    """A measured figure against its floor, and whether it met its target."""

    name: str
    subject: str
    floor: str
    subject_stats: Stats
    floor_stats: Stats
    unit: str = "ms"
    # Targets: the ratio of medians (subject / floor), an absolute ceiling on the
    # subject's median, or a ceiling on the difference of medians (memory).
    max_ratio: float | None = None
    # For figures where more is better (requests per second): subject / floor at least.
    min_ratio: float | None = None
    max_subject: float | None = None
    max_difference: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.subject_stats.median / self.floor_stats.median

    @property
    def difference(self) -> float:
        return self.subject_stats.median - self.floor_stats.median

    @property
    def target(self) -> str:
        parts = []
        if self.max_ratio is not None:
            parts.append(f"\u2264 {self.max_ratio:g}\u00d7")
        if self.min_ratio is not None:
            parts.append(f"\u2265 {self.min_ratio:g}\u00d7")
        if self.max_subject is not None:
            parts.append(f"\u2264 {self.max_subject:g} {self.unit}")
        if self.max_difference is not None:
            parts.append(f"\u2264 +{self.max_difference:g} {self.unit}")
        return " and ".join(parts)

    @property
    def met(self) -> bool:
        checks = []
        if self.max_ratio is not None:
            checks.append(self.ratio <= self.max_ratio)
        if self.min_ratio is not None:
            checks.append(self.ratio >= self.min_ratio)
        if self.max_subject is not None:
            checks.append(self.subject_stats.median <= self.max_subject)
        if self.max_difference is not None:
            checks.append(self.difference <= self.max_difference)
        return all(checks)

    @property
    def result(self) -> str:
        if self.max_difference is not None:
            sign = "+" if self.difference >= 0 else "\u2212"
            return f"{sign}{_number(abs(self.difference))} {self.unit}"
        return f"{self.ratio:.2f}\u00d7"


def alternate(
    floor: Callable[[], float],
    subject: Callable[[], float],
    *,
    rounds: int,
    warmup: int = 1,
) -> tuple[Stats, Stats]:
    """Run floor and subject in turn (A B A B), ``warmup`` pairs first and thrown away.

    Each callable returns one sample. Returns (floor stats, subject stats).
    """
    for _ in range(warmup):
        floor()
        subject()
    floors, subjects = [], []
    for _ in range(rounds):
        floors.append(floor())
        subjects.append(subject())
    return Stats(tuple(floors)), Stats(tuple(subjects))


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def ensure_bytecode() -> None:
    """Compile the app's modules once, as an installed app (or any second start) has them.

    Process figures would otherwise count compiling our sources on every start wherever
    bytecode is not written (PYTHONDONTWRITEBYTECODE, a read-only checkout), a cost the
    floor never pays and users do not either.
    """
    for package in ("app", "ui"):
        compileall.compile_dir(ROOT / package, quiet=1)


def probe_ms(probe: Path, *arguments: str, environment: dict[str, str]) -> float:
    """Milliseconds from spawning ``probe`` (a script run with this interpreter) to the
    moment it printed as ``time.time_ns()`` on its last line."""
    started = time.time_ns()
    result = subprocess.run(
        [sys.executable, str(probe), *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    lines = result.stdout.split()
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"the probe {probe.name} failed: {result.stderr.strip()[-500:]}")
    return (int(lines[-1]) - started) / 1e6
