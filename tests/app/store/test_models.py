"""The tables (``app/store/models.py``): ids that never come back after a delete, and a
digest that cannot be stored twice."""

from __future__ import annotations

import peewee
import pytest

from app import tokens
from app.store import models
from app.store.models import MonotonicIdField

MONOTONIC = [
    model
    for model in vars(models).values()
    if isinstance(model, type)
    and issubclass(model, models.BaseModel)
    and isinstance(model._meta.primary_key, MonotonicIdField)
]


def test_every_table_a_user_names_rows_of_by_id_has_monotonic_ids():
    named = {model.__name__ for model in MONOTONIC}
    assert {"Project", "DeploymentToken", "Environment", "AuditEvent"} <= named
    assert {"IntrospectionClient", "RevocationKey", "RevokedToken"} <= named


@pytest.mark.only_backend("sqlite")
def test_on_sqlite_each_monotonic_id_is_autoincrement(service, store):
    created = dict(store.query("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    for model in MONOTONIC:
        assert "AUTOINCREMENT" in created[model._meta.table_name], model.__name__


def test_a_revoked_token_s_id_is_never_given_again(service):
    service.add_project("web")
    first, _ = service.generate("web")
    newest, _ = service.generate("web")
    service.revoke("web", newest.id)  # the largest id: SQLite would hand it out again
    again, _ = service.generate("web")
    assert again.id > newest.id > first.id


def test_a_deleted_project_s_id_is_never_given_again(service):
    service.add_project("web")
    gone = service.add_project("api")
    service.delete_project("api")
    assert service.add_project("api").id > gone.id


def test_the_same_digest_cannot_be_stored_twice(service, salt):
    service.add_project("web")
    _, plaintext = service.generate("web")
    database = service.storage.database
    placeholder = database.param
    with pytest.raises(peewee.IntegrityError):
        database.execute_sql(
            "INSERT INTO deployment_token (project_id, name, digest, preview, created_at, "
            f"created_by) VALUES (1, 'copy', {placeholder}, 'p', '2026-01-01', 'x')",
            (tokens.digest(plaintext, salt),),
        )
