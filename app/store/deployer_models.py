"""The stored side of trusted deployers (schema version 11): each project's bindings, and
the subject tokens already exchanged (their issuer and ``jti``, until they expire), so
that one is never exchanged twice, whichever worker or instance of ``serve`` sees it.
Never a JWT: only its unique id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.store.db import database_proxy
from app.store.models import ACTOR_MAX_LENGTH, BaseModel, MonotonicIdField, Project
from app.store.orm import peewee
from app.store.schema import EXCHANGED_SUBJECT_TABLE, TRUSTED_DEPLOYER_TABLE

NAME_MAX_LENGTH = 100
ISSUER_MAX_LENGTH = 255
AUDIENCE_MAX_LENGTH = 255
JTI_MAX_LENGTH = 255
CLAIMS_MAX_LENGTH = 700
ENVIRONMENTS_MAX_LENGTH = 4000


class TrustedDeployer(BaseModel):
    """A binding: CI jobs whose ID token comes from ``issuer``, for ``audience``, with
    ``claims`` exactly, may exchange it for a token of the project."""

    # Never reused: a stale "deployers remove 7" must not remove a newer binding.
    id = MonotonicIdField()
    project = peewee.ForeignKeyField(Project, on_delete="CASCADE")
    # What the exchanged tokens are named.
    name = peewee.CharField(max_length=NAME_MAX_LENGTH)
    issuer = peewee.CharField(max_length=ISSUER_MAX_LENGTH)
    audience = peewee.CharField(max_length=AUDIENCE_MAX_LENGTH)
    # JSON, keys sorted (app.oidc.bindings.stored_claims): what the audit trail records.
    claims = peewee.CharField(max_length=CLAIMS_MAX_LENGTH)
    # A JSON list of the project's environment names; empty: every environment.
    environments = peewee.CharField(max_length=ENVIRONMENTS_MAX_LENGTH)
    lifetime_seconds = peewee.IntegerField()
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField(max_length=ACTOR_MAX_LENGTH)
    last_exchanged_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = TRUSTED_DEPLOYER_TABLE


class ExchangedSubject(BaseModel):
    """A subject token exchanged: its issuer and jti, until it expires (then pruned)."""

    issuer = peewee.CharField(max_length=ISSUER_MAX_LENGTH)
    jti = peewee.CharField(max_length=JTI_MAX_LENGTH)
    expires_at = peewee.DateTimeField(index=True)

    class Meta:
        table_name = EXCHANGED_SUBJECT_TABLE
        indexes = ((("issuer", "jti"), True),)


DEPLOYER_MODELS = (TrustedDeployer, ExchangedSubject)


def on_the_server(function: str, *arguments: int) -> Any | None:
    """On PostgreSQL, ``SELECT function(arguments)`` (each a bigint) through the models'
    connection: version 11's functions. None on SQLite, where the caller works on the
    models itself."""
    database = database_proxy.obj
    if database is None or isinstance(database, peewee.SqliteDatabase):
        return None
    call = getattr(peewee.fn, function)(*(peewee.Cast(value, "bigint") for value in arguments))
    return peewee.Select(columns=[call]).bind(database).scalar()


def exchange_on_the_server(
    deployer: int,
    matched: str,
    jti: str,
    jti_expires: datetime,
    token: tuple[str, str],
    fingerprint: str,
) -> tuple[str, int | None, list[str] | None]:
    """PostgreSQL's ``dt_exchange`` (``deployers_v11.sql``) in the caller's transaction:
    (outcome, token id, environments). ``token`` is the new token's (digest, preview)."""
    digest, preview = token
    call = peewee.fn.dt_exchange(
        peewee.Cast(deployer, "bigint"),
        matched,
        jti,
        peewee.Cast(jti_expires, "timestamp"),
        digest,
        preview,
        fingerprint,
    )
    columns = [peewee.SQL("outcome"), peewee.SQL("token_id"), peewee.SQL("environments")]
    query = peewee.Select(from_list=[call], columns=columns).bind(database_proxy.obj)
    outcome, token_id, environments = query.tuples().get()
    return str(outcome), token_id, environments
