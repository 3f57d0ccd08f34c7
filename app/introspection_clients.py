"""The callers the verification service lets ask about tokens: introspection clients.

A client authenticates with HTTP Basic (its name and a secret printed once). The secret is
kept only as an HMAC digest under the salt, like a token's, and compared in constant time.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import datetime

from app import config, db, tokens
from app.errors import ConflictError, NotFoundError
from app.models import IntrospectionClient
from app.names import clean_name, name_key, refuse_token, storable
from app.orm import peewee
from app.use_cases import UseCases, aware, changed

log = logging.getLogger(__name__)

# Compared with when the client name is unknown, so that an unknown name costs the same
# HMAC and comparison as a wrong secret.
_NO_DIGEST = "0" * 64


@dataclass(frozen=True, slots=True)
class ClientRecord:
    id: int
    name: str
    created_at: datetime
    created_by: str


class IntrospectionClients(UseCases):
    """Add, list, revoke and authenticate introspection clients."""

    def add_client(self, name: str) -> tuple[ClientRecord, str]:
        """Store a new client and return it with its secret, once, after the commit."""
        clean = clean_name(name, "client name")
        salt = config.load_salt(self._environ)
        secret = tokens.new_client_secret()
        with self.storage.guard, db.write_transaction(self._database):
            if IntrospectionClient.get_or_none(IntrospectionClient.name_key == name_key(clean)):
                raise ConflictError(f"an introspection client named '{clean}' already exists")
            try:
                client = IntrospectionClient.create(
                    name=clean,
                    name_key=name_key(clean),
                    digest=tokens.digest(secret, salt),
                    created_at=self._now(),
                    created_by=self.actor,
                )
            except peewee.IntegrityError:
                raise ConflictError(
                    f"an introspection client named '{clean}' already exists"
                ) from None
            changed()
        log.info("added introspection client %r", clean)
        return _record(client), secret

    def list_clients(self) -> list[ClientRecord]:
        with self.storage.guard:
            query = IntrospectionClient.select().order_by(IntrospectionClient.name_key)
            return [_record(client) for client in query]

    def revoke_client(self, name: str) -> ClientRecord:
        """Delete the client: its secret stops working at once."""
        refuse_token(str(name), "client name")
        key = name_key(str(name).strip())
        with self.storage.guard, db.write_transaction(self._database):
            client = (
                IntrospectionClient.get_or_none(IntrospectionClient.name_key == key)
                if storable(key)
                else None
            )
            if client is None:
                raise NotFoundError(f"there is no introspection client named '{name}'")
            record = _record(client)
            client.delete_instance()
            changed()
        log.info("revoked introspection client %r", record.name)
        return record

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


def _record(client: IntrospectionClient) -> ClientRecord:
    return ClientRecord(client.id, client.name, aware(client.created_at), client.created_by)
