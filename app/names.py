"""Validation of the names people give projects and tokens."""

from __future__ import annotations

import unicodedata

from app.errors import ValidationError

# Free of peewee, so that verify can match project names without importing the store.
NAME_MAX_LENGTH = 100

# Bidirectional overrides and isolates can make a name read differently from what is
# stored ("Trojan Source"); a name that decides which token gets revoked must not.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Control characters, lone surrogates (unencodable) and line or paragraph separators.
_REJECTED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def clean_name(value: object, what: str) -> str:
    """Return ``value`` stripped of surrounding white space, or raise ValidationError.

    ``what`` names the thing in the message, for example "project name".
    """
    if not isinstance(value, str):
        raise ValidationError(f"the {what} must be text")
    name = value.strip()
    if not name:
        raise ValidationError(f"the {what} cannot be empty")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            f"the {what} is {len(name)} characters long; at most {NAME_MAX_LENGTH} are allowed"
        )
    for character in name:
        if character in _BIDI_CONTROLS or unicodedata.category(character) in _REJECTED_CATEGORIES:
            raise ValidationError(
                f"the {what} cannot contain control characters such as tabs or line breaks"
            )
    return name


def name_key(name: str) -> str:
    """The form two names share when they differ only by case ("Web" and "WEB")."""
    return unicodedata.normalize("NFKC", name).casefold()
