"""Whether a CI job's OIDC ID token is genuine and current: PyJWT checks the signature
(RS256 or ES256 only: never ``none``, never HS*, whose "secret" would be the issuer's
public key), the issuer and the audience; the times are checked here on the service's
clock, with at most ``LEEWAY_SECONDS`` of leeway.

A refusal says what was wrong in words of its own and never repeats the token: it goes
to whoever presented it, and to logs.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

import jwt

from app.errors import DeploymentTokensError
from app.oidc.discovery import ALGORITHMS, KeyCache, UnknownKeyError

LEEWAY_SECONDS = 60
# CI ID tokens live minutes (GitHub: about 5; GitLab: the job's timeout). A token valid
# for longer than a day is not one, and its jti would have to be remembered as long.
MAX_REMAINING_SECONDS = 24 * 3600
JTI_MAX_LENGTH = 255


class TokenRefusedError(DeploymentTokensError):
    """The subject token is not a genuine, current ID token of a trusted issuer (401)."""


def validate(
    token: str,
    *,
    keys: KeyCache,
    issuers: Collection[str],
    audiences: Collection[str],
    now: datetime,
) -> dict[str, Any]:
    """The token's claims, once its signature, algorithm, issuer (one of ``issuers``),
    audience (one of ``audiences``) and times are right, and it has a ``jti``.
    TokenRefusedError otherwise; IssuerUnavailableError when its issuer's keys cannot be
    had."""
    try:
        # One parse for the header and the claims (PyJWT checks each segment in Python).
        parsed = jwt.decode_complete(token, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        raise TokenRefusedError("the subject token is not a JWT") from None
    header, unverified = parsed["header"], parsed["payload"]
    if not isinstance(unverified, dict):
        raise TokenRefusedError("the subject token is not a JWT")
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise TokenRefusedError("the subject token's algorithm is not RS256 or ES256")
    issuer = unverified.get("iss")
    if not isinstance(issuer, str) or issuer not in issuers:
        raise TokenRefusedError("the subject token's issuer is not a trusted one")
    kid = header.get("kid")
    try:
        key = keys.key(issuer, kid if isinstance(kid, str) else None)
    except UnknownKeyError as error:
        raise TokenRefusedError(str(error)) from None
    claims = _verified(token, key, issuer, audiences)
    _check_times(claims, now.timestamp())
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti or len(jti) > JTI_MAX_LENGTH:
        raise TokenRefusedError("the subject token has no usable jti (its unique id)")
    return claims


def _verified(
    token: str, key: jwt.PyJWK, issuer: str, audiences: Collection[str]
) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=list(ALGORITHMS),
            audience=list(audiences),
            issuer=issuer,
            # The times are checked on the service's clock (_check_times).
            options={
                "require": ["iss", "aud", "exp", "iat", "jti"],
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
            },
        )
    except jwt.InvalidSignatureError:
        raise TokenRefusedError("the subject token's signature is not its issuer's") from None
    except jwt.InvalidAudienceError:
        raise TokenRefusedError("the subject token is for another audience") from None
    except jwt.InvalidIssuerError:
        raise TokenRefusedError("the subject token's issuer is not a trusted one") from None
    except jwt.MissingRequiredClaimError as error:
        raise TokenRefusedError(f"the subject token has no '{error.claim}' claim") from None
    except jwt.InvalidTokenError:
        raise TokenRefusedError("the subject token is not a valid JWT") from None
    return claims


def _check_times(claims: dict[str, Any], now: float) -> None:
    expires = _number(claims, "exp")
    issued = _number(claims, "iat")
    if expires is None or issued is None:
        raise TokenRefusedError("the subject token's exp and iat must be numbers")
    if now > expires + LEEWAY_SECONDS:
        raise TokenRefusedError("the subject token has expired")
    if issued > now + LEEWAY_SECONDS:
        raise TokenRefusedError("the subject token was issued in the future")
    if "nbf" in claims:
        not_before = _number(claims, "nbf")
        if not_before is None or not_before > now + LEEWAY_SECONDS:
            raise TokenRefusedError("the subject token is not valid yet")
    if expires - now > MAX_REMAINING_SECONDS:
        raise TokenRefusedError("the subject token is valid for more than a day")


def _number(claims: dict[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
