"""The verification service's HTTP face (Falcon, WSGI): authorize, introspect, health,
readiness and metrics, over the same ``TokenService`` as the command line.

Fail closed: when the database cannot answer, every verification is 503, never 401 or
"inactive", so a gateway never tells a pipeline its token is bad when the server is. No
token, secret or Authorization header is ever logged or echoed.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote

import falcon
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from app import tokens
from app.errors import DeploymentTokensError, NotFoundError, ValidationError
from app.failed_logins import (
    ALL_FAILURES_LIMIT,
    LIMIT,
    Network,
    RateLimits,
    address_group,
    retry_after,
    trusted_networks,
)
from app.names import name_key

if TYPE_CHECKING:
    from app.service import TokenService

log = logging.getLogger(__name__)

# A verification request carries a token and a project name: a few hundred bytes.
MAX_BODY_BYTES = 8 * 1024
# A revocation batch from GitLab: a few hundred findings at most.
MAX_REVOCATION_BODY_BYTES = 512 * 1024
# GitLab's secret detection names a finding's type from the rule that found it: the
# gitleaks rule this project ships (docs/scanners/gitleaks.toml) is "Deployment Tokens token".
REVOCABLE_TOKEN_TYPE = "gitleaks_rule_id_deployment_tokens_token"  # noqa: S105 (a name)
# Calls to the Token Revocation API per key and minute ("be rate-limited", GitLab asks),
# for the whole serve (every worker).
REVOCATION_CALLS_PER_MINUTE = 60
# Refusals that mean "this token is no good" (401), and "good, but not here" (403).
UNAUTHORIZED_CODES = frozenset({"malformed", "unknown", "expired", "revoked"})
FORBIDDEN_CODES = frozenset({"wrong_project", "wrong_environment"})
INACTIVE = {"active": False}
# What a project name keeps unencoded in a response header: printable ASCII but "%".
_NAME_SAFE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "%")


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
    callers = _Callers(trusted_networks(trusted_proxies))
    app = falcon.App(middleware=[_RequestHygiene()])
    app.req_options.auto_parse_form_urlencoded = False
    app.add_route("/v1/authorize", _Authorize(service, metrics))
    app.add_route("/v1/introspect", _Introspect(service, metrics, rate_limits, callers))
    app.add_route("/healthz", _Health())
    app.add_route("/readyz", _Ready(service))
    app.add_route("/metrics", _Metrics(metrics))
    revocation = _TokenRevocation(service, rate_limits, callers)
    app.add_route("/v1/revocable_token_types", revocation, suffix="types")
    app.add_route("/v1/revoke_tokens", revocation, suffix="revoke")
    app.add_error_handler(Exception, _internal_error)
    app.set_error_serializer(_plain_error)
    return app


class _Callers:
    """Who a request comes from, for counting its failures: the direct peer, or, when
    the peer is a trusted proxy, the address that proxy says it serves."""

    def __init__(self, trusted: Sequence[Network]) -> None:
        self._trusted = trusted

    def group(self, req: falcon.Request) -> str:
        """The address group (address_group) the request's caller is counted under."""
        return address_group(self.address(req))

    def address(self, req: falcon.Request) -> str:
        peer = req.remote_addr or "unknown"
        if not self._trusted or not self._is_trusted(_ip(peer)):
            return peer
        forwarded = req.get_header("X-Forwarded-For")
        if forwarded:
            # Each proxy appends the address it saw: from the right, the first address
            # that is not a trusted proxy's is the one no caller could have written.
            for hop in reversed(forwarded.split(",")):
                address = _ip(hop)
                if address is None:
                    return peer
                if not self._is_trusted(address):
                    return str(address)
            return peer
        real = _ip(req.get_header("X-Real-IP") or "")
        return peer if real is None else str(real)

    def _is_trusted(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        if address is None:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self._trusted)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in ``text`` ("192.0.2.1", "2001:db8::1", "[2001:db8::1]:443",
    "192.0.2.1:443"), or None."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class _RequestHygiene:
    """Refuse what no gateway or pipeline sends, before anything reads it: a large body,
    header values that are not ASCII, a second Authorization header."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        limit = MAX_REVOCATION_BODY_BYTES if req.path == "/v1/revoke_tokens" else MAX_BODY_BYTES
        if (req.content_length or 0) > limit:
            raise falcon.HTTPBadRequest(title="the request body is too large")
        for name, value in req.headers.items():
            if not value.isascii():
                raise falcon.HTTPBadRequest(title=f"the {name.title()} header is not ASCII")
        # WSGI servers join repeated headers with a comma; a token never has one.
        if "," in (req.get_header("Authorization") or ""):
            raise falcon.HTTPBadRequest(title="send one Authorization header")


class _Authorize:
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
        token = _bearer(req.get_header("Authorization"))
        if token is None:
            _unauthorized(resp)
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
            return _unavailable(resp, self._metrics, error)
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
            _unauthorized(resp)
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


class _Introspect:
    """POST /v1/introspect: OAuth 2.0 Token Introspection (RFC 7662)."""

    def __init__(
        self,
        service: Callable[[], TokenService],
        metrics: Metrics,
        rate_limits: RateLimits,
        callers: _Callers,
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
        credentials = _basic(req.get_header("Authorization"))
        try:
            service = self._service()
            if credentials is None or not service.authenticate_client(*credentials):
                return self._refuse(req, resp, None if credentials is None else credentials[0])
            token = _form_field(req, "token")
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
            return _unavailable(resp, self._metrics, error)
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


class _TokenRevocation:
    """GitLab's Token Revocation API: GET /v1/revocable_token_types and POST
    /v1/revoke_tokens, authenticated with a revocation key in the Authorization header
    (``Bearer KEY`` or the bare key, as GitLab sends its pre-shared token).

    Idempotent: a token revoked before is reported "already revoked" and the call still
    succeeds. Calls are limited per key; calls with a wrong key are counted per address
    group and for everyone, as for introspection clients, and never hold up the right key.
    """

    def __init__(
        self,
        service: Callable[[], TokenService],
        rate_limits: RateLimits,
        callers: _Callers,
    ) -> None:
        self._service = service
        self._rate_limits = rate_limits
        self._callers = callers

    def on_get_types(self, req: falcon.Request, resp: falcon.Response) -> None:
        if self._admitted(req, resp):
            resp.media = {"types": [REVOCABLE_TOKEN_TYPE]}

    def on_post_revoke(self, req: falcon.Request, resp: falcon.Response) -> None:
        if not self._admitted(req, resp):
            return
        findings = _revocation_request(req)
        if findings is None:
            resp.status = falcon.HTTP_400
            resp.media = {"error": "the body must be a JSON array of {type, token, location}"}
            return
        if any(kind != REVOCABLE_TOKEN_TYPE for kind, _, _ in findings):
            # Never echoed: a scanner's finding may carry anything, a secret included.
            resp.status = falcon.HTTP_400
            resp.media = {
                "error": f"unsupported token type: the only type is {REVOCABLE_TOKEN_TYPE}"
            }
            return
        by_location: dict[str, list[str]] = {}
        for _, token, location in findings:
            by_location.setdefault(location, []).append(token)
        try:
            service = self._service()
            for location, plaintexts in by_location.items():
                found = [t for t in plaintexts if tokens.is_well_formed(t)]
                if found:
                    service.revoke_leaked(found, source=_revocation_source(location))
        except DeploymentTokensError as error:
            log.warning("cannot revoke leaked tokens: %s", error)
            resp.status = falcon.HTTP_503
            resp.set_header("Retry-After", "30")
            resp.media = {"error": "the token database cannot answer; retry later"}
            return
        resp.status = falcon.HTTP_204

    def _admitted(self, req: falcon.Request, resp: falcon.Response) -> bool:
        """The key, then the limits (calls per key; failures per address group and for
        everyone); answers the refusal itself."""
        header = (req.get_header("Authorization") or "").strip()
        scheme, _, rest = header.partition(" ")
        key = rest.strip() if scheme.lower() == "bearer" else header
        try:
            holder = self._service().authenticate_revocation_key(key) if key else None
        except DeploymentTokensError as error:
            log.warning("cannot check a revocation key: %s", error)
            resp.status = falcon.HTTP_503
            resp.set_header("Retry-After", "30")
            resp.media = {"error": "the token database cannot answer; retry later"}
            return False
        if holder is None:
            counted = [
                (f"revocation from {self._callers.group(req)}", LIMIT),
                ("revocation from anyone", ALL_FAILURES_LIMIT),
            ]
        else:
            counted = [(f"revocation calls by key {holder.id}", REVOCATION_CALLS_PER_MINUTE)]
        wait = self._rate_limits.count(counted)
        if wait is not None:
            resp.status = falcon.HTTP_429
            resp.set_header("Retry-After", retry_after(wait))
            resp.media = {"error": "too many requests"}
            return False
        if holder is None:
            resp.status = falcon.HTTP_401
            resp.media = {"error": "unauthorized"}
            return False
        return True


def _revocation_request(req: falcon.Request) -> list[tuple[str, str, str]] | None:
    """(type, token, location) of each finding in the body, or None when it is not the
    JSON array GitLab documents."""
    import json

    if (req.content_type or "").split(";")[0].strip() != "application/json":
        return None
    body = _body(req, MAX_REVOCATION_BODY_BYTES)
    if body is None:
        return None
    try:
        items = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # [[[[... nested too deep
        return None
    if not isinstance(items, list):
        return None
    findings = []
    for item in items:
        if not isinstance(item, dict):
            return None
        kind, token, location = item.get("type"), item.get("token"), item.get("location", "")
        if not isinstance(kind, str) or not isinstance(token, str):
            return None
        findings.append((kind, token, location if isinstance(location, str) else ""))
    return findings


def _revocation_source(location: str) -> str:
    """What the audit trail says a token was found in: GitLab and the reported location,
    made printable and cut to what an audit detail holds."""
    from app.leak_response import SOURCE_MAX_LENGTH

    printable = "".join(c if c.isprintable() else "?" for c in location.strip())
    source = f"GitLab secret detection: {tokens.redact(printable) or 'no location given'}"
    return source if len(source) <= SOURCE_MAX_LENGTH else source[: SOURCE_MAX_LENGTH - 1] + "…"


class _Health:
    """GET /healthz: the process answers (nothing else is checked)."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.text = "ok\n"


