"""The WSGI application: every endpoint, the request hygiene and the error pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import falcon

from app.http.authorize import Authorize
from app.http.exchange import Exchange
from app.http.health import Health, Ready
from app.http.introspect import Introspect
from app.http.metrics import Metrics, MetricsEndpoint
from app.http.rate_limits import RateLimits, trusted_networks
from app.http.requests import REVOCATION_PATH, Callers, RequestHygiene, internal_error, plain_error
from app.http.revocation import TokenRevocation

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

__all__ = ["Metrics", "create_app"]


def create_app(
    service: Callable[[], TokenService],
    metrics: Metrics | None = None,
    rate_limits: RateLimits | None = None,
    *,
    trusted_proxies: Iterable[str] = (),
) -> falcon.App[falcon.Request, falcon.Response]:
    """The WSGI application. ``service`` returns this process's service (opened lazily,
    so each worker opens its own after the fork). Made before gunicorn forks, so the
    workers share ``rate_limits``. ``trusted_proxies`` (addresses or CIDR networks) are
    the peers whose X-Forwarded-For or X-Real-IP is believed; ValueError for one that is
    neither."""
    metrics = metrics if metrics is not None else Metrics()
    rate_limits = rate_limits if rate_limits is not None else RateLimits()
    callers = Callers(trusted_networks(trusted_proxies))
    app = falcon.App(middleware=[RequestHygiene()])
    app.req_options.auto_parse_form_urlencoded = False
    app.add_route("/v1/authorize", Authorize(service, metrics))
    app.add_route("/v1/introspect", Introspect(service, metrics, rate_limits, callers))
    app.add_route("/v1/exchange", Exchange(service, metrics, rate_limits, callers))
    app.add_route("/healthz", Health())
    app.add_route("/readyz", Ready(service))
    app.add_route("/metrics", MetricsEndpoint(metrics, service))
    revocation = TokenRevocation(service, rate_limits, callers)
    app.add_route("/v1/revocable_token_types", revocation, suffix="types")
    app.add_route(REVOCATION_PATH, revocation, suffix="revoke")
    app.add_error_handler(Exception, internal_error)
    app.set_error_serializer(plain_error)
    return app
