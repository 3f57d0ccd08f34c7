"""Validation of the names people give projects and tokens.

A name decides which token gets revoked, so it must read as it is stored: no control or
invisible characters, no mix of scripts whose letters look alike, and never a token or
another secret we issue (a secret pasted into the wrong field would be stored, listed and
audited in the clear).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from app import tokens
from app.errors import NotFoundError, ValidationError

# Free of peewee, so that verify can match project names without importing the store.
NAME_MAX_LENGTH = 100

# Bidirectional overrides and isolates can make a name read differently from what is
# stored ("Trojan Source"); a name that decides which token gets revoked must not.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Control characters, lone surrogates (unencodable) and line or paragraph separators.
_CONTROL_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
# Format characters (zero-width spaces and joiners, the byte order mark, word joiners,
# tags, the soft hyphen), private-use and unassigned code points: nothing a reader sees.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Co", "Cn"})
# Letters and symbols by category that render as blank space: Hangul fillers, the
# Braille blank, Khmer inherent vowels, the Mongolian vowel separator, the combining
# grapheme joiner.
_BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0")
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt), which renderers
# draw as nothing: most are in the categories above, but the variation selectors are
# marks (Mn), so "web\ufe0f" would pass as "web" with an accent. Ranges, first and last.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Unicode TR 39's "highly restrictive" level: one script, or Latin with the scripts
# that Chinese, Japanese and Korean writing mix by nature.
_SCRIPTS_WRITTEN_TOGETHER = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
_NO_SCRIPT = frozenset({"COMMON", "INHERITED", "Unknown"})


def clean_name(value: object, what: str) -> str:
    """Return ``value`` stripped of surrounding white space, or raise ValidationError.

    ``what`` names the thing in the message, for example "project name".
    """
    if not isinstance(value, str):
        raise ValidationError(f"the {what} must be text")
    refuse_token(value, what)
    name = value.strip()
    if not name:
        raise ValidationError(f"the {what} cannot be empty")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            f"the {what} is {len(name)} characters long; at most {NAME_MAX_LENGTH} are allowed"
        )
    for index, character in enumerate(name):
        category = unicodedata.category(character)
        if character in _BIDI_CONTROLS or category in _CONTROL_CATEGORIES:
            raise ValidationError(
                f"the {what} cannot contain control characters such as tabs or line breaks "
                f"(it has U+{ord(character):04X})"
            )
        if (
            category in _INVISIBLE_CATEGORIES
            or character in _BLANK_LOOKING
            or (character >= "\xad" and default_ignorable(character))
        ):
            raise ValidationError(
                f"the {what} cannot contain invisible characters (it has "
                f"U+{ord(character):04X}): two names would look the same and differ"
            )
        if category[0] == "M" and (index == 0 or name[index - 1].isspace()):
            raise ValidationError(
                f"the {what} has an accent or mark (U+{ord(character):04X}) on no letter"
            )
    mixed = _mixed_scripts(name)
    if mixed:
        raise ValidationError(
            f"the {what} mixes {' and '.join(mixed)} letters, which can look alike; "
            "write it in one script"
        )
    return name


def refuse_token(value: str, what: str) -> None:
    """Raise ValidationError when ``value`` holds a deployment token or another secret we
    issue (an introspection client's secret, a revocation key), without quoting it."""
    if tokens.PREFIX in value and tokens.contains_token(value):
        raise ValidationError(
            f"the {what} holds a deployment token, which is a secret and never a name: "
            "nothing was stored or shown"
        )
    kind = tokens.secret_kind(value)
    if kind is not None:
        raise ValidationError(
            f"the {what} holds {kind}, which is never a name: nothing was stored or shown"
        )


def default_ignorable(character: str) -> bool:
    """Whether ``character`` is a Default_Ignorable_Code_Point: drawn as nothing."""
    code = ord(character)
    if code < 0xAD:
        return False  # ASCII and most of Latin-1: every character of most names
    return any(first <= code <= last for first, last in _DEFAULT_IGNORABLE)


def storable(text: str) -> bool:
    """Whether ``text`` can be stored (and so looked up): bytes that were not UTF-8 reach
    argv as lone surrogates, which no database takes and no stored name holds."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def name_key(name: str) -> str:
    """The form two names share when they differ only by case ("Web" and "WEB")."""
    return unicodedata.normalize("NFKC", name).casefold()


def project_key(project_name: object) -> str | None:
    """The key a project is found by, or None when no stored project can have it.

    Raises ValidationError for an empty name or one that holds a token (never echoed).
    """
    if not isinstance(project_name, str) or not project_name.strip():
        raise ValidationError("the project name cannot be empty")
    refuse_token(project_name, "project name")
    key = name_key(project_name.strip())
    # Bytes that were not UTF-8 (lone surrogates) name no stored project.
    return key if storable(key) else None


def environment_key(name: object) -> str | None:
    """The key an environment is found by within its project, or None when no stored
    environment can have it. Raises ValidationError for a name that holds a token."""
    if isinstance(name, str):
        refuse_token(name, "environment name")
    key = name_key(name.strip()) if isinstance(name, str) else ""
    return key if storable(key) else None


def no_such_project(project_name: str) -> NotFoundError:
    return NotFoundError(f"there is no project named '{project_name.strip()}'")


def no_such_token(project_name: str, token_id: int) -> NotFoundError:
    return NotFoundError(
        f"project '{project_name}' has no token with id {token_id} "
        "(it may have been revoked already)"
    )


def no_such_environment(project: str, environment: object) -> NotFoundError:
    shown = environment.strip() if isinstance(environment, str) else environment
    return NotFoundError(
        f"project '{project}' has no environment '{shown}' (add it with "
        f"'deployment-tokens environments add --project {project} ENV')"
    )


def confusable_with(name: str, others: Iterable[str]) -> str | None:
    """The first of ``others`` that ``name`` could be mistaken for (the same Unicode
    TR 39 skeleton, case and width aside), or None."""
    wanted = _skeleton(name_key(name))
    for other in others:
        if _skeleton(name_key(other)) == wanted:
            return other
    return None


def _mixed_scripts(name: str) -> list[str]:
    """The scripts of ``name``'s letters when TR 39 would not write them together."""
    if name.isascii():
        return []  # Latin letters alone: no tables to load (most names, every script's)
    from confusable_homoglyphs import categories  # loaded when a name needs them

    scripts = {categories.alias(c) for c in name if c.isalpha()} - _NO_SCRIPT
    if len(scripts) <= 1 or any(scripts <= allowed for allowed in _SCRIPTS_WRITTEN_TOGETHER):
        return []
    return sorted(script.title() for script in scripts)


def _skeleton(text: str) -> str:
    """TR 39's skeleton: each character replaced by the prototype it is confusable with."""
    from confusable_homoglyphs import confusables  # a large table: only when needed

    table = confusables.confusables_data
    mapped = []
    for character in unicodedata.normalize("NFD", text):
        entries = table.get(character)
        # The table lists a prototype's look-alikes under it, and a look-alike's one
        # prototype under the look-alike.
        if entries is not None and len(entries) == 1:
            character = entries[0]["c"].replace("\u200e", "")
        mapped.append(character)
    return unicodedata.normalize("NFD", "".join(mapped))
