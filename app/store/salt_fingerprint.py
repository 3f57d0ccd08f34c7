"""The salt this database's tokens were made with, remembered as a fingerprint.

Changing ``ML_DEPLOYMENT_TOKEN_SALT`` would make every stored token fail verification.
The first generate records an HMAC of a fixed label under the salt (never the salt), and
a client with another salt is refused with a message that says so, instead of making or
rejecting tokens that the rest of the team cannot use.
"""

from __future__ import annotations

from app.store import plain_sql
from app.store.db import on_the_models_database


def check(salt: bytes) -> None:
    """Refuse a salt other than the one this database's tokens were made with.

    Raises ConfigurationError, which never quotes the salt. Runs on the database the
    models are bound to: the one salt check (``app.store.plain_sql.check_salt``) that the
    plain-SQL verifier and issuer make too. A new token records the first salt ever
    used, in the same transaction (``app.store.plain_sql.remember_salt``).
    """
    plain_sql.check_salt(*on_the_models_database(), salt)
