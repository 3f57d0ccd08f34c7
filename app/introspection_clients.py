"""The callers the verification service lets ask about tokens: introspection clients.

A client authenticates with HTTP Basic (its name and a secret printed once). The secret is
kept only as an HMAC digest under the salt, like a token's, and compared in constant time.
"""

from __future__ import annotations

import hmac

from app import config, tokens
from app.models import IntrospectionClient
from app.names import name_key
from app.secret_holders import HolderRecord, SecretHolders

# A client is a secret holder; the name stays for the API's readers.
ClientRecord = HolderRecord
NOUN = "introspection client"

# Compared with when the client name is unknown, so that an unknown name costs the same
# HMAC and comparison as a wrong secret.
_NO_DIGEST = "0" * 64


class IntrospectionClients(SecretHolders):
    """Add, list, revoke and authenticate introspection clients."""

    def add_client(self, name: str) -> tuple[ClientRecord, str]:
        """Store a new client and return it with its secret, once, after the commit."""
        return self._add_holder(IntrospectionClient, NOUN, tokens.CLIENT_SECRET_PREFIX, name)

    def list_clients(self) -> list[ClientRecord]:
        return self._list_holders(IntrospectionClient)

    def revoke_client(self, name: str) -> ClientRecord:
        """Delete the client: its secret stops working at once."""
        return self._revoke_holder(IntrospectionClient, NOUN, name)

    def authenticate_client(self, name: str, secret: str) -> bool:
        """Whether ``secret`` is the named client's, in time that does not say which
        part was wrong."""
        salt = config.load_salt(self._environ)
        presented = tokens.digest(secret, salt)
        with self.storage.guard:
            client = IntrospectionClient.get_or_none(
                IntrospectionClient.name_key == name_key(name.strip())
            )
        stored = _NO_DIGEST if client is None else client.digest
        return hmac.compare_digest(stored, presented) and client is not None
