"""Named holders of a secret that is kept only as a digest: the verification service's
introspection clients and the keys of GitLab's Token Revocation API.

Each is added with a secret printed once (stored as an HMAC digest under the salt, like a
token's), listed by name, and revoked by name; they differ only in how they authenticate.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import datetime

from app import tokens
from app.errors import ConflictError, NotFoundError
from app.names import clean_name, name_key, refuse_token, storable
from app.store.models import IntrospectionClient, RevocationKey
from app.store.orm import peewee
from app.use_cases import lookups
from app.use_cases.context import Context, changed
from app.use_cases.lookups import aware

log = logging.getLogger(__name__)

Holder = type[IntrospectionClient] | type[RevocationKey]

# Compared with when a client name is unknown, so that an unknown name costs the same
# HMAC, lookup and comparison as a wrong secret.
_NO_DIGEST = "0" * 64
# What is digested in place of a secret that is not ASCII (no secret we issue is), so
# that one costs the same too.
_NOT_A_SECRET = "-"  # noqa: S105 (a stand-in, not a secret)


@dataclass(frozen=True, slots=True)
class HolderRecord:
    id: int
    name: str
    created_at: datetime
    created_by: str


class SecretHolders:
    """Adding, listing and revoking the holders kept in one model."""

    # Set by each kind: its table, what messages call one, its secrets' prefix.
    model: Holder
    noun: str
    prefix: str

    def __init__(self, context: Context) -> None:
        self._context = context

    def add(self, name: str) -> tuple[HolderRecord, str]:
        """Store a new holder; return it with its secret, once, after the commit."""
        model, noun = self.model, self.noun
        clean = clean_name(name, f"{noun.split()[-1]} name")
        salt = self._context.salt()
        secret = tokens.new_client_secret(self.prefix)
        article = "an" if noun[0] in "aeiou" else "a"
        taken = ConflictError(f"{article} {noun} named '{clean}' already exists")
        with self._context.writing():
            # The holders answer for every project: theirs to manage who administers all.
            self._context.require("admin")
            if model.get_or_none(model.name_key == name_key(clean)):
                raise taken
            try:
                holder = model.create(
                    name=clean,
                    name_key=name_key(clean),
                    digest=tokens.digest(secret, salt),
                    created_at=self._context.stored_now(),
                    created_by=self._context.actor,
                )
            except peewee.IntegrityError:
                raise taken from None
            changed()
        log.info("added %s %r", noun, clean)
        return holder_record(holder), secret

    def list_all(self) -> list[HolderRecord]:
        """Every holder, by name ignoring case."""
        model = self.model
        with self._context.reading():
            return [holder_record(h) for h in model.select().order_by(model.name_key)]

    def revoke(self, name: str) -> HolderRecord:
        """Delete the holder: its secret stops working at once."""
        model, noun = self.model, self.noun
        refuse_token(str(name), f"{noun.split()[-1]} name")
        wanted = name_key(str(name).strip())
        with self._context.writing():
            self._context.require("admin")
            holder = model.get_or_none(model.name_key == wanted) if storable(wanted) else None
            if holder is None:
                raise NotFoundError(f"there is no {noun} named '{name}'")
            record = holder_record(holder)
            table = model._meta.table_name
            if lookups.deleted_on_the_server("delete_holder", table, holder.id) is None:
                holder.delete_instance()
            changed()
        log.info("revoked %s %r", noun, record.name)
        return record


class IntrospectionClients(SecretHolders):
    """The callers the verification service lets ask about tokens. A client
    authenticates with HTTP Basic: its name and its secret."""

    model = IntrospectionClient
    noun = "introspection client"
    prefix = tokens.CLIENT_SECRET_PREFIX

    def authenticate(self, name: str, secret: str) -> bool:
        """Whether ``secret`` is the named client's, in time that does not say which
        part was wrong: the same digest, query and comparison whether the name is known
        or not (a lookup that raises and catches DoesNotExist costs a second compilation
        of the query, about 0.1 ms)."""
        salt = self._context.salt()
        ascii_secret = secret.isascii()
        presented = tokens.digest(secret if ascii_secret else _NOT_A_SECRET, salt)
        # PostgreSQL cannot hold a NUL in text at all (the query would fail as if the
        # database were down): such a name is no client's, asked as the empty name,
        # which none has, so the work stays the same.
        key = name_key(name.strip()) if "\x00" not in name else ""
        with self._context.reading():
            found = (
                IntrospectionClient.select(IntrospectionClient.digest)
                .where(IntrospectionClient.name_key == key)
                .scalar()
            )
        stored = None if found is None else str(found)
        matched = hmac.compare_digest(_NO_DIGEST if stored is None else stored, presented)
        return matched and stored is not None and ascii_secret


class RevocationKeys(SecretHolders):
    """The keys GitLab's Token Revocation API calls authenticate with: one pre-shared
    key in the Authorization header of each call, looked up by its digest."""

    model = RevocationKey
    noun = "revocation key"
    prefix = tokens.REVOCATION_KEY_PREFIX

    def authenticate(self, secret: str) -> HolderRecord | None:
        """The key ``secret`` is, or None."""
        if not secret.isascii():
            return None
        presented = tokens.digest(secret, self._context.salt())
        with self._context.reading():
            # first(), not get_or_none(): an unknown key raises no DoesNotExist, whose
            # message compiles the query a second time.
            key = RevocationKey.select().where(RevocationKey.digest == presented).first()
        if key is None or not hmac.compare_digest(key.digest, presented):
            return None
        return holder_record(key)


def holder_record(holder: IntrospectionClient | RevocationKey) -> HolderRecord:
    return HolderRecord(holder.id, holder.name, aware(holder.created_at), holder.created_by)
