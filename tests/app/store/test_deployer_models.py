"""The stored side of trusted deployers (``app/store/deployer_models.py``), on each
backend: one (issuer, jti) at most, and the server's functions only on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.errors import ConflictError
from app.store.deployer_models import (
    DEPLOYER_MODELS,
    EXCHANGED_SUBJECT_TABLE,
    TRUSTED_DEPLOYER_TABLE,
    ExchangedSubject,
    on_the_server,
)
from app.store.models import ALL_MODELS


def test_the_tables_are_their_own():
    names = {model._meta.table_name for model in DEPLOYER_MODELS}
    assert names == {TRUSTED_DEPLOYER_TABLE, EXCHANGED_SUBJECT_TABLE}
    assert not names & {model._meta.table_name for model in ALL_MODELS}


def test_an_issuers_jti_is_held_once(service):
    moment = datetime(2030, 1, 1)
    with service.storage.guard:
        ExchangedSubject.create(issuer="https://a.example", jti="1", expires_at=moment)
        ExchangedSubject.create(issuer="https://b.example", jti="1", expires_at=moment)
    with pytest.raises(ConflictError), service.storage.guard:
        ExchangedSubject.create(issuer="https://a.example", jti="1", expires_at=moment)


def test_the_servers_functions_are_postgresqls(service, backend):
    with service.storage.guard:
        answer = on_the_server("dt_delete_deployer", 1)
    assert answer is (None if backend == "sqlite" else False)
