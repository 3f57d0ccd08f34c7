"""The service's Prometheus metrics, and the answer when the database cannot verify."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import falcon
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from app.errors import DeploymentTokensError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

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
    """GET /metrics: the workers' counters, and the tokens about to expire, read from the
    database at each scrape (once, by the worker that answers: a gauge of the data, not
    of a process)."""

    def __init__(self, metrics: Metrics, service: Callable[[], TokenService] | None = None) -> None:
        self._metrics = metrics
        self._service = service

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = CONTENT_TYPE_LATEST
        expiring = b""
        if self._service is not None:  # first: a database error is counted in this scrape
            registry = CollectorRegistry()
            registry.register(ExpiringTokens(self._service, self._metrics))
            expiring = generate_latest(registry)
        resp.data = generate_latest(self._metrics.exposition) + expiring


class ExpiringTokens(Collector):
    """``deployment_tokens_expiring_tokens{project, within_days}``: live tokens that
    expire within 1, 7 and 30 days, so Prometheus can alert before a pipeline breaks.
    Absent when the database cannot answer (``deployment_tokens_database_errors`` moves)."""

    WINDOWS = ("1", "7", "30")

    def __init__(self, service: Callable[[], TokenService], metrics: Metrics) -> None:
        self._service = service
        self._metrics = metrics

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            counts = self._service().expiry_counts()
        except DeploymentTokensError as error:
            self._metrics.database_errors.inc()
            log.warning("cannot count the tokens about to expire: %s", error)
            return
        gauge = GaugeMetricFamily(
            "deployment_tokens_expiring_tokens",
            "Live tokens that expire within the number of days (cumulative), by project",
            labels=["project", "within_days"],
        )
        for project, by_window in sorted(counts.items()):
            for window, count in zip(self.WINDOWS, by_window, strict=True):
                gauge.add_metric([project, window], count)
        yield gauge


def unavailable(resp: falcon.Response, metrics: Metrics, error: Exception) -> str:
    metrics.database_errors.inc()
    # The reason names the database, never a token: the service's messages never do.
    log.warning("cannot verify: %s", error)
    resp.status = falcon.HTTP_503
    resp.set_header("Retry-After", "5")
    resp.text = "the token database cannot answer; try again shortly\n"
    return "unavailable"
