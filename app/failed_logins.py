"""Slowing down guesses at introspection client secrets.

After ``LIMIT`` failed authentications from one address within ``WINDOW_SECONDS``, that
address is refused (HTTP 429) until the window has passed: a secret of 256 bits is not
guessable, but a scanner should not get to try at full speed, nor fill the logs. Kept
per worker process, in bounded memory; a failed attempt costs the same whatever the name.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

LIMIT = 10
WINDOW_SECONDS = 60.0
# Addresses remembered at most (the oldest are forgotten first).
MAX_ADDRESSES = 10_000


class FailedLogins:
    """Counts failures per address in a fixed window; thread-safe."""

    def __init__(
        self,
        limit: int = LIMIT,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limit = limit
        self._window = window_seconds
        self._clock = clock
        self._lock = threading.Lock()
        # address -> (window start, failures in it)
        self._failures: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def blocked(self, address: str) -> float | None:
        """Seconds until ``address`` may try again, or None when it may now."""
        now = self._clock()
        with self._lock:
            entry = self._failures.get(address)
            if entry is None:
                return None
            started, count = entry
            if now - started >= self._window:
                del self._failures[address]
                return None
            return self._window - (now - started) if count >= self._limit else None

    def __len__(self) -> int:
        """How many addresses are remembered (at most MAX_ADDRESSES)."""
        with self._lock:
            return len(self._failures)

    def failed(self, address: str) -> None:
        now = self._clock()
        with self._lock:
            started, count = self._failures.pop(address, (now, 0))
            if now - started >= self._window:
                started, count = now, 0
            self._failures[address] = (started, count + 1)
            while len(self._failures) > MAX_ADDRESSES:
                self._failures.popitem(last=False)
