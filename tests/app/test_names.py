"""The names people give projects and tokens: trimmed, bounded, and read as stored."""

from __future__ import annotations

import pytest

from app.errors import ValidationError
from app.names import NAME_MAX_LENGTH, clean_name, name_key


def test_surrounding_white_space_is_trimmed():
    assert clean_name("  web  ", "project name") == "web"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "cannot be empty"),
        ("   ", "cannot be empty"),
        (None, "must be text"),
        ("x" * (NAME_MAX_LENGTH + 1), "at most 100"),
        ("web\tprod", "control characters"),
        ("web\nprod", "control characters"),
        ("web\u202eprod", "control characters"),  # a bidirectional override
        ("web\u2028prod", "control characters"),  # a line separator
    ],
)
def test_names_that_cannot_be_read_as_stored_are_refused(value, message):
    with pytest.raises(ValidationError, match=message) as refused:
        clean_name(value, "project name")
    assert "project name" in str(refused.value)


def test_the_longest_name_is_accepted():
    assert clean_name("x" * NAME_MAX_LENGTH, "token name") == "x" * NAME_MAX_LENGTH


@pytest.mark.parametrize(
    ("one", "other"),
    [("Web", "WEB"), ("Straße", "STRASSE"), ("\uff57\uff45\uff42", "web")],  # full-width
)
def test_names_that_differ_only_by_case_or_width_share_a_key(one, other):
    assert name_key(one) == name_key(other)


def test_different_names_have_different_keys():
    assert name_key("web") != name_key("api")
