"""Pure functions for deployment tokens: generation, checksum, preview and digest.

A token is ``mldt_`` + 43 base62 characters of randomness (256 bits) + 6 base62 characters
of CRC32 checksum over the random part. The checksum lets a verifier reject typos without a
database lookup and lets secret scanners recognise the token; it is not a security control.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import zlib

PREFIX = "mldt_"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
RANDOM_BYTES = 32
RANDOM_LENGTH = 43
CHECKSUM_LENGTH = 6
TOKEN_LENGTH = len(PREFIX) + RANDOM_LENGTH + CHECKSUM_LENGTH
PREVIEW_SUFFIX_LENGTH = 4
PREVIEW_ELLIPSIS = "\u2026"
PATTERN = re.compile(rf"^{PREFIX}[0-9A-Za-z]{{{RANDOM_LENGTH + CHECKSUM_LENGTH}}}$")

_BASE = len(ALPHABET)


def base62_encode(number: int, width: int) -> str:
    """Encode a non-negative integer as big-endian base62, left-padded with '0' to ``width``."""
    if number < 0:
        raise ValueError("base62 encodes non-negative integers only")
    digits = []
    while number:
        number, remainder = divmod(number, _BASE)
        digits.append(ALPHABET[remainder])
    encoded = "".join(reversed(digits)).rjust(width, ALPHABET[0])
    if len(encoded) > width:
        raise ValueError(f"{len(encoded)} base62 digits do not fit in {width}")
    return encoded


def checksum(random_part: str) -> str:
    """The 6-character base62 CRC32 of the random part (ASCII)."""
    return base62_encode(zlib.crc32(random_part.encode("ascii")), CHECKSUM_LENGTH)


def new_token() -> str:
    """A fresh token with 256 bits from the operating system's CSPRNG."""
    # Imported here: the verify path never generates, and secrets pulls in random.
    import secrets

    random_part = base62_encode(
        int.from_bytes(secrets.token_bytes(RANDOM_BYTES), "big"), RANDOM_LENGTH
    )
    return PREFIX + random_part + checksum(random_part)


CLIENT_SECRET_PREFIX = "mldc_"  # noqa: S105 (a prefix, not a secret)
REVOCATION_KEY_PREFIX = "mldr_"
# A webhook's signing secret (app.notifications.webhooks), derived, never stored.
WEBHOOK_SECRET_PREFIX = "mldw_"  # noqa: S105 (a prefix, not a secret)
# Every other secret we issue (new_client_secret), by prefix: what it is, so a message
# can say what was found without quoting it.
SECRET_KINDS = {
    CLIENT_SECRET_PREFIX: "an introspection client's secret",
    REVOCATION_KEY_PREFIX: "a revocation key",
    WEBHOOK_SECRET_PREFIX: "a webhook's signing secret",
}


def new_client_secret(prefix: str = CLIENT_SECRET_PREFIX) -> str:
    """A fresh client secret: 256 bits, base62, ``prefix`` (``mldc_`` for introspection
    clients) in front.

    No checksum: it is not meant for secret scanners' token rules, only for one client.
    """
    import secrets

    random_part = base62_encode(
        int.from_bytes(secrets.token_bytes(RANDOM_BYTES), "big"), RANDOM_LENGTH
    )
    return prefix + random_part


def format_problem(text: str) -> str | None:
    """Say why ``text`` is not a well-formed token, or None when it is one.

    The answer never quotes the text: a near-miss of a real token is still a secret.
    """
    if len(text) == TOKEN_LENGTH and PATTERN.fullmatch(text) is not None:
        random_part, check = _split(text)
        if _decoded(check) == zlib.crc32(random_part.encode("ascii")):
            return None  # The common case, checked first: a well-formed token.
    if len(text) != TOKEN_LENGTH:
        return f"a deployment token is {TOKEN_LENGTH} characters long, this is {len(text)}"
    if not text.isascii():
        return "a deployment token contains only ASCII letters, digits and one underscore"
    if not text.startswith(PREFIX):
        return f"a deployment token starts with {PREFIX}"
    if PATTERN.fullmatch(text) is None:
        return f"a deployment token has only letters and digits after {PREFIX}"
    # Well-formed, so the first test refused it for its checksum. (The checksum is not
    # a secret, anyone can compute it from the token, so a plain comparison is fine;
    # decoding it beats encoding the CRC on verify's hot path.)
    return "the checksum does not match: the token was mistyped or truncated"


