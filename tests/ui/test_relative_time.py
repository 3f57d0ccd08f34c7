"""Relative times as people say them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QLocale

from ui.relative_time import ahead, local_date_time, relative

# A token is drawn a moment after it was made: a few seconds short of its whole lifetime.
A_MOMENT = timedelta(seconds=3)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-300, "just now"),  # another workstation's clock runs ahead
        (0, "just now"),
        (59, "just now"),
        (60, "1 minute ago"),
        (3 * 3600, "3 hours ago"),
        (86400, "1 day ago"),
        (8 * 86400, "8 days ago"),
        (20 * 86400, "3 weeks ago"),
        (40 * 86400, "1 month ago"),
        (800 * 86400, "2 years ago"),
    ],
)
def test_relative_times_read_naturally(seconds, text):
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert relative(now - timedelta(seconds=seconds), now) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(30, "in less than a minute"), (89, "in 1 minute"), (3 * 86400 + 5, "in 3 days")],
)
def test_times_ahead_read_naturally(seconds, text):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert ahead(now + timedelta(seconds=seconds), now) == text


@pytest.mark.parametrize(
    ("lifetime", "text"),
    [
        # The Expires choices beside Generate, as the new row shows them.
        (timedelta(days=7), "in 7 days"),
        (timedelta(days=30), "in 1 month"),
        (timedelta(days=60), "in 2 months"),
        (timedelta(days=90), "in 3 months"),
        (timedelta(days=365), "in 1 year"),
        (timedelta(days=3), "in 3 days"),
        (timedelta(hours=12), "in 12 hours"),
    ],
)
def test_a_new_tokens_lifetime_reads_as_chosen_not_one_unit_less(lifetime, text):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert ahead(now + lifetime - A_MOMENT, now) == text


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(hours=23, minutes=40), "in 1 day"),  # never "in 24 hours"
        (timedelta(days=2, hours=20), "in 3 days"),
        (timedelta(days=2, hours=4), "in 2 days"),
        (timedelta(days=13, hours=13), "in 2 weeks"),  # never "in 14 days"
        (timedelta(days=29, hours=13), "in 1 month"),  # never "in 4 weeks" at 29.5 days
        (timedelta(days=350), "in 1 year"),  # never "in 12 months"
    ],
)
def test_times_round_to_the_nearest_unit(left, text):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert ahead(now + left, now) == text
    assert relative(now - left, now) == text.removeprefix("in ") + " ago"


@pytest.fixture
def german():
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(before)


def test_the_exact_moment_is_written_in_the_users_language(german):
    # Noon UTC: the same calendar day in every time zone the machine may be in.
    shown = local_date_time(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    assert "Dezember 2026" in shown
    assert "2026-12-01" not in shown
