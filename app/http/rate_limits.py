"""Slowing down callers that fail to authenticate, and capping calls per credential.

The verification service checks credentials first: a caller with the right secret is
never held up by anyone else's failures. Only failures are counted (per credential, per
address group, and for everyone together), and a caller whose failures are over a limit is
answered 429 instead of 401. A secret of 256 bits cannot be guessed, so this is not what
keeps secrets safe: it makes a scanner back off and keeps the logs quiet.

The counters live in an anonymous shared memory mapping (``MAP_SHARED``) made before
gunicorn forks its workers, behind a lock the workers share, so a limit holds for the whole
``serve`` and not once per worker. The table has a fixed size: when a bucket is full the
entry seen least recently is forgotten.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import mmap
import os
import struct
import threading
import time
from collections.abc import Callable, Iterable
from typing import Protocol

log = logging.getLogger(__name__)

# Failed authentications per credential, or per address group, within a window.
LIMIT = 10
# Failed authentications from everyone together, per endpoint: the backstop against a
# caller who changes address for every guess. Valid credentials are never refused by it.
ALL_FAILURES_LIMIT = 100
WINDOW_SECONDS = 60.0
# The table: BUCKETS x WAYS entries of 40 bytes (about 320 KiB).
BUCKETS = 1024
WAYS = 8
# How long a worker waits for the shared lock before counting nothing (a worker killed
# while holding it must not stop the others: the limits are a courtesy, not a guard).
LOCK_TIMEOUT_SECONDS = 1.0
# IPv6 addresses are counted by the /64 a host is usually given, IPv4 ones one by one.
IPV6_GROUP_PREFIX = 64

# key digest, window start, last seen, count (native, no padding surprises: "=").
_ENTRY = struct.Struct("=16sddI4x")


class _Lock(Protocol):
    """What the table needs of a lock: acquire with a timeout, release."""

    def acquire(self, block: bool, timeout: float, /) -> bool: ...

    def release(self) -> None: ...


class RateLimits:
    """Fixed-window counters keyed by text, shared by every process forked after this
    object was made; thread-safe."""

    def __init__(
        self,
        *,
        window_seconds: float = WINDOW_SECONDS,
        buckets: int = BUCKETS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._window = window_seconds
        self._buckets = buckets
        # CLOCK_MONOTONIC is one clock for every process of the machine.
        self._clock = clock
        self._memory = mmap.mmap(
            -1,
            buckets * WAYS * _ENTRY.size,
            flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS,
            prot=mmap.PROT_READ | mmap.PROT_WRITE,
        )
        # Keyed with a secret of this serve's, so nobody can aim keys at one bucket.
        self._hash_key = os.urandom(16)
        self._lock = _shared_lock()

    def count(self, limits: Iterable[tuple[str, int]]) -> float | None:
        """Count one event against each ``(key, limit)``; the seconds until the caller may
        try again when any key is now over its limit, else None."""
        now = self._clock()
        digests = [(self._digest(key), limit) for key, limit in limits]
        if not self._lock.acquire(True, LOCK_TIMEOUT_SECONDS):
            log.warning("the rate limits' lock is stuck: this request was not counted")
            return None
        wait = None
        try:
            for digest, limit in digests:
                started, count = self._counted(digest, now)
                if count > limit:
                    left = self._window - (now - started)
                    wait = left if wait is None else max(wait, left)
        finally:
            self._lock.release()
        return wait

    def __len__(self) -> int:
        """How many keys are remembered now (at most BUCKETS x WAYS)."""
        now = self._clock()
        total = 0
        for slot in range(self._buckets * WAYS):
            _, started, _, count = _ENTRY.unpack_from(self._memory, slot * _ENTRY.size)
            total += count > 0 and now - started < self._window
        return total

    def _digest(self, key: str) -> bytes:
        encoded = key.encode("utf-8", "surrogatepass")
        return hashlib.blake2b(encoded, digest_size=16, key=self._hash_key).digest()

    def _counted(self, digest: bytes, now: float) -> tuple[float, int]:
        """Add one to ``digest``'s entry (a new window, or a new entry in place of the
        least recently seen one); its window start and count. Under the lock."""
        first = (int.from_bytes(digest[:4], "big") % self._buckets) * WAYS
        chosen, chosen_seen = first, math.inf
        found = None
        for slot in range(first, first + WAYS):
            stored, started, seen, count = _ENTRY.unpack_from(self._memory, slot * _ENTRY.size)
            if stored == digest and count > 0:
                found = (slot, started, count)
                break
            stale = count == 0 or now - started >= self._window
            rank = -math.inf if stale else seen
            if rank < chosen_seen:
                chosen, chosen_seen = slot, rank
        if found is not None and now - found[1] < self._window:
            slot, started, count = found[0], found[1], found[2] + 1
        else:
            slot = found[0] if found is not None else chosen
            started, count = now, 1
        _ENTRY.pack_into(self._memory, slot * _ENTRY.size, digest, started, now, count)
        return started, count


def retry_after(wait: float) -> str:
    """The Retry-After value for ``wait`` seconds: whole seconds, at least 1."""
    return str(max(1, math.ceil(wait)))


def address_group(address: str) -> str:
    """What failures from ``address`` are counted under: an IPv4 address itself, an IPv6
    address's /64 (an IPv4-mapped one as IPv4), anything else as it is."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_GROUP_PREFIX), strict=False))
    return str(parsed)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(proxies: Iterable[str]) -> tuple[Network, ...]:
    """The networks of ``proxies`` (an address is a network of one); ValueError naming
    the first that is neither an address nor a network."""
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"{proxy.strip()!r} is not an IP address or a network such as 10.0.0.0/8"
            ) from None
    return tuple(networks)


def _shared_lock() -> _Lock:
    """A lock every forked worker shares (a POSIX semaphore), or, where the system has
    none to give, a lock of this process only (each worker then counts on its own)."""
    import multiprocessing

    try:
        # "fork": the semaphore is unlinked at once and needs no resource tracker process.
        return multiprocessing.get_context("fork").Lock()
    except OSError as error:  # no /dev/shm, say
        log.warning("rate limits are per worker: no shared lock (%s)", error)
        return threading.Lock()
