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


def check(salt: bytes, *, remember: bool) -> None:
    """Refuse a salt other than the one this database's tokens were made with.

    With ``remember`` (inside a write transaction), the first salt ever used is
    recorded. Raises ConfigurationError, which never quotes the salt. Runs on the
    database the models are bound to.
    """
    fingerprint = tokens.salt_fingerprint(salt)
    state = ControlState.get_or_none(_THE_ROW)
    stored = None if state is None else state.salt_fingerprint
    if stored is None:
        if not remember:
            return
        claimed = (
            ControlState.update(salt_fingerprint=fingerprint)
            .where(_THE_ROW & ControlState.salt_fingerprint.is_null())
            .execute()
        )
        if claimed:
            return
        # Another client recorded its salt first (PostgreSQL re-reads the row once
        # that client commits): ours must match it.
        stored = ControlState.select(ControlState.salt_fingerprint).where(_THE_ROW).scalar()
        if stored is None:
            return
    if not hmac.compare_digest(stored, fingerprint):
        raise ConfigurationError(config.SALT_CHANGED)
