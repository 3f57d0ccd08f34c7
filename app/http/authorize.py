"""GET /v1/authorize: may this token deploy this project (and environment)?"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote

import falcon

from app.errors import DeploymentTokensError, ValidationError
from app.http.metrics import Metrics, unavailable
from app.http.requests import bearer, unauthorized

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

# Refusals that mean "this token is no good" (401), and "good, but not here" (403).
UNAUTHORIZED_CODES = frozenset({"malformed", "unknown", "expired", "revoked"})
FORBIDDEN_CODES = frozenset({"wrong_project", "wrong_environment"})
# What a name keeps unencoded in a response header: printable ASCII but "%".
_NAME_SAFE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "%")


class Authorize:
    """GET /v1/authorize, for nginx auth_request and Traefik ForwardAuth.

    Names travel percent-encoded (UTF-8), both ways: a header is ASCII, a name need not
    be; a literal "%" is "%25", a comma "%2C". The 204 gives back what was checked, as
    stored: the project, the environment when one was named, and the environments the
    token is limited to (comma-separated; empty: every one of the project's).
    """

    # A comma separates the names of a list, and is how a WSGI server joins repeated
    # headers: in a name it is encoded, in every header alike.
    _SAFE = _NAME_SAFE.replace(",", "")

    def __init__(self, service: Callable[[], TokenService], metrics: Metrics) -> None:
        self._service = service
        self._metrics = metrics

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        started = time.perf_counter()
        outcome = "error"
        try:
            outcome = self._answer(req, resp)
        finally:
            self._metrics.verifications.labels("authorize", outcome).inc()
            self._metrics.latency.labels("authorize").observe(time.perf_counter() - started)

    def _answer(self, req: falcon.Request, resp: falcon.Response) -> str:
        token = bearer(req.get_header("Authorization"))
        if token is None:
            unauthorized(resp)
            return "missing"
        project = self._name(req, "X-Deployment-Project")
        if not project or not project.strip():
            raise falcon.HTTPBadRequest(title="the X-Deployment-Project header is missing")
        environment = self._name(req, "X-Deployment-Environment")
        try:
            verdict = self._service().check(token, project, environment or None)
        except ValidationError as error:  # a token sent as the project, say: never echoed
            raise falcon.HTTPBadRequest(title=str(error)) from None
        except DeploymentTokensError as error:
            return unavailable(resp, self._metrics, error)
        if verdict.project is not None:
            resp.status = falcon.HTTP_204
            # Header values are ASCII; a name may not be (percent-encoded then).
            resp.set_header("X-Deployment-Project", quote(verdict.project, safe=self._SAFE))
            resp.set_header("X-Deployment-Token-Id", str(verdict.token_id))
            if verdict.environment is not None:
                checked = quote(verdict.environment, safe=self._SAFE)
                resp.set_header("X-Deployment-Environment", checked)
            limited_to = (quote(name, safe=self._SAFE) for name in verdict.environments)
            resp.set_header("X-Deployment-Environments", ",".join(limited_to))
            return "allowed"
        code = verdict.code or "unknown"
        if code in FORBIDDEN_CODES:
            resp.status = falcon.HTTP_403
            resp.text = f"{verdict.reason}\n"
        else:
            unauthorized(resp)
        return code

    @staticmethod
    def _name(req: falcon.Request, header: str) -> str | None:
        """The name ``header`` carries, percent-decoded; 400 for what cannot be one name."""
        value = req.get_header(header)
        # WSGI servers join repeated headers with a comma: which one would a gateway
        # have checked, and which one would its deployer read?
        if value is None or ("," not in value and "%" not in value):
            return value
        if "," in value:
            raise falcon.HTTPBadRequest(title=f"send one {header} header (a comma is %2C)")
        from urllib.parse import unquote  # urllib.parse is loaded (quote): a dict look-up

        try:
            name = unquote(value, errors="strict")
        except UnicodeDecodeError:
            raise falcon.HTTPBadRequest(
                title=f"the {header} header is not percent-encoded UTF-8"
            ) from None
        if any(c < " " or "\x7f" <= c <= "\x9f" for c in name):
            raise falcon.HTTPBadRequest(title=f"the {header} header holds a control character")
        return name
