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
# HMAC, lookup and comparison as a wrong secret.
_NO_DIGEST = "0" * 64
# What is digested in place of a secret that is not ASCII (no secret we issue is), so
# that one costs the same too.
_NOT_A_SECRET = "-"  # noqa: S105 (a stand-in, not a secret)


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
        part was wrong: the same digest, query and comparison whether the name is known
        or not (a lookup that raises and catches DoesNotExist costs a second compilation
        of the query, about 0.1 ms)."""
        salt = config.load_salt(self._environ)
        ascii_secret = secret.isascii()
        presented = tokens.digest(secret if ascii_secret else _NOT_A_SECRET, salt)
        # PostgreSQL cannot hold a NUL in text at all (the query would fail as if the
        # database were down): such a name is no client's, asked as the empty name,
        # which none has, so the work stays the same.
        key = name_key(name.strip()) if "\x00" not in name else ""
        stored = self._stored_digest(IntrospectionClient, IntrospectionClient.name_key == key)
        matched = hmac.compare_digest(_NO_DIGEST if stored is None else stored, presented)
        return matched and stored is not None and ascii_secret