_DIGIT_VALUES = {character: value for value, character in enumerate(ALPHABET)}


def _decoded(digits: str) -> int:
    """The value of big-endian base62 ``digits`` (already checked to be base62)."""
    value = 0
    for character in digits:
        value = value * _BASE + _DIGIT_VALUES[character]
    return value


def is_well_formed(text: str) -> bool:
    """True when ``text`` has the token's format and a matching checksum."""
    return format_problem(text) is None


def preview(token: str) -> str:
    """The masked form shown after the reveal: the prefix and the last 4 checksum characters."""
    return PREFIX + PREVIEW_ELLIPSIS + token[-PREVIEW_SUFFIX_LENGTH:]


def digest(token: str, salt: bytes) -> str:
    """HMAC-SHA256 of the token (ASCII) keyed by the salt, as lowercase hex."""
    # The one-shot C path: verify computes this for every token it is shown.
    return hmac.digest(salt, token.encode("ascii"), "sha256").hex()


SALT_FINGERPRINT_LABEL = b"deployment-tokens salt fingerprint v1"


def salt_fingerprint(salt: bytes) -> str:
    """A value that tells salts apart without revealing them: HMAC of a fixed label."""
    return hmac.new(salt, SALT_FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


def _split(token: str) -> tuple[str, str]:
    body = token[len(PREFIX) :]
    return body[:RANDOM_LENGTH], body[RANDOM_LENGTH:]


_TOKEN_LIKE = re.compile(re.escape(PREFIX) + r"\S*")
_EMBEDDED = re.compile(rf"{PREFIX}[0-9A-Za-z]{{{RANDOM_LENGTH + CHECKSUM_LENGTH}}}")


def contains_token(text: str) -> bool:
    """Whether ``text`` holds a well-formed token (a valid checksum) anywhere in it."""
    return any(is_well_formed(found) for found in _EMBEDDED.findall(text))


SECRET_MARK = "mld"  # noqa: S105 (what each prefix above starts with, not a secret)
_EMBEDDED_SECRET = re.compile(
    "(" + "|".join(map(re.escape, SECRET_KINDS)) + f")[0-9A-Za-z]{{{RANDOM_LENGTH}}}"
)


# Any of those prefixes and what follows it up to a space, as _TOKEN_LIKE for tokens.
_SECRET_LIKE = re.compile("(" + "|".join(map(re.escape, SECRET_KINDS)) + r")\S*")


def secret_kind(text: str) -> str | None:
    """What ``text`` holds, anywhere in it, of the secrets other than tokens that we
    issue ("a revocation key"), or None. They have no checksum: any prefix followed by
    43 base62 characters counts."""
    if SECRET_MARK not in text:
        return None  # the common case (verify asks of every name): no regular expression
    found = _EMBEDDED_SECRET.search(text)
    return None if found is None else SECRET_KINDS[found.group(1)]


def redact(text: str) -> str:
    """``text`` with anything that looks like a token, an introspection client's secret
    or a revocation key cut down to its prefix.

    For messages that might, through a bug, carry a secret: errors shown to users and
    tracebacks written to logs.
    """
    text = _TOKEN_LIKE.sub(PREFIX + PREVIEW_ELLIPSIS, text)
    if SECRET_MARK in text:
        text = _SECRET_LIKE.sub(lambda found: found.group(1) + PREVIEW_ELLIPSIS, text)
    return text
