"""The keys GitLab's Token Revocation API calls authenticate with.

GitLab sends one pre-shared key in the Authorization header of each call. The key is
printed once when it is added and kept only as an HMAC digest under the salt, like a
token's; a key is looked up by that digest and compared in constant time.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import datetime

from app import config, db, tokens
from app.errors import ConflictError, NotFoundError
from app.models import RevocationKey
from app.names import clean_name, name_key, refuse_token, storable
from app.orm import peewee
from app.use_cases import UseCases, aware, changed

log = logging.getLogger(__name__)

KEY_PREFIX = "mldr_"


@dataclass(frozen=True, slots=True)
class RevocationKeyRecord:
    id: int
    name: str
    created_at: datetime
    created_by: str


class RevocationKeys(UseCases):
    """Add, list, revoke and check the keys of the Token Revocation API."""

    def add_revocation_key(self, name: str) -> tuple[RevocationKeyRecord, str]:
        """Store a new key and return it with its secret, once, after the commit."""
        clean = clean_name(name, "key name")
        salt = config.load_salt(self._environ)
        secret = tokens.new_client_secret(KEY_PREFIX)
        taken = ConflictError(f"a revocation key named '{clean}' already exists")
        with self.storage.guard, db.write_transaction(self._database):
            if RevocationKey.get_or_none(RevocationKey.name_key == name_key(clean)):
                raise taken
            try:
                key = RevocationKey.create(
                    name=clean,
                    name_key=name_key(clean),
                    digest=tokens.digest(secret, salt),
                    created_at=self._now(),
                    created_by=self.actor,
                )
            except peewee.IntegrityError:
                raise taken from None
            changed()
        log.info("added revocation key %r", clean)
        return _record(key), secret

    def list_revocation_keys(self) -> list[RevocationKeyRecord]:
        with self.storage.guard:
            query = RevocationKey.select().order_by(RevocationKey.name_key)
            return [_record(key) for key in query]

    def revoke_revocation_key(self, name: str) -> RevocationKeyRecord:
        """Delete the key: calls made with it are refused at once."""
        refuse_token(str(name), "key name")
        wanted = name_key(str(name).strip())
        with self.storage.guard, db.write_transaction(self._database):
            key = (
                RevocationKey.get_or_none(RevocationKey.name_key == wanted)
                if storable(wanted)
                else None
            )
            if key is None:
                raise NotFoundError(f"there is no revocation key named '{name}'")
            record = _record(key)
            key.delete_instance()
            changed()
        log.info("revoked revocation key %r", record.name)
        return record

    def authenticate_revocation_key(self, secret: str) -> RevocationKeyRecord | None:
        """The key ``secret`` is, or None."""
        if not secret.isascii():
            return None
        presented = tokens.digest(secret, config.load_salt(self._environ))
        with self.storage.guard:
            key = RevocationKey.get_or_none(RevocationKey.digest == presented)
        if key is None or not hmac.compare_digest(key.digest, presented):
            return None
        return _record(key)


def _record(key: RevocationKey) -> RevocationKeyRecord:
    return RevocationKeyRecord(key.id, key.name, aware(key.created_at), key.created_by)
