"""A plugin for Yelp's detect-secrets that finds deployment tokens, checksum and all.

    detect-secrets scan --plugin PATH_OF_THIS_FILE > .secrets.baseline

Self-contained (the standard library and detect-secrets only), so it can be copied into
a repository's hooks. A token is "mldt_" + 43 base62 characters + a 6-character base62
CRC32 of those 43; a string with a wrong checksum (mistyped, truncated, made up) is not
reported.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Generator

from detect_secrets.plugins.base import RegexBasedDetector

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_RANDOM_LENGTH = 43
_CHECKSUM_LENGTH = 6
# A token is not part of a longer word ("xmldt_..."), but a terminal escape sequence may
# end right before it: CI logs print it in colour, ESC "[32m" + token + ESC "[0m", and the
# "m" ending the escape is no letter of the text. Control sequences (ESC "[" ... a final
# byte) and the short ones (ESC, intermediate bytes, a final byte); the others end with a
# byte that no token continues.
_ESCAPE = r"\x1b(?:\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|[\x20-\x2f]*[\x30-\x7e])"
_TOKEN = re.compile(
    rf"(?:{_ESCAPE}|(?<![0-9A-Za-z_]))"
    r"(?P<token>mldt_(?P<random>[0-9A-Za-z]{43})(?P<checksum>[0-9A-Za-z]{6}))(?![0-9A-Za-z])"
)


def checksum_matches(random_part: str, checksum: str) -> bool:
    """Whether ``checksum`` is the base62 CRC32 of ``random_part``."""
    value = 0
    for character in checksum:
        value = value * len(_ALPHABET) + _ALPHABET.index(character)
    return value == zlib.crc32(random_part.encode("ascii"))


class DeploymentTokenDetector(RegexBasedDetector):
    """Scans for deployment tokens (mldt_…) whose checksum is valid."""

    secret_type = "Deployment Tokens token"  # noqa: S105 (a name, not a secret)
    denylist = (_TOKEN,)

    def analyze_string(self, string: str) -> Generator[str, None, None]:
        for match in _TOKEN.finditer(string):
            if checksum_matches(match.group("random"), match.group("checksum")):
                yield match.group("token")
