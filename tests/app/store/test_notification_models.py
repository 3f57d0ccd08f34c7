"""The notification tables (schema version 10) as the database keeps them: one warning
per (token, threshold), ids never reused, and rows that go with their token, project or
target (both backends)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.errors import ConflictError, StorageError
from app.lifecycle import Expiry
from app.store.notification_models import ExpiryWarning, NotificationDelivery, on_the_server

NOW = datetime(2026, 1, 5, 9, 0)


@pytest.fixture
def token(service):
    service.add_project("web")
    record, _ = service.generate("web", "ci", expiry=Expiry.after(timedelta(days=3)))
    return record


def warn(service, token_id, days):
    with service.context.writing():
        project = service.list_projects()[0].id
        return ExpiryWarning.create(
            project=project, token=token_id, threshold_days=days, warned=True, recorded_at=NOW
        )


def test_a_token_and_threshold_are_recorded_once(service, token):
    warn(service, token.id, 7)
    warn(service, token.id, 30)
    with pytest.raises((ConflictError, StorageError)):
        warn(service, token.id, 7)


def test_warning_ids_are_never_reused(service, token, store):
    first = warn(service, token.id, 7).id
    service.revoke("web", token.id)  # the warning goes with the token
    other, _ = service.generate("web", "other", expiry=Expiry.after(timedelta(days=3)))
    assert warn(service, other.id, 7).id > first


def test_a_delivery_goes_with_its_target(service, store):
    service.add_project("web")
    target, _ = service.add_notification("web", "email", "ops@example.com")
    with service.context.writing():
        NotificationDelivery.create(
            target=target.id, attempted_at=NOW, outcome="sent", items=1, detail=""
        )
    assert store.query("SELECT count(*) FROM notification_delivery") == [(1,)]
    service.remove_notification("web", target.id)
    assert store.query("SELECT count(*) FROM notification_delivery") == [(0,)]


def test_the_servers_functions_are_called_on_postgresql_only(service, backend):
    """SQLite has no such functions: the caller works on the models there."""
    with service.context.reading():
        assert on_the_server("abs", -3) == (None if backend == "sqlite" else 3)
