"""The salt this database's tokens were made with, remembered as a fingerprint.

Changing ``ML_DEPLOYMENT_TOKEN_SALT`` would make every stored token fail verification.
The first generate records an HMAC of a fixed label under the salt (never the salt), and
a client with another salt is refused with a message that says so, instead of making or
rejecting tokens that the rest of the team cannot use.
"""

from __future__ import annotations

import hmac

from app import config, schema, tokens
from app.errors import ConfigurationError
from app.models import ControlState

_THE_ROW = ControlState.id == schema.CONTROL_STATE_ID


def check(salt: bytes) -> None:
    """Refuse a salt other than the one this database's tokens were made with.

    Raises ConfigurationError, which never quotes the salt. Runs on the database the
    models are bound to. A new token records the first salt ever used, in the same
    transaction (``app.issuing.TokenIssuer.remember_salt``).
    """
    stored = ControlState.select(ControlState.salt_fingerprint).where(_THE_ROW).scalar()
    if stored is not None and not hmac.compare_digest(stored, tokens.salt_fingerprint(salt)):
        raise ConfigurationError(config.SALT_CHANGED)
