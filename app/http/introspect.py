"""POST /v1/introspect: OAuth 2.0 Token Introspection (RFC 7662) for gateways."""

from __future__ import annotations

import time
from collections.abc import Callable

import falcon

from app.errors import DeploymentTokensError, NotFoundError
from app.http.metrics import Metrics, unavailable
from app.http.rate_limits import ALL_FAILURES_LIMIT, LIMIT, RateLimits, retry_after
from app.http.requests import Callers, basic, form_field
from app.names import name_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

INACTIVE = {"active": False}


class Introspect:
    """POST /v1/introspect: OAuth 2.0 Token Introspection (RFC 7662)."""

    def __init__(
        self,
        service: Callable[[], TokenService],
        metrics: Metrics,
        rate_limits: RateLimits,
        callers: Callers,
    ) -> None:
        self._service = service
        self._metrics = metrics
        self._rate_limits = rate_limits
        self._callers = callers

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        started = time.perf_counter()
        outcome = "error"
        try:
            outcome = self._answer(req, resp)
        finally:
            self._metrics.verifications.labels("introspect", outcome).inc()
            self._metrics.latency.labels("introspect").observe(time.perf_counter() - started)

    def _answer(self, req: falcon.Request, resp: falcon.Response) -> str:
        # Credentials first: a client with its right secret is never held up by anyone
        # else's failures; only failing callers are counted, and refused with 429 beyond.
        credentials = basic(req.get_header("Authorization"))
        try:
            service = self._service()
            if credentials is None or not service.authenticate_client(*credentials):
                return self._refuse(req, resp, None if credentials is None else credentials[0])
            token = form_field(req, "token")
            if token is None:
                resp.status = falcon.HTTP_400
                resp.media = {"error": "invalid_request"}
                return "malformed"
            # What the token is, not where it may deploy: its environments are reported.
            verdict = service.check(token, environment_required=False)
            if verdict.project is None or verdict.token_id is None:
                resp.media = INACTIVE
                return verdict.code or "unknown"
            record = service.token_by_id(verdict.token_id)
        except NotFoundError:
            resp.media = INACTIVE  # revoked between the check and the read
            return "revoked"
        except DeploymentTokensError as error:
            return unavailable(resp, self._metrics, error)
        resp.media = {
            "active": True,
            "token_type": "deployment_token",
            "project": record.project,
            "environments": list(record.environments),
            "token_id": record.id,
            "iat": int(record.created_at.timestamp()),
            "exp": None if record.expires_at is None else int(record.expires_at.timestamp()),
        }
        return "active"

    def _refuse(self, req: falcon.Request, resp: falcon.Response, name: str | None) -> str:
        """Count a failed authentication against the client name it claimed, the caller's
        address group and everyone; 429 when over a limit, else 401."""
        counted = [
            (f"introspect from {self._callers.group(req)}", LIMIT),
            ("introspect from anyone", ALL_FAILURES_LIMIT),
        ]
        if name is not None:
            counted.append((f"introspect as {name_key(name.strip())}", LIMIT))
        wait = self._rate_limits.count(counted)
        if wait is not None:
            resp.status = falcon.HTTP_429
            resp.set_header("Retry-After", retry_after(wait))
            resp.media = {"error": "too_many_requests"}
            return "client_throttled"
        resp.status = falcon.HTTP_401
        resp.set_header("WWW-Authenticate", 'Basic realm="deployment-tokens"')
        resp.media = {"error": "invalid_client"}
        return "client_refused"
