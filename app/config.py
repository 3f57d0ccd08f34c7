"""Settings that come from the environment: the token salt and the database URL."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from app.errors import ConfigurationError

__all__ = [
    "DATABASE_URL_ENV",
    "MIN_SALT_LENGTH",
    "SALT_CHANGED",
    "SALT_ENV",
    "SMTP_URL_ENV",
    "TOKEN_ENV",
    "ConfigurationError",
    "database_url",
    "default_database_path",
    "default_database_url",
    "load_salt",
    "salt_problem",
    "smtp_url",
]

SALT_ENV = "ML_DEPLOYMENT_TOKEN_SALT"
DATABASE_URL_ENV = "ML_DEPLOYMENT_DATABASE_URL"
TOKEN_ENV = "ML_DEPLOYMENT_TOKEN"  # noqa: S105 (a variable name, not a secret)
# Where notify sends e-mail (app.notifications.smtp reads it): smtp:// or smtps://.
SMTP_URL_ENV = "ML_DEPLOYMENT_SMTP_URL"
MIN_SALT_LENGTH = 32
# "About 128 bits" by _estimated_bits, which underestimates: 32 random hex digits (128
# bits) score 97-135 in a million draws.
MIN_SALT_BITS = 90
APP_NAME = "deployment-tokens"
DATABASE_FILE_NAME = "deployment-tokens.db"

_HOW_TO_SET_SALT = (
    f"set {SALT_ENV} to a random secret of at least {MIN_SALT_LENGTH} characters, for example "
    "the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
)


SALT_CHANGED = (
    f"the salt changed: {SALT_ENV} is not the salt this database's tokens were made with, "
    "so existing tokens will not verify. Set it back to the original value (the database "
    "keeps a fingerprint of it, never the salt itself)"
)


def salt_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Say what is wrong with the configured salt, or None when it is usable.

    The message never contains the salt or any part of it.
    """
    env = os.environ if environ is None else environ
    value = env.get(SALT_ENV, "")
    if not value.strip():
        return f"{SALT_ENV} is not configured: {_HOW_TO_SET_SALT}."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Bytes that are not UTF-8 reach os.environ as lone surrogates.
        return f"{SALT_ENV} is not valid UTF-8 text: {_HOW_TO_SET_SALT}."
    # Strength, not length: spaces and invisible characters add nothing an attacker
    # has to guess.
    visible = [c for c in value if c.isprintable() and not c.isspace()]
    if len(visible) < MIN_SALT_LENGTH:
        return (
            f"{SALT_ENV} is too short ({len(visible)} visible characters, not counting "
            f"spaces or invisible ones; at least {MIN_SALT_LENGTH} are needed): "
            f"{_HOW_TO_SET_SALT}."
        )
    if _estimated_bits(visible) < MIN_SALT_BITS:
        return (
            f"{SALT_ENV} is too predictable (it repeats too few different characters to "
            f"hold about 128 bits): {_HOW_TO_SET_SALT}."
        )
    return None


def _estimated_bits(characters: list[str]) -> float:
    """A simple estimate of the secret's strength: the Shannon entropy of its characters'
    frequencies (with the Miller-Madow correction for a short sample) times its length.

    It cannot tell a random secret from a well-mixed phrase, but it catches repetition:
    "x" * 40 scores 0 and "abab…" about 33, while 32 random hex digits (128 bits) score
    about 125 and secrets.token_urlsafe(48) about 350.
    """
    import math
    from collections import Counter

    count = len(characters)
    frequencies = Counter(characters).values()
    entropy = -sum(n / count * math.log2(n / count) for n in frequencies)
    correction = (len(frequencies) - 1) / (2 * count * math.log(2))
    return count * (entropy + correction)


def load_salt(environ: Mapping[str, str] | None = None) -> bytes:
    """Return the salt as the HMAC key (UTF-8), or raise ConfigurationError.

    Read from the environment on every call (it may change), but checked and encoded
    only when it did: verify calls this once per token.
    """
    global _last_salt
    env = os.environ if environ is None else environ
    value = env.get(SALT_ENV)
    if value is not None and value == _last_salt[0]:
        return _last_salt[1]
    problem = salt_problem(environ)
    if problem is not None:
        raise ConfigurationError(problem)
    salt = env[SALT_ENV].encode("utf-8")
    _last_salt = (value, salt)
    return salt


# The last salt that passed the checks, as text and as bytes.
_last_salt: tuple[str | None, bytes] = (None, b"")


def default_database_path() -> Path:
    """The SQLite file in the user's data directory, by the platform's convention."""
    # Imported here so that commands given an explicit URL never pay for it.
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / DATABASE_FILE_NAME


def default_database_url() -> str:
    return "sqlite:///" + str(default_database_path())


def database_url(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The database URL to use: the explicit one, else the environment's, else the default."""
    env = os.environ if environ is None else environ
    for candidate in (explicit, env.get(DATABASE_URL_ENV)):
        if candidate is not None and candidate.strip():
            return candidate.strip()
    return default_database_url()


def smtp_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The SMTP server notify sends e-mail through, as a URL; None when none is set.

    Read on every call, like the salt; app.notifications.smtp parses it (and never
    quotes its password).
    """
    env = os.environ if environ is None else environ
    value = env.get(SMTP_URL_ENV, "").strip()
    return value or None


def current_user() -> str:
    """The operating-system user, recorded as who created or revoked a token."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        # A container user with no passwd entry and no LOGNAME: the uid still identifies it.
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
