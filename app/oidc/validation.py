"""Whether a CI job's OIDC ID token is genuine and current: PyJWT checks the signature
(RS256 or ES256 only: never ``none``, never HS*, whose "secret" would be the issuer's
public key), the issuer and the audience; the times are checked here on the service's
clock, with at most ``LEEWAY_SECONDS`` of leeway. With the key cached, PyJWT parses the
token once: the key is found by the header's key id alone, and must be its issuer's.

A refusal says what was wrong in words of its own and never repeats the token: it goes
to whoever presented it, and to logs.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Collection
from datetime import datetime
from typing import Any

import jwt

from app.errors import DeploymentTokensError
from app.oidc.discovery import ALGORITHMS, KeyCache, UnknownKeyError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from jwt.types import Options

LEEWAY_SECONDS = 60
# CI ID tokens live minutes (GitHub: about 5; GitLab: the job's timeout). A token valid
# for longer than a day is not one, and its jti would have to be remembered as long.
MAX_REMAINING_SECONDS = 24 * 3600
JTI_MAX_LENGTH = 255
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_BAD_SIGNATURE = "the subject token's signature is not its issuer's"
_DECODE_OPTIONS: Options = {
    "require": ["iss", "aud", "exp", "iat", "jti"],
    # The times are checked on the service's clock (_check_times).
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
}


class TokenRefusedError(DeploymentTokensError):
    """The subject token is not a genuine, current ID token of a trusted issuer (401)."""


class _NotThatKeysError(TokenRefusedError):
    """The signature is not the key's: refused, unless the key was found by its id alone."""


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
    header = _header(token)
    if header.get("alg") not in ALGORITHMS:
        raise TokenRefusedError("the subject token's algorithm is not RS256 or ES256")
    kid = header.get("kid")
    kid = kid if isinstance(kid, str) else None
    claims = None
    # The key by its id among the trusted issuers' cached keys, so that PyJWT parses the
    # token once (its segment checks cost more than the RSA check). The token must then
    # name that key's issuer: another trusted issuer's key never vouches for it.
    cached = keys.cached(kid, issuers)
    if cached is not None:
        try:
            claims = _verified(token, cached[1], cached[0], audiences)
        except _NotThatKeysError:
            claims = None  # that issuer's key id, perhaps, but another issuer's token
    if claims is None:
        claims = _by_its_issuer(token, keys, issuers, kid, audiences, cached)
    _check_times(claims, now.timestamp())
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti or len(jti) > JTI_MAX_LENGTH:
        raise TokenRefusedError("the subject token has no usable jti (its unique id)")
    return claims


def _header(token: str) -> dict[str, Any]:
    """The token's header, unverified (PyJWT parses it again, strictly, with the rest):
    only its first, short segment is read."""
    segment, dot, _ = token.partition(".")
    if not dot or not _BASE64URL.fullmatch(segment):
        raise TokenRefusedError("the subject token is not a JWT")
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, RecursionError):  # binascii.Error and bad UTF-8 are ValueErrors
        raise TokenRefusedError("the subject token is not a JWT") from None
    if not isinstance(header, dict):
        raise TokenRefusedError("the subject token is not a JWT")
    return header


def _by_its_issuer(
    token: str,
    keys: KeyCache,
    issuers: Collection[str],
    kid: str | None,
    audiences: Collection[str],
    tried: tuple[str, jwt.PyJWK] | None,
) -> dict[str, Any]:
    """The claims, checked with the key of the issuer the token names: when no single
    cached key has its id (cold cache, keys due for a refetch, a rotated or made-up key
    id, the same id at two issuers), or that key's signature check failed. The cache
    refetches the issuer's keys for an unknown id, at most once a minute."""
    try:
        unverified = jwt.decode_complete(token, options={"verify_signature": False})["payload"]
    except jwt.InvalidTokenError:
        raise TokenRefusedError("the subject token is not a JWT") from None
    issuer = unverified.get("iss") if isinstance(unverified, dict) else None
    if not isinstance(issuer, str) or issuer not in issuers:
        raise TokenRefusedError("the subject token's issuer is not a trusted one")
    try:
        key = keys.key(issuer, kid)
    except UnknownKeyError as error:
        raise TokenRefusedError(str(error)) from None
    if tried is not None and tried[1] is key:
        raise _NotThatKeysError(_BAD_SIGNATURE)  # the very check that just failed
    return _verified(token, key, issuer, audiences)


def _verified(
    token: str, key: jwt.PyJWK, issuer: str, audiences: Collection[str]
) -> dict[str, Any]:
    """The claims, checked with ``key`` of ``issuer`` (PyJWT: the signature, the
    algorithm, which must be the key's, the issuer, the audience, the claims required)."""
    try:
        claims: dict[str, Any] = jwt.decode_complete(
            token,
            key,
            algorithms=ALGORITHMS,
            audience=list(audiences),
            issuer=issuer,
            options=_DECODE_OPTIONS,
        )["payload"]
    except jwt.InvalidSignatureError:
        raise _NotThatKeysError(_BAD_SIGNATURE) from None
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
