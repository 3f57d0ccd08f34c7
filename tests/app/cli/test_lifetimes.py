"""Durations, days and expiry choices on the command line (``app.cli.lifetimes``): what
they refuse, as usage errors in one line that write nothing."""

from __future__ import annotations

import argparse
from datetime import date, timedelta

import pytest

from app.cli import lifetimes
from app.lifecycle import Expiry


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--expires-in", "12x"), "not a duration"),
        (("--expires-in", "0d"), "longer than zero"),
        (("--expires-on", "31.01.2099"), "YYYY-MM-DD"),
        (("--expires-in", "7d", "--no-expiry"), "not allowed with argument"),
        (("--expires-on", "2020-01-01"), "not in the future"),
        (("--environment", "moon"), "no environment 'moon'"),
    ],
)
def test_bad_lifecycle_options_are_one_line_and_write_nothing(cli, web, store, options, message):
    before = store.dump()
    result = cli("tokens", "generate", "--project", web, *options)
    assert result.code in (1, 2)
    assert message in result.err
    assert result.err.count("\n") == 1
    assert result.out == ""
    assert store.dump() == before


def test_a_usage_error_in_a_duration_exits_2(cli, web):
    assert cli("tokens", "generate", "--project", web, "--expires-in", "1m").code == 2
    assert cli("tokens", "expiring", "--within", "soon").code == 2
    assert cli("tokens", "rotate", "--project", web, "1", "--grace", "-1h").code == 2


@pytest.mark.parametrize(
    "argv",
    [
        ("tokens", "generate", "--project", "web", "--expires-in", "999999y"),
        ("tokens", "update", "--project", "web", "1", "--expires-in", "999999y"),
        ("tokens", "rotate", "--project", "web", "1", "--grace", "999999y"),
        ("tokens", "expiring", "--within", "999999y"),
        ("projects", "policy", "--project", "web", "--default-lifetime", "999999y"),
        ("projects", "policy", "--project", "web", "--max-lifetime", "9999999d"),
    ],
)
def test_a_duration_no_date_can_hold_is_a_usage_error_in_one_line(cli, web, store, argv):
    assert cli("tokens", "generate", "--project", web).code == 0
    before = store.dump()
    result = cli(*argv)
    assert (result.code, result.out) == (2, "")
    assert "is too long: at most 1000 years" in result.err
    assert "internal error" not in result.err
    assert len(result.err.splitlines()) == 1
    assert store.dump() == before


def test_a_grace_may_be_zero_where_a_lifetime_may_not():
    assert lifetimes.grace("0") == timedelta(0)
    assert lifetimes.grace("1h") == timedelta(hours=1)
    assert lifetimes.duration("30d") == timedelta(days=30)
    with pytest.raises(argparse.ArgumentTypeError):
        lifetimes.duration("0")


def test_none_is_a_lifetime_only_where_one_is_optional():
    assert lifetimes.optional_duration("None") is None
    assert lifetimes.optional_duration("2w") == timedelta(weeks=2)
    with pytest.raises(argparse.ArgumentTypeError):
        lifetimes.duration("none")


@pytest.mark.parametrize("text", ["2099-1-31", "31.01.2099", "2099-02-30", "\uff12099-01-31", ""])
def test_a_day_is_yyyy_mm_dd_in_ascii_digits_and_a_real_date(text):
    with pytest.raises(argparse.ArgumentTypeError, match="YYYY-MM-DD"):
        lifetimes.day(text)


@pytest.mark.parametrize(
    ("options", "chosen"),
    [
        ([], None),
        (["--expires-in", "30d"], Expiry.after(timedelta(days=30))),
        (["--expires-on", " 2099-01-31 "], Expiry.on(date(2099, 1, 31))),
        (["--no-expiry"], Expiry.no_expiry()),
    ],
)
def test_the_expiry_options_say_what_was_chosen(options, chosen):
    parser = argparse.ArgumentParser()
    lifetimes.add_expiry_options(parser)
    assert lifetimes.expiry(parser.parse_args(options)) == chosen