class _Ready:
    """GET /readyz: the database answers and the salt matches its fingerprint."""

    def __init__(self, service: Callable[[], TokenService]) -> None:
        self._service = service

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        # Anyone who can reach the service may ask: the answer says what is wrong, the
        # details (the database's location, the salt's problem) go to the log.
        try:
            service = self._service()
            service.revision()
            problem = service.salt_problem()
        except DeploymentTokensError as error:
            log.warning("not ready: %s", error)
            return _not_ready(resp, "the database cannot answer")
        if problem is not None:
            log.warning("not ready: %s", problem)
            return _not_ready(resp, "the salt is missing, too weak, or not this database's")
        resp.text = "ready\n"


def _not_ready(resp: falcon.Response, reason: str) -> None:
    resp.status = falcon.HTTP_503
    resp.text = f"not ready: {reason}\n"


class _Metrics:
    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = CONTENT_TYPE_LATEST
        resp.data = generate_latest(self._metrics.exposition)


def _bearer(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer`` header, or None."""
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _basic(header: str | None) -> tuple[str, str] | None:
    """The (name, secret) of an ``Authorization: Basic`` header, or None."""
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    name, colon, secret = decoded.partition(":")
    return (name, secret) if colon and name and secret else None


def _form_field(req: falcon.Request, name: str) -> str | None:
    if (req.content_type or "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return None
    body = _body(req, MAX_BODY_BYTES)
    if body is None:
        return None
    try:
        fields = parse_qs(body.decode("ascii"), strict_parsing=False)
    except UnicodeDecodeError:
        return None
    values = fields.get(name, [])
    return values[0] if len(values) == 1 else None


def _body(req: falcon.Request, limit: int) -> bytes | None:
    """The request's body, or None when it is larger than ``limit`` or did not arrive
    (the client went away, or was too slow: serve's worker cuts a request off)."""
    try:
        body = req.bounded_stream.read(limit + 1)
    except OSError:
        return None
    return body if len(body) <= limit else None


def _unauthorized(resp: falcon.Response) -> None:
    resp.status = falcon.HTTP_401
    resp.set_header("WWW-Authenticate", 'Bearer realm="deployment-tokens"')
    resp.text = "the token is missing, malformed, unknown, revoked or expired\n"


def _unavailable(resp: falcon.Response, metrics: Metrics, error: Exception) -> str:
    metrics.database_errors.inc()
    # The reason names the database, never a token: the service's messages never do.
    log.warning("cannot verify: %s", error)
    resp.status = falcon.HTTP_503
    resp.set_header("Retry-After", "5")
    resp.text = "the token database cannot answer; try again shortly\n"
    return "unavailable"


def _internal_error(
    req: falcon.Request, resp: falcon.Response, error: Exception, params: object
) -> None:
    """A bug: 500, and the traceback logged with the request's path (never its query
    string, which could hold a token; serve's log also redacts what a traceback says)."""
    log.error("unexpected error answering %s %s", req.method, req.path, exc_info=error)
    resp.status = falcon.HTTP_500
    resp.content_type = "text/plain"
    resp.text = "internal server error\n"


def _plain_error(req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError) -> None:
    resp.content_type = "text/plain"
    resp.text = f"{error.title}\n"
