"""GET /healthz and GET /readyz: what a load balancer is told, and what the log says."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from falcon import testing

from app import config
from app.errors import StorageError
from app.http.application import create_app
from app.store.storage import VERIFY_FILE_RECHECK_SECONDS


def test_readiness_says_why_when_the_salt_is_not_the_databases(client, web, monkeypatch):
    web.generate("web")  # the first generate records the salt's fingerprint
    assert client.simulate_get("/readyz").status_code == 200
    monkeypatch.setenv(config.SALT_ENV, "another-salt-entirely-0123456789-abcdefghijk")
    result = client.simulate_get("/readyz")
    assert result.status_code == 503
    assert "salt" in result.text
    assert "another-salt" not in result.text


@pytest.mark.only_backend("sqlite")
def test_readiness_says_what_is_wrong_and_logs_where(client, web, database_path, caplog):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database_path}{suffix}").unlink(missing_ok=True)
    time.sleep(VERIFY_FILE_RECHECK_SECONDS * 1.5)  # the file is looked at that often
    result = client.simulate_get("/readyz")
    assert result.status_code == 503
    assert result.text == "not ready: the database cannot answer\n"
    warned = [r for r in caplog.records if r.levelname == "WARNING"]
    assert any(str(database_path) in r.getMessage() for r in warned)


def test_liveness_asks_nothing_of_the_database():
    def no_service():
        raise AssertionError("/healthz opened the service")

    answer = testing.TestClient(create_app(no_service)).simulate_get("/healthz")
    assert (answer.status_code, answer.text) == (200, "ok\n")


def test_readiness_is_200_once_the_database_answers_with_the_salt_it_knows(client, web):
    web.generate("web")
    answer = client.simulate_get("/readyz")
    assert (answer.status_code, answer.text) == (200, "ready\n")


def test_a_database_that_cannot_be_opened_is_not_ready_and_the_log_says_why(caplog):
    def unreachable():
        raise StorageError("cannot connect to db.internal:5432")

    answer = testing.TestClient(create_app(unreachable)).simulate_get("/readyz")
    assert (answer.status_code, answer.text) == (503, "not ready: the database cannot answer\n")
    assert "db.internal" not in answer.text
    assert "not ready: cannot connect to db.internal:5432" in caplog.text
