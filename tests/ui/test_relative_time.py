"""Relative times as people say them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ui.relative_time import relative


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-300, "just now"),  # another workstation's clock runs ahead
        (0, "just now"),
        (59, "just now"),
        (60, "1 minute ago"),
        (3 * 3600, "3 hours ago"),
        (86400, "1 day ago"),
        (8 * 86400, "1 week ago"),
        (40 * 86400, "1 month ago"),
        (800 * 86400, "2 years ago"),
    ],
)
def test_relative_times_read_naturally(seconds, text):
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert relative(now - timedelta(seconds=seconds), now) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(30, "in less than a minute"), (90, "in 1 minute"), (3 * 86400 + 5, "in 3 days")],
)
def test_times_ahead_read_naturally(seconds, text):
    from datetime import UTC, datetime, timedelta

    from ui.relative_time import ahead

    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert ahead(now + timedelta(seconds=seconds), now) == text
