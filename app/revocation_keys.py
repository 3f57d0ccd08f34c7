"""The keys GitLab's Token Revocation API calls authenticate with.

GitLab sends one pre-shared key in the Authorization header of each call. The key is
printed once when it is added and kept only as an HMAC digest under the salt, like a
token's; a key is looked up by that digest and compared in constant time.
"""

from __future__ import annotations

import hmac

from app import config, tokens
from app.models import RevocationKey
from app.secret_holders import HolderRecord, SecretHolders, holder_record

KEY_PREFIX = "mldr_"
RevocationKeyRecord = HolderRecord
NOUN = "revocation key"


class RevocationKeys(SecretHolders):
    """Add, list, revoke and check the keys of the Token Revocation API."""

    def add_revocation_key(self, name: str) -> tuple[RevocationKeyRecord, str]:
        """Store a new key and return it with its secret, once, after the commit."""
        return self._add_holder(RevocationKey, NOUN, KEY_PREFIX, name)

    def list_revocation_keys(self) -> list[RevocationKeyRecord]:
        return self._list_holders(RevocationKey)

    def revoke_revocation_key(self, name: str) -> RevocationKeyRecord:
        """Delete the key: calls made with it are refused at once."""
        return self._revoke_holder(RevocationKey, NOUN, name)

    def authenticate_revocation_key(self, secret: str) -> RevocationKeyRecord | None:
        """The key ``secret`` is, or None."""
        if not secret.isascii():
            return None
        presented = tokens.digest(secret, config.load_salt(self._environ))
        with self.storage.guard:
            # first(), not get_or_none(): an unknown key raises no DoesNotExist, whose
            # message compiles the query a second time.
            key = RevocationKey.select().where(RevocationKey.digest == presented).first()
        if key is None or not hmac.compare_digest(key.digest, presented):
            return None
        return holder_record(key)
