"""The token format of DESIGN.md, line by line, checked against independent arithmetic."""

from __future__ import annotations

import hashlib
import hmac
import re
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import tokens

TOKEN_RE = re.compile(r"^mldt_[0-9A-Za-z]{49}$")
ALPHABET = "0123456789" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz"


def reference_base62(number: int, width: int) -> str:
    """Big-endian base62 by repeated powers, written independently of the product."""
    digits = []
    for power in reversed(range(width)):
        digit, number = divmod(number, 62**power)
        digits.append(ALPHABET[digit])
    assert number == 0
    return "".join(digits)


def fixed_token(monkeypatch: pytest.MonkeyPatch, random_bytes: bytes) -> str:
    import secrets

    monkeypatch.setattr(secrets, "token_bytes", lambda n: random_bytes[:n])
    return tokens.new_token()


def test_new_token_has_the_documented_shape():
    token = tokens.new_token()
    assert len(token) == 54
    assert TOKEN_RE.match(token)


def test_tokens_do_not_repeat():
    assert len({tokens.new_token() for _ in range(2000)}) == 2000


def test_alphabet_is_digits_then_upper_then_lower():
    assert tokens.ALPHABET == ALPHABET
    assert [tokens.base62_encode(i, 1) for i in range(62)] == list(ALPHABET)


def test_base62_is_big_endian_and_left_padded():
    assert tokens.base62_encode(62, 3) == "010"
    assert tokens.base62_encode(62 * 62 + 61, 4) == "010z"
    assert tokens.base62_encode(0, 6) == "000000"


def test_base62_refuses_what_does_not_fit():
    with pytest.raises(ValueError, match="do not fit"):
        tokens.base62_encode(62**3, 3)
    with pytest.raises(ValueError, match="non-negative"):
        tokens.base62_encode(-1, 3)


@pytest.mark.parametrize("fill", [b"\x00", b"\xff", b"\x5a"])
def test_random_part_encodes_32_bytes_and_checksum_is_crc32(monkeypatch, fill):
    random_bytes = fill * 32
    token = fixed_token(monkeypatch, random_bytes)
    expected_random = reference_base62(int.from_bytes(random_bytes, "big"), 43)
    expected_checksum = reference_base62(zlib.crc32(expected_random.encode()), 6)
    assert token == "mldt_" + expected_random + expected_checksum


def test_all_zero_randomness_is_left_padded_with_zeros(monkeypatch):
    token = fixed_token(monkeypatch, bytes(32))
    assert token[5:48] == "0" * 43


def test_largest_random_value_fits_43_characters():
    encoded = tokens.base62_encode(2**256 - 1, 43)
    assert len(encoded) == 43
    assert encoded[0] != "0"


@given(st.binary(min_size=32, max_size=32))
def test_every_random_value_makes_a_well_formed_token(random_bytes):
    random_part = tokens.base62_encode(int.from_bytes(random_bytes, "big"), 43)
    token = "mldt_" + random_part + tokens.checksum(random_part)
    assert TOKEN_RE.match(token)
    assert tokens.is_well_formed(token)


def test_preview_shows_prefix_and_last_four_characters_only():
    token = tokens.new_token()
    preview = tokens.preview(token)
    assert preview.startswith("mldt_")
    assert preview.endswith(token[-4:])
    assert preview == "mldt_\u2026" + token[-4:]
    # None of the 43 random characters: what is left after the prefix is the ellipsis and
    # four checksum characters, which come after the random part.
    assert preview[len("mldt_\u2026") :] == token[48 + 2 :]


def test_digest_is_hmac_sha256_of_the_token_keyed_by_the_salt():
    token = tokens.new_token()
    salt = "a-salt-that-is-long-enough-for-the-rule-123"
    expected = hmac.new(salt.encode("utf-8"), token.encode("ascii"), hashlib.sha256).hexdigest()
    assert tokens.digest(token, salt.encode("utf-8")) == expected
    assert re.fullmatch(r"[0-9a-f]{64}", expected)


def test_digest_depends_on_the_salt():
    token = tokens.new_token()
    assert tokens.digest(token, b"x" * 32) != tokens.digest(token, b"y" * 32)


def test_a_mistyped_token_fails_the_checksum():
    token = tokens.new_token()
    position = 20
    replacement = "A" if token[position] != "A" else "B"
    typo = token[:position] + replacement + token[position + 1 :]
    assert tokens.format_problem(typo) == (
        "the checksum does not match: the token was mistyped or truncated"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "54 characters long, this is 0"),
        ("mldt_abc", "54 characters long, this is 8"),
        ("xxxx_" + "0" * 49, "starts with mldt_"),
        ("mldt_" + "0" * 48 + "-", "only letters and digits"),
        ("mldt_" + "é" * 49, "only ASCII"),
    ],
)
def test_malformed_text_is_refused_with_a_reason(text, problem):
    reason = tokens.format_problem(text)
    assert reason is not None
    assert problem in reason


def test_reasons_never_quote_the_text():
    token = tokens.new_token()
    typo = token[:-1] + ("0" if token[-1] != "0" else "1")
    reason = tokens.format_problem(typo) or ""
    assert token[5:15] not in reason


def test_redact_cuts_every_secret_we_issue_to_its_prefix():
    client_secret = tokens.new_client_secret(tokens.CLIENT_SECRET_PREFIX)
    revocation_key = tokens.new_client_secret(tokens.REVOCATION_KEY_PREFIX)
    text = f"a {tokens.new_token()}, {client_secret} and {revocation_key}.txt"
    assert tokens.redact(text) == "a mldt_… mldc_… and mldr_…"
    webhook_secret = tokens.new_client_secret(tokens.WEBHOOK_SECRET_PREFIX)
    assert tokens.redact(f"signed with {webhook_secret}") == "signed with mldw_…"
