"""Text on its way to a terminal or a log: no token, no password, no terminal control.

Error messages quote what users typed and what drivers said. Before any of it is shown,
anything shaped like a token is cut to its prefix, a password in a database URL is
masked, and control characters (escape sequences, carriage returns, C1 and
bidirectional controls) are written as visible escapes, so a crafted project name cannot
rewrite the line it is printed on.
"""

from __future__ import annotations

import re

from app import tokens

# A URL's user information, from the first colon after the user name to the last "@"
# of the run: passwords may hold an unencoded "@".
_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*):\S*@")
# C0 and C1 controls, DEL, line and paragraph separators, bidirectional controls.
# Lone surrogates too: bytes that were not UTF-8 reach argv as U+DC80-U+DCFF.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\x1b": "\\e"}


def without_password(text: str) -> str:
    """``text`` with the password of any URL in it replaced by ``***``."""
    return _URL_PASSWORD.sub(r"\1:***@", text)


def escaped(text: str) -> str:
    """``text`` with control characters written as visible escapes (``\\e``, ``\\x9b``)."""
    return _CONTROL.sub(_escape, text)


def for_display(text: str) -> str:
    """``text`` safe to print: tokens redacted, passwords masked, controls escaped."""
    return escaped(without_password(tokens.redact(text)))


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    named = _NAMED.get(character)
    if named is not None:
        return named
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the byte that was not UTF-8
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
