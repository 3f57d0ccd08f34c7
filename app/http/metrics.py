"""The service's Prometheus metrics, and the answer when the database cannot verify."""

from __future__ import annotations

import logging

import falcon
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

log = logging.getLogger(__name__)


class Metrics:
    """The service's Prometheus metrics.

    They are recorded in a registry of their own; /metrics reads ``exposition``, which
    with several workers is a registry that sums every worker's files instead.
    """

    def __init__(self, exposition: CollectorRegistry | None = None) -> None:
        self.registry = CollectorRegistry()
        self.exposition = exposition if exposition is not None else self.registry
        self.verifications = Counter(
            "deployment_tokens_verifications",
            "Verifications answered, by endpoint and outcome",
            ["endpoint", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "deployment_tokens_verification_seconds",
            "Time to answer a verification, database included",
            ["endpoint"],
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
            registry=self.registry,
        )
        self.database_errors = Counter(
            "deployment_tokens_database_errors",
            "Requests the database could not answer",
            registry=self.registry,
        )


class MetricsEndpoint:
    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = CONTENT_TYPE_LATEST
        resp.data = generate_latest(self._metrics.exposition)


def unavailable(resp: falcon.Response, metrics: Metrics, error: Exception) -> str:
    metrics.database_errors.inc()
    # The reason names the database, never a token: the service's messages never do.
    log.warning("cannot verify: %s", error)
    resp.status = falcon.HTTP_503
    resp.set_header("Retry-After", "5")
    resp.text = "the token database cannot answer; try again shortly\n"
    return "unavailable"
