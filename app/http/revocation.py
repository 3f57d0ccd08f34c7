"""GitLab's Token Revocation API: secret detection hands over the tokens it found."""

from __future__ import annotations

import logging
from collections.abc import Callable

import falcon

from app import tokens
from app.errors import DeploymentTokensError
from app.http.rate_limits import ALL_FAILURES_LIMIT, LIMIT, RateLimits, retry_after
from app.http.requests import MAX_REVOCATION_BODY_BYTES, Callers, read_body

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

log = logging.getLogger(__name__)

# GitLab's secret detection names a finding's type from the rule that found it: the
# gitleaks rule this project ships (docs/scanners/gitleaks.toml) is "Deployment Tokens token".
REVOCABLE_TOKEN_TYPE = "gitleaks_rule_id_deployment_tokens_token"  # noqa: S105 (a name)
# Calls to the Token Revocation API per key and minute ("be rate-limited", GitLab asks),
# for the whole serve (every worker).
REVOCATION_CALLS_PER_MINUTE = 60


class TokenRevocation:
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
        callers: Callers,
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
        findings = revocation_request(req)
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
                    service.revoke_leaked(found, source=revocation_source(location))
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


def revocation_request(req: falcon.Request) -> list[tuple[str, str, str]] | None:
    """(type, token, location) of each finding in the body, or None when it is not the
    JSON array GitLab documents."""
    import json

    if (req.content_type or "").split(";")[0].strip() != "application/json":
        return None
    body = read_body(req, MAX_REVOCATION_BODY_BYTES)
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


def revocation_source(location: str) -> str:
    """What the audit trail says a token was found in: GitLab and the reported location,
    made printable and cut to what an audit detail holds."""
    from app.use_cases.leak_response import SOURCE_MAX_LENGTH

    printable = "".join(c if c.isprintable() else "?" for c in location.strip())
    source = f"GitLab secret detection: {tokens.redact(printable) or 'no location given'}"
    return source if len(source) <= SOURCE_MAX_LENGTH else source[: SOURCE_MAX_LENGTH - 1] + "…"
