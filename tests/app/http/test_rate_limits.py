"""The rate limits' counters: shared by processes forked after they were made (gunicorn's
workers), bounded in memory, and the address groups failures are counted under."""

from __future__ import annotations

import os
import warnings

import pytest

from app.http import rate_limits
from app.http.rate_limits import RateLimits, address_group, retry_after
from tests.support.endpoints import introspect_from


def test_a_limit_holds_across_processes_forked_after_it_was_made():
    limits = RateLimits(clock=lambda: 1000.0)
    children = []
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork() in a process with threads; the children below
        # only count and exit.
        warnings.simplefilter("ignore", DeprecationWarning)
        for _ in range(2):  # two workers, five failures each
            pid = os.fork()
            if pid == 0:  # pragma: no cover (the child)
                try:
                    refused = [limits.count([("introspect as gateway", 10)]) for _ in range(5)]
                    os._exit(0 if refused == [None] * 5 else 1)
                finally:
                    os._exit(2)
            children.append(pid)
    for pid in children:
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    # Ten failures between them: the eleventh, from anyone, is over the limit.
    assert limits.count([("introspect as gateway", 10)]) == pytest.approx(60.0)


def test_each_key_has_its_own_count_and_a_window_ends():
    now = [0.0]
    limits = RateLimits(window_seconds=60, clock=lambda: now[0])
    for _ in range(3):
        assert limits.count([("a", 3), ("b", 5)]) is None
    now[0] = 20.0
    assert limits.count([("a", 3), ("b", 5)]) == pytest.approx(40.0)  # "a" is over
    assert limits.count([("c", 3)]) is None
    now[0] = 60.0
    assert limits.count([("a", 3)]) is None  # a new window


def test_the_table_stays_bounded_and_keeps_counting():
    limits = RateLimits(buckets=4, clock=lambda: 0.0)
    capacity = 4 * rate_limits.WAYS
    # Keys land in buckets by a keyed hash: ten times the capacity fills every bucket but
    # once in about 10^29 runs (three times left one short once in 30,000).
    for n in range(capacity * 10):
        limits.count([(f"from 10.0.0.{n}", 1)])
    assert len(limits) == capacity  # the oldest were forgotten
    assert limits.count([("from 10.0.0.1000", 1)]) is None
    assert limits.count([("from 10.0.0.1000", 1)]) is not None  # a newcomer is counted


@pytest.mark.parametrize(
    ("address", "group"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("unknown", "unknown"),
    ],
)
def test_ipv6_callers_are_counted_by_their_64_and_ipv4_ones_each(address, group):
    assert address_group(address) == group


def test_ipv6_callers_are_counted_by_their_64(client, web):
    from app.http.rate_limits import LIMIT

    def guess(address, n):  # a client name of its own each time: only the address counts
        return introspect_from(client, address, "token=x", f"client-{n}", "x").status_code

    for n in range(LIMIT):  # a new address of the same /64 for every guess
        assert guess(f"2001:db8:0:1::{n + 1:x}", n) == 401
    assert guess("2001:db8:0:1:ffff::1", 100) == 429
    assert guess("2001:db8:0:2::1", 101) == 401


def test_retry_after_is_whole_seconds_and_never_zero():
    assert [retry_after(w) for w in (0.0, 0.2, 59.0, 59.5)] == ["1", "1", "59", "60"]
