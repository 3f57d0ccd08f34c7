"""What error messages quote is made safe before it reaches a terminal or a log."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import shown, tokens


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("postgresql://alice:S3cretPW@127.0.0.1:1", "postgresql://alice:***@127.0.0.1:1"),
        ("postgresql://alice:S3cretPW@127.0.0.1:1/", "postgresql://alice:***@127.0.0.1:1/"),
        ("postgresql://alice:S3cretPW@", "postgresql://alice:***@"),
        ("postgresql://alice:p@ss:w0rd@db/x", "postgresql://alice:***@db/x"),
        ("postgresql://alice@db/x", "postgresql://alice@db/x"),  # no password to hide
    ],
)
def test_a_password_in_a_url_is_masked(url, kept):
    message = f'cannot use "{url}": it has no database name'
    assert shown.for_display(message) == f'cannot use "{kept}": it has no database name'


def test_terminal_controls_are_written_as_visible_escapes():
    typed = "x\x1b[2K\r\x1b[32mweb\x1b[0m\x9b\x1b]0;title\x07\u202e\udc9b"
    safe = shown.for_display(f"there is no project named '{typed}'")
    assert safe == (
        "there is no project named 'x\\e[2K\\r\\e[32mweb\\e[0m\\x9b\\e]0;title\\x07\\u202e\\x9b'"
    )
    assert safe.isprintable()


def test_a_token_is_cut_to_its_prefix():
    token = tokens.new_token()
    assert token not in shown.for_display(f"the token does not belong to project '{token}'")


BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@given(st.text())
def test_whatever_is_typed_is_shown_without_terminal_control_or_a_token(typed):
    token = tokens.new_token()
    safe = shown.for_display(f"there is no project named '{typed}{token}'")
    assert token not in safe
    for character in safe:
        assert unicodedata.category(character) not in {"Cc", "Cs", "Zl", "Zp"}
        assert character not in BIDI_CONTROLS
