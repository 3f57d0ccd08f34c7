"""Finding what a use case acts on, and building the records handed out.

Functions, not methods: they need nothing but the models bound by ``Context.reading``.
Every use case finds a project, token or environment, and answers "unknown", the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from app import lifecycle
from app.errors import NotFoundError, ValidationError
from app.issuing import check_token_id
from app.names import (
    environment_key,
    no_such_environment,
    no_such_project,
    no_such_token,
    project_key,
)
from app.records import TokenRecord
from app.store import db, schema
from app.store.models import (
    DeploymentToken,
    Environment,
    Project,
    RevokedToken,
    TokenEnvironment,
)
from app.store.plain_sql import POSTGRESQL
from app.store.plain_sql import aware_utc as aware

__all__ = [
    "already_revoked",
    "aware",
    "check_page",
    "check_token_id",
    "clear_token_environments",
    "delete_environment",
    "delete_token",
    "deleted_on_the_server",
    "environment",
    "environment_names",
    "find_environment",
    "policy_of",
    "project",
    "token",
    "token_record",
    "token_records",
]


# Finding things


def project(project_name: str) -> Project:
    """The project of this name (ignoring case); NotFoundError when there is none."""
    key = project_key(project_name)
    found = None if key is None else Project.get_or_none(Project.name_key == key)
    if found is None:
        raise no_such_project(project_name)
    return found


def token(of: Project, token_id: int) -> DeploymentToken:
    """The live token ``token_id`` of the project; NotFoundError when it is not one."""
    check_token_id(token_id)
    found = DeploymentToken.get_or_none(
        (DeploymentToken.id == token_id) & (DeploymentToken.project == of)
    )
    if found is None:
        raise already_revoked(of, token_id)
    return found


def find_environment(of: Project, name: str) -> Environment | None:
    key = environment_key(name)
    if key is None:
        return None
    return Environment.get_or_none((Environment.project == of) & (Environment.name_key == key))


def environment(of: Project, name: str) -> Environment:
    """The project's environment of this name; NotFoundError when it has none."""
    found = find_environment(of, name)
    if found is None:
        raise no_such_environment(of.name, name)
    return found


def policy_of(of: Project) -> lifecycle.TokenPolicy:
    return lifecycle.TokenPolicy.from_hours(
        of.default_lifetime_hours, of.max_lifetime_hours, of.allow_no_expiry
    )


def already_revoked(of: Project, token_id: int) -> NotFoundError:
    return no_such_token(of.name, token_id)


def check_page(offset: object, limit: object) -> None:
    """Refuse a page that no query can ask for: a negative, zero or out-of-range bound."""
    for value, lowest in ((offset, 0), (limit, 1)):
        if value is None and limit is value:
            continue  # no limit: the whole list
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not lowest <= value <= schema.MAX_ID
        ):
            raise ValidationError(
                f"a page needs whole numbers: offset from 0 and limit from 1, up to {schema.MAX_ID}"
            )


# Revoking


def delete_token(found: DeploymentToken, of: Project, now: datetime) -> bool:
    """Delete the token and remember its digest as revoked; False when another client
    deleted it first (PostgreSQL locks rows only as it writes them)."""
    deleted = deleted_on_the_server("delete_token_checked", found.id)
    if deleted is None:
        deleted = DeploymentToken.delete().where(DeploymentToken.id == found.id).execute() == 1
    if not deleted:
        return False
    RevokedToken.create(
        project=of,
        token_id=found.id,
        name=found.name,
        preview=found.preview,
        digest=found.digest,
        revoked_at=now,
    )
    return True


def deleted_on_the_server(statement: str, *parameters: object) -> bool | None:
    """On PostgreSQL, run one of the server's delete functions (``app.store.plain_sql``'s
    ``statement``: no client may DELETE from a table itself) and say whether it deleted;
    None on SQLite, where the caller deletes through the models."""
    execute, dialect = db.on_the_models_database()
    if dialect is not POSTGRESQL:
        return None
    return bool(execute(dialect.sql[statement], parameters).fetchone()[0])


def clear_token_environments(found: DeploymentToken) -> None:
    """Limit the token to no environment (about to be given others)."""
    if deleted_on_the_server("clear_token_environments", found.id) is None:
        TokenEnvironment.delete().where(TokenEnvironment.token == found).execute()


def delete_environment(found: Environment) -> bool:
    deleted = deleted_on_the_server("delete_environment", found.id)
    return bool(found.delete_instance()) if deleted is None else deleted


# Records


def environment_names(token_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The environments each token is limited to, by token id (one query)."""
    ids = list(token_ids)
    if not ids or not TokenEnvironment.select().exists():
        # Most databases limit no token: one indexed look instead of a join.
        return {}
    rows = cast(
        "Iterable[tuple[int, str]]",
        TokenEnvironment.select(TokenEnvironment.token, Environment.name)
        .join(Environment)
        .where(TokenEnvironment.token.in_(ids))
        .order_by(Environment.name_key)
        .tuples(),
    )
    found: dict[int, list[str]] = {}
    for token_id, name in rows:
        found.setdefault(token_id, []).append(name)
    return {token_id: tuple(names) for token_id, names in found.items()}


def token_record(found: DeploymentToken, project_name: str) -> TokenRecord:
    return token_records([found], project_name)[0]


def token_records(found: Iterable[DeploymentToken], project_name: str) -> list[TokenRecord]:
    rows = list(found)
    environments = environment_names(row.id for row in rows)
    return [
        TokenRecord(
            id=row.id,
            project=project_name,
            name=row.name,
            preview=row.preview,
            created_at=aware(row.created_at),
            created_by=row.created_by,
            last_used_at=aware(row.last_used_at) if row.last_used_at else None,
            expires_at=aware(row.expires_at) if row.expires_at else None,
            environments=environments.get(row.id, ()),
            replaced_by=replacement(row.replaced_by),
            deployer_id=row.deployer_id,
            destination_id=row.destination_id,
        )
        for row in rows
    ]


def replacement(replaced_by: int | None) -> int | None:
    """The token that replaced this one, or None: a negative value is a rotation's claim
    while its successor is pushed (``TokenIssuer.start_rotation``), not a replacement:
    the token is still as it was."""
    return replaced_by if replaced_by is not None and replaced_by > 0 else None
