"""Named holders of a secret that is kept only as a digest: the verification service's
introspection clients and the keys of GitLab's Token Revocation API.

Each is added with a secret printed once (stored as an HMAC digest under the salt, like a
token's), listed by name, and revoked by name; they differ only in how they authenticate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from app import config, db, tokens
from app.errors import ConflictError, NotFoundError
from app.models import IntrospectionClient, RevocationKey
from app.names import clean_name, name_key, refuse_token, storable
from app.orm import peewee
from app.use_cases import UseCases, aware, changed

log = logging.getLogger(__name__)

Holder = type[IntrospectionClient] | type[RevocationKey]


@dataclass(frozen=True, slots=True)
class HolderRecord:
    id: int
    name: str
    created_at: datetime
    created_by: str


class SecretHolders(UseCases):
    """Adding, listing and revoking holders of one ``model``; ``noun`` names them in
    messages ("introspection client")."""

    def _add_holder(
        self, model: Holder, noun: str, prefix: str, name: str
    ) -> tuple[HolderRecord, str]:
        """Store a new holder; return it with its secret, once, after the commit."""
        clean = clean_name(name, f"{noun.split()[-1]} name")
        salt = config.load_salt(self._environ)
        secret = tokens.new_client_secret(prefix)
        article = "an" if noun[0] in "aeiou" else "a"
        taken = ConflictError(f"{article} {noun} named '{clean}' already exists")
        with self.storage.guard, db.write_transaction(self._database):
            if model.get_or_none(model.name_key == name_key(clean)):
                raise taken
            try:
                holder = model.create(
                    name=clean,
                    name_key=name_key(clean),
                    digest=tokens.digest(secret, salt),
                    created_at=self._now(),
                    created_by=self.actor,
                )
            except peewee.IntegrityError:
                raise taken from None
            changed()
        log.info("added %s %r", noun, clean)
        return holder_record(holder), secret

    def _stored_digest(self, model: Holder, condition: peewee.Expression) -> str | None:
        """The digest of the holder that meets ``condition``, or None: one query, the
        same work found or not (no DoesNotExist raised and caught)."""
        with self.storage.guard:
            found = model.select(model.digest).where(condition).scalar()
        return None if found is None else str(found)

    def _list_holders(self, model: Holder) -> list[HolderRecord]:
        with self.storage.guard:
            return [holder_record(h) for h in model.select().order_by(model.name_key)]

    def _revoke_holder(self, model: Holder, noun: str, name: str) -> HolderRecord:
        """Delete the holder: its secret stops working at once."""
        refuse_token(str(name), f"{noun.split()[-1]} name")
        wanted = name_key(str(name).strip())
        with self.storage.guard, db.write_transaction(self._database):
            holder = model.get_or_none(model.name_key == wanted) if storable(wanted) else None
            if holder is None:
                raise NotFoundError(f"there is no {noun} named '{name}'")
            record = holder_record(holder)
            holder.delete_instance()
            changed()
        log.info("revoked %s %r", noun, record.name)
        return record


def holder_record(holder: IntrospectionClient | RevocationKey) -> HolderRecord:
    return HolderRecord(holder.id, holder.name, aware(holder.created_at), holder.created_by)
