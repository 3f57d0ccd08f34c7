"""The service's Prometheus metrics, and the 503 when the database cannot verify."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import falcon
from falcon import testing
from prometheus_client import CollectorRegistry, Counter

from app import open_service, tokens
from app.errors import StorageError
from app.http.application import create_app
from app.http.metrics import Metrics, unavailable
from app.lifecycle import Expiry
from app.service import TokenService
from tests.support.endpoints import authorize


def test_metrics_count_verifications_by_outcome(client, web):
    _, plaintext = web.generate("web")
    authorize(client, plaintext)
    authorize(client, tokens.new_token())
    text = client.simulate_get("/metrics").text
    assert (
        'deployment_tokens_verifications_total{endpoint="authorize",outcome="allowed"} 1.0' in text
    )
    assert (
        'deployment_tokens_verifications_total{endpoint="authorize",outcome="unknown"} 1.0' in text
    )
    assert "deployment_tokens_verification_seconds_bucket" in text
    assert plaintext not in text


def test_a_database_that_cannot_verify_is_a_503_to_retry_and_is_counted(caplog):
    metrics = Metrics()
    resp = falcon.Response()
    error = StorageError("the database at /srv/tokens.db is gone")
    assert unavailable(resp, metrics, error) == "unavailable"
    assert resp.status == falcon.HTTP_503
    assert resp.get_header("Retry-After") == "5"
    assert resp.text == "the token database cannot answer; try again shortly\n"
    assert metrics.database_errors._value.get() == 1
    assert "cannot verify: the database at /srv/tokens.db is gone" in caplog.text


def _no_database() -> TokenService:
    raise StorageError("the database at /srv/tokens.db is gone")


def test_metrics_shows_the_registry_of_every_worker_when_given_one():
    every_worker = CollectorRegistry()
    Counter("summed_from_the_workers", "a metric", registry=every_worker).inc(3)
    client = testing.TestClient(create_app(_no_database, Metrics(every_worker)))
    answer = client.simulate_get("/metrics")
    assert answer.headers["Content-Type"].startswith("text/plain; version=")
    assert "summed_from_the_workers_total 3.0" in answer.text
    assert "deployment_tokens_verifications" not in answer.text  # this worker's own


def test_metrics_count_live_tokens_about_to_expire_by_project(database_url):
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    with open_service(database_url, clock=lambda: now) as service:
        service.add_project("web")
        service.add_project("api")
        service.add_project("quiet")
        for lifetime in (timedelta(hours=12), timedelta(days=5), timedelta(days=20),
                         timedelta(days=90)):  # fmt: skip
            service.generate("web", expiry=Expiry.after(lifetime))
        service.generate("api", expiry=Expiry.after(timedelta(days=6)))
        soon, _ = service.generate("api", expiry=Expiry.after(timedelta(hours=1)))
        service.revoke("api", soon.id)  # revoked: not live
        rotated, _ = service.generate("api", expiry=Expiry.after(timedelta(days=10)))
        service.rotate("api", rotated.id, grace=timedelta(hours=2))  # the old one is leaving
        client = testing.TestClient(create_app(lambda: service))
        text = client.simulate_get("/metrics").text
    gauges = {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("deployment_tokens_expiring_tokens{")
    }
    assert gauges == {
        'deployment_tokens_expiring_tokens{project="api",within_days="1"}': 0.0,
        'deployment_tokens_expiring_tokens{project="api",within_days="7"}': 1.0,
        'deployment_tokens_expiring_tokens{project="api",within_days="30"}': 2.0,
        'deployment_tokens_expiring_tokens{project="web",within_days="1"}': 1.0,
        'deployment_tokens_expiring_tokens{project="web",within_days="7"}': 2.0,
        'deployment_tokens_expiring_tokens{project="web",within_days="30"}': 3.0,
    }
    assert "# TYPE deployment_tokens_expiring_tokens gauge" in text


def test_without_the_database_the_gauge_is_left_out_and_the_error_counted(caplog):
    metrics = Metrics()
    client = testing.TestClient(create_app(_no_database, metrics))
    answer = client.simulate_get("/metrics")
    assert answer.status == falcon.HTTP_200
    assert "deployment_tokens_expiring_tokens{" not in answer.text
    assert "deployment_tokens_database_errors_total 1.0" in answer.text
    assert "cannot count the tokens about to expire" in caplog.text
