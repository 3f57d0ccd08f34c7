"""POST /v1/exchange: a CI job's OIDC ID token for a short-lived deployment token."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import parse_qs

import falcon

from app.errors import DeploymentTokensError, ValidationError
from app.http.metrics import Metrics, unavailable
from app.http.rate_limits import ALL_FAILURES_LIMIT, LIMIT, RateLimits, retry_after
from app.http.requests import MAX_BODY_BYTES, Callers, read_body

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

FORM = "application/x-www-form-urlencoded"


class Exchange:
    """POST /v1/exchange with form fields ``subject_token`` (the JWT) and ``project``.

    200 with the token (``Cache-Control: no-store``: it is a credential); 401 for an ID
    token that is not genuine, current and unspent; 403 when no binding of the project
    matches it; 503 when its issuer's keys cannot be had, or the database cannot answer.
    Failures are counted like failed logins (``rate_limits``): over the limit, 429.
    """

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
            self._metrics.verifications.labels("exchange", outcome).inc()
            self._metrics.latency.labels("exchange").observe(time.perf_counter() - started)

    def _answer(self, req: falcon.Request, resp: falcon.Response) -> str:
        from app.oidc.discovery import IssuerUnavailableError
        from app.oidc.validation import TokenRefusedError
        from app.use_cases.deployers import NoDeployerMatchesError

        fields = _form(req)
        subject_token, project = fields.get("subject_token"), fields.get("project")
        if not subject_token or not project or not project.strip():
            return _error(resp, falcon.HTTP_400, "invalid_request", _MISSING, "malformed")
        try:
            exchanged = self._service().exchange(subject_token, project)
        except TokenRefusedError as error:
            return self._refuse(req, resp, falcon.HTTP_401, "invalid_token", str(error))
        except NoDeployerMatchesError as error:
            return self._refuse(req, resp, falcon.HTTP_403, "access_denied", str(error))
        except IssuerUnavailableError as error:
            return _error(
                resp, falcon.HTTP_503, "temporarily_unavailable", str(error), "issuer_unavailable"
            )
        except ValidationError as error:  # a project name no project can have
            return _error(resp, falcon.HTTP_400, "invalid_request", str(error), "malformed")
        except DeploymentTokensError as error:
            return unavailable(resp, self._metrics, error)
        resp.set_header("Cache-Control", "no-store")
        resp.media = {
            "access_token": exchanged.access_token,
            "token_type": "deployment_token",
            "expires_in": exchanged.expires_in,
            "project": exchanged.project,
            "environments": list(exchanged.environments),
        }
        return "exchanged"

    def _refuse(
        self, req: falcon.Request, resp: falcon.Response, status: str, error: str, reason: str
    ) -> str:
        """Count a failed exchange against the caller's address group and everyone; 429
        when over a limit, else ``status``."""
        wait = self._rate_limits.count(
            [
                (f"exchange from {self._callers.group(req)}", LIMIT),
                ("exchange from anyone", ALL_FAILURES_LIMIT),
            ]
        )
        if wait is not None:
            resp.set_header("Retry-After", retry_after(wait))
            return _error(resp, falcon.HTTP_429, "too_many_requests", reason, "throttled")
        outcome = "refused" if status == falcon.HTTP_401 else "no_match"
        return _error(resp, status, error, reason, outcome)


_MISSING = "send the form fields subject_token (the CI job's ID token) and project"


def _form(req: falcon.Request) -> dict[str, str]:
    """The form's fields that were sent once each (a field sent twice is left out)."""
    if (req.content_type or "").split(";")[0].strip() != FORM:
        return {}
    body = read_body(req, MAX_BODY_BYTES)
    if body is None:
        return {}
    try:
        fields = parse_qs(body.decode("ascii"))
    except UnicodeDecodeError:
        return {}
    return {name: values[0] for name, values in fields.items() if len(values) == 1}


def _error(resp: falcon.Response, status: str, error: str, description: str, outcome: str) -> str:
    resp.status = status
    resp.set_header("Cache-Control", "no-store")
    resp.media = {"error": error, "error_description": description}
    return outcome
