"""The names people give projects and tokens: trimmed, bounded, and read as stored."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import tokens
from app.errors import ValidationError
from app.names import NAME_MAX_LENGTH, clean_name, confusable_with, name_key


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


@pytest.mark.parametrize(
    "invisible",
    [
        "w\u200beb",  # zero-width space
        "w\u200deb",  # zero-width joiner
        "w\u200ceb",  # zero-width non-joiner
        "\ufeffweb",  # byte order mark
        "w\u2060eb",  # word joiner
        "web\U000e0041",  # a tag character
        "w\u00adeb",  # soft hyphen
        "\u3164",  # Hangul filler: a blank "letter"
        "\u2800",  # Braille blank
        "w\u180eeb",  # Mongolian vowel separator
        "we\ue000b",  # private use
    ],
)
def test_invisible_characters_are_refused(invisible):
    with pytest.raises(ValidationError, match="invisible characters") as refused:
        clean_name(invisible, "project name")
    assert "U+" in str(refused.value)  # which one, since it cannot be seen


@pytest.mark.parametrize(
    "selector",
    [
        "\ufe0f",  # emoji presentation: "web\ufe0f" printed as "web"
        "\ufe00",
        "\u180b",  # Mongolian free variation selectors, also marks
        "\u180f",
        "\U000e0100",  # the variation selectors supplement
        "\U000e01ef",
    ],
)
def test_a_variation_selector_after_a_letter_is_refused_naming_it(selector):
    with pytest.raises(ValidationError, match="invisible characters") as refused:
        clean_name(f"web{selector}", "project name")
    assert f"(it has U+{ord(selector):04X})" in str(refused.value)


# Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt).
DEFAULT_IGNORABLE = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
]  # fmt: skip


def test_every_default_ignorable_code_point_is_refused_and_named():
    for first, last in DEFAULT_IGNORABLE:
        for code in range(first, last + 1):
            with pytest.raises(ValidationError) as refused:
                clean_name(f"we{chr(code)}b", "token name")
            assert f"U+{code:04X}" in str(refused.value), f"U+{code:04X}"


@pytest.mark.parametrize("lone", ["\u0301web", "web \u0301x", "\u20dd"])
def test_a_combining_mark_on_no_letter_is_refused(lone):
    with pytest.raises(ValidationError, match="on no letter"):
        clean_name(lone, "token name")


@pytest.mark.parametrize(
    ("mixed", "scripts"),
    [("w\u0435b", "Cyrillic and Latin"), ("\u03b1-release", "Greek and Latin")],
)
def test_names_that_mix_confusable_scripts_are_refused(mixed, scripts):
    with pytest.raises(ValidationError, match=f"mixes {scripts} letters"):
        clean_name(mixed, "project name")


@pytest.mark.parametrize(
    "fine",
    [
        "Straße",
        "café",
        "cafe\u0301",  # the accent as a combining mark, on its letter
        "проект",  # Cyrillic alone
        "Ελληνικά",
        "API 移行プロジェクト",  # Latin, Han and Katakana, as Japanese is written
        "배포 API",
        "web-prod 2 ✓",
    ],
)
def test_names_in_one_script_or_as_cjk_mixes_them_are_accepted(fine):
    assert clean_name(fine, "project name") == fine


def test_a_token_is_never_a_name_and_the_refusal_does_not_quote_it():
    token = tokens.new_token()
    for value in (token, f"deploy {token}", f"  {token}  "):
        with pytest.raises(ValidationError, match="holds a deployment token") as refused:
            clean_name(value, "token name")
        assert token not in str(refused.value)
        assert token[5:15] not in str(refused.value)


@pytest.mark.parametrize(
    ("prefix", "kind"),
    [
        (tokens.CLIENT_SECRET_PREFIX, "an introspection client's secret"),
        (tokens.REVOCATION_KEY_PREFIX, "a revocation key"),
        (tokens.WEBHOOK_SECRET_PREFIX, "a webhook's signing secret"),
    ],
)
def test_our_other_secrets_are_never_names_and_the_refusal_does_not_quote_them(prefix, kind):
    secret = tokens.new_client_secret(prefix)  # as `clients add` and `revocation-keys add`
    for value in (secret, f"deploy {secret}", f"  {secret}\n"):
        with pytest.raises(ValidationError, match="which is never a name") as refused:
            clean_name(value, "project name")
        message = str(refused.value)
        assert message.startswith(f"the project name holds {kind}")
        quoted = secret in message or secret[5:15] in message or secret[-10:] in message
        assert not quoted


def test_token_shaped_text_with_a_wrong_checksum_is_an_ordinary_name():
    token = tokens.new_token()
    mistyped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert clean_name(mistyped, "token name") == mistyped


def test_whole_script_look_alikes_are_found_among_existing_names():
    cyrillic = "\u0441\u0435\u043e"  # all Cyrillic, reads as "ceo"
    assert confusable_with(cyrillic, ["api", "CEO"]) == "CEO"
    assert confusable_with("ceo", ["api", "web"]) is None


@given(st.text(max_size=NAME_MAX_LENGTH))
def test_an_accepted_name_never_hides_a_character_or_a_token(typed):
    try:
        name = clean_name(typed, "project name")
    except ValidationError:
        return
    assert not tokens.contains_token(name)
    assert tokens.secret_kind(name) is None
    for character in name:
        assert not any(first <= ord(character) <= last for first, last in DEFAULT_IGNORABLE)
        assert unicodedata.category(character) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def test_the_issuer_finds_projects_and_environments_by_the_rules_of_names():
    # The name-key rules and not-found messages are app.names'; the issuer uses those.
    from app import issuing, names

    for rule in (
        "project_key",
        "environment_key",
        "no_such_project",
        "no_such_token",
        "no_such_environment",
    ):
        assert getattr(issuing, rule) is getattr(names, rule)
    assert names.project_key(" WEB ") == names.name_key("web")
    assert str(names.no_such_project(" web ")) == "there is no project named 'web'"
