"""What the app says beyond its widgets' labels: %1 placeholders filled in one pass,
English plurals made right without a catalog, durations and No expiry as the user reads
them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import lifecycle
from ui.translated import TranslationContext, arg, counted, duration, no_expiry


def test_arg_fills_each_placeholder_once_as_qstring_arg_does():
    assert arg("Renamed “%1” to “%2”.", "web", "shop") == "Renamed “web” to “shop”."
    # A value holding a placeholder is not filled in again.
    assert arg("%1 and %2", "%2", "b") == "%2 and b"
    assert arg("%1 of %3", 1) == "1 of %3"  # no value: left as it is


@pytest.mark.parametrize(("count", "said"), [(1, "1 token"), (0, "0 tokens"), (7, "7 tokens")])
def test_without_a_catalog_english_plurals_are_made_from_the_source(count, said):
    # What Qt gives back without a catalog: the source with the number in it.
    assert counted(f"{count} token(s)", count) == said


def test_irregular_english_plurals_come_from_their_table_without_a_catalog():
    source = "%n of %1 match %2"
    assert counted("1 of %1 match %2", 1, source) == "1 of %1 matches %2"
    assert counted("3 of %1 match %2", 3, source) == "3 of %1 match %2"
    source = "Deleted project “%1”; its %n token(s) is revoked."
    assert counted(source.replace("%n", "2"), 2, source) == (
        "Deleted project “%1”; its 2 tokens are revoked."
    )


def test_a_text_a_catalog_translated_is_left_alone():
    assert counted("2 Token", 2, "%n token(s)") == "2 Token"
    assert counted("1 of %1 match %2 (übersetzt)", 1, "%n of %1 match %2") == (
        "1 of %1 match %2 (übersetzt)"
    )


@pytest.mark.parametrize(
    ("length", "said"),
    [
        (timedelta(days=365), "1 year"),
        (timedelta(days=730), "2 years"),
        (timedelta(days=90), "90 days"),
        (timedelta(days=1), "1 day"),
        (timedelta(hours=36), "36 hours"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(minutes=90), "1.5 hours"),
    ],
)
def test_a_duration_is_said_in_the_largest_unit_that_divides_it(qapp, length, said):
    assert duration(length) == said


def test_no_expiry_is_the_lifecycles_words_in_english(qapp):
    assert no_expiry() == lifecycle.NO_EXPIRY


def test_a_translation_context_is_named_after_its_class(qapp, monkeypatch):
    asked = []

    class Sample(TranslationContext):
        pass

    from PySide6.QtCore import QCoreApplication

    def translate(context, source, disambiguation=None, n=-1):
        asked.append((context, source, n))
        return source

    monkeypatch.setattr(QCoreApplication, "translate", translate)
    assert Sample.tr("%n token(s)", "", 3) == "%n token(s)"
    assert asked == [("Sample", "%n token(s)", 3)]
