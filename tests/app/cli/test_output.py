"""What the command line prints (``app.cli.output``): one-line errors with what they quote
shown safely, tables, JSON and times."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from app.cli import output

MOMENT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_fail_is_one_line_on_stderr_with_what_it_quotes_escaped(capsys):
    assert output.fail("no project named 'x\x1b[2K\rweb'\nforged: line", 7) == 7
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "deployment-tokens: no project named 'x\\e[2K\\rweb'\\nforged: line\n"


def test_a_table_pads_each_column_to_its_widest_cell_and_trims_each_line(capsys):
    output.print_table(("NAME", "ID", "BY"), [("web", 1, ""), ("storefront", 12, "ci")])
    assert capsys.readouterr().out == (
        "NAME        ID  BY\n"
        "web         1\n"
        "storefront  12  ci\n"
    )  # fmt: skip


def test_json_has_the_keys_asked_of_records_or_mappings_and_times_in_iso_8601(capsys):
    record = SimpleNamespace(name="café", created_at=MOMENT, secret="not asked for")
    mapping = {"name": "api", "created_at": None, "secret": "not asked for"}
    output.print_json([record, mapping], ("name", "created_at"))
    printed = capsys.readouterr().out
    assert json.loads(printed) == [
        {"name": "café", "created_at": "2026-01-02T03:04:05+00:00"},
        {"name": "api", "created_at": None},
    ]
    assert "café" in printed  # as typed, not \u00e9
    output.print_json([], ("name",))
    assert capsys.readouterr().out == "[]\n"


def test_times_are_utc_to_the_minute_or_to_the_second():
    assert output.human(MOMENT) == "2026-01-02 03:04 UTC"
    assert output.human(None) == "never"
    assert output.exact(MOMENT) == "2026-01-02 03:04:05 UTC"


@pytest.mark.parametrize(
    ("before", "said"),
    [
        (timedelta(0), "less than a minute ago"),
        (timedelta(seconds=59), "less than a minute ago"),
        (timedelta(seconds=60), "1 minute ago"),
        # Rounded to the nearest unit, as the app says it (these four were cut down
        # before: "3 minutes", "1 day", "364 days"):
        (timedelta(minutes=3, seconds=59), "4 minutes ago"),
        (timedelta(minutes=59, seconds=40), "1 hour ago"),
        (timedelta(hours=1), "1 hour ago"),
        (timedelta(hours=1, minutes=29), "1 hour ago"),
        (timedelta(hours=1, minutes=30), "2 hours ago"),
        (timedelta(days=1, hours=23), "2 days ago"),
        (timedelta(days=13, hours=11), "13 days ago"),
        (timedelta(days=14), "2 weeks ago"),
        (timedelta(days=45), "2 months ago"),
        (timedelta(days=364), "1 year ago"),
        (timedelta(days=730), "2 years ago"),
    ],
)
def test_ago_rounds_to_the_nearest_unit_like_the_app(before, said):
    assert output.ago(MOMENT - before, MOMENT) == said


@pytest.mark.parametrize(
    "before",
    [
        timedelta(minutes=1, seconds=31),
        timedelta(hours=23, minutes=31),
        timedelta(days=1, hours=23),
        timedelta(days=6, hours=23, minutes=59),
        timedelta(days=20),
        timedelta(days=89, hours=23),
        timedelta(days=400),
    ],
)
def test_ago_says_what_the_app_says(before):
    """The app's "last used" (``ui.relative_time``) and the command line's agree."""
    relative_time = pytest.importorskip("ui.relative_time")
    said = relative_time.relative(MOMENT - before, MOMENT)
    assert output.ago(MOMENT - before, MOMENT) == said


def test_a_hint_quotes_a_name_as_one_shell_word():
    assert output.quoted("web") == "web"
    assert output.quoted("my project") == "'my project'"
    assert output.quoted("it's") == "'it'\"'\"'s'"
