"""The service's Prometheus metrics, and the 503 when the database cannot verify."""

from __future__ import annotations

import falcon
from falcon import testing
from prometheus_client import CollectorRegistry, Counter

from app import tokens
from app.errors import StorageError
from app.http.application import create_app
from app.http.metrics import Metrics, unavailable
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


def test_metrics_shows_the_registry_of_every_worker_when_given_one():
    every_worker = CollectorRegistry()
    Counter("summed_from_the_workers", "a metric", registry=every_worker).inc(3)
    client = testing.TestClient(create_app(lambda: None, Metrics(every_worker)))
    answer = client.simulate_get("/metrics")
    assert answer.headers["Content-Type"].startswith("text/plain; version=")
    assert "summed_from_the_workers_total 3.0" in answer.text
    assert "deployment_tokens_verifications" not in answer.text  # this worker's own
