"""A CI job's ID token checked (``app/oidc/validation.py``): real RS256 and ES256 tokens
from a local issuer, and every forgery and stale token refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.api_jws import PyJWS

from app.oidc import discovery
from app.oidc.discovery import IssuerUnavailableError, KeyCache
from app.oidc.validation import LEEWAY_SECONDS, TokenRefusedError, validate
from tests.support.oidc import AUDIENCE, forged, running_issuer


@pytest.fixture
def issuer():
    with running_issuer() as started:
        yield started


def check(issuer, token, *, at=None, keys=None):
    return validate(
        token,
        keys=keys or KeyCache(),
        issuers={issuer.url},
        audiences={AUDIENCE},
        now=datetime.fromtimestamp(at if at is not None else time.time(), UTC),
    )


def refused(issuer, token, message, **options):
    with pytest.raises(TokenRefusedError, match=message) as raised:
        check(issuer, token, **options)
    assert token not in str(raised.value)


def test_rs256_and_es256_tokens_of_the_issuer_are_taken(issuer):
    github = issuer.github()
    assert check(issuer, issuer.sign(github)) == github
    gitlab = issuer.gitlab()
    assert check(issuer, issuer.sign(gitlab, kid="ec-1")) == gitlab


def test_alg_none_is_refused(issuer):
    token = forged({"alg": "none", "typ": "JWT"}, issuer.github())
    refused(issuer, token, "not RS256 or ES256")


def test_hs256_with_the_public_key_as_its_secret_is_refused(issuer):
    public_pem = (
        issuer.keys["rsa-1"]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}
    unsigned = forged(header, issuer.github()).rsplit(".", 1)[0]
    mac = hmac.new(public_pem, unsigned.encode(), hashlib.sha256).digest()
    token = unsigned + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    refused(issuer, token, "not RS256 or ES256")


def test_rs256_claimed_for_an_ec_key_is_refused(issuer):
    # The EC key, announced as RS256 with the RSA key's id, and the other way round.
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(issuer.github(), other, algorithm="RS256", headers={"kid": "ec-1"})
    refused(issuer, token, "not a valid JWT|signature")


def test_a_signature_of_another_key_is_refused(issuer):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(issuer.github(), stranger, algorithm="RS256", headers={"kid": "rsa-1"})
    refused(issuer, token, "signature is not its issuer's")
    parts = issuer.sign(issuer.github()).split(".")
    tampered = json.dumps({**issuer.github(), "repository_id": "1"}).encode()
    parts[1] = base64.urlsafe_b64encode(tampered).rstrip(b"=").decode()
    refused(issuer, ".".join(parts), "signature is not its issuer's")


def test_an_unknown_kid_is_refused(issuer):
    # No kid, and the issuer lists two keys: which one?
    without = jwt.encode(issuer.github(), issuer.keys["rsa-1"], algorithm="RS256")
    refused(issuer, without, "no RS256 or ES256 key with that key id")
    token = jwt.encode(
        issuer.github(), issuer.keys["rsa-1"], algorithm="RS256", headers={"kid": "nope"}
    )
    refused(issuer, token, "no RS256 or ES256 key with that key id")


def test_times_are_checked_with_a_minute_of_leeway(issuer):
    now = time.time()
    token = issuer.sign(issuer.github(iat=int(now) - 600, nbf=int(now) - 600, exp=int(now) - 30))
    assert check(issuer, token)  # expired 30 s ago: within the leeway
    refused(issuer, token, "expired", at=now + LEEWAY_SECONDS)
    early = issuer.sign(issuer.github(nbf=int(now) + 120))
    refused(issuer, early, "not valid yet")
    assert check(issuer, early, at=now + 120 - LEEWAY_SECONDS)
    future = issuer.sign(issuer.github(iat=int(now) + 120))
    refused(issuer, future, "issued in the future")
    forever = issuer.sign(issuer.github(exp=int(now) + 2 * 86400))
    refused(issuer, forever, "more than a day")


def test_the_audience_and_issuer_must_be_trusted(issuer):
    refused(issuer, issuer.sign(issuer.github(aud="someone-else")), "another audience")
    refused(issuer, issuer.sign(issuer.github(aud=["a", "b"])), "another audience")
    assert check(issuer, issuer.sign(issuer.github(aud=["a", AUDIENCE])))
    refused(issuer, issuer.sign(issuer.github(iss="https://elsewhere")), "issuer is not a trusted")


def test_claims_the_exchange_needs_are_required(issuer):
    for claim in ("jti", "exp", "iat", "aud"):
        claims = issuer.github()
        del claims[claim]
        refused(issuer, issuer.sign(claims), f"no '{claim}' claim")
    refused(issuer, issuer.sign(issuer.github(jti="")), "jti")
    refused(issuer, issuer.sign(issuer.github(exp="soon")), "must be numbers")
    refused(issuer, "not-a-jwt", "not a JWT")


def test_without_keys_the_issuer_is_unavailable(issuer):
    issuer.up = False
    with pytest.raises(IssuerUnavailableError):
        check(issuer, issuer.sign(issuer.github()))


@pytest.fixture
def other():
    with running_issuer() as started:  # its keys have the same ids as the first one's
        yield started


def check_both(keys, token, *issuers):
    return validate(
        token,
        keys=keys,
        issuers={issuer.url for issuer in issuers},
        audiences={AUDIENCE},
        now=datetime.now(UTC),
    )


def test_with_its_key_cached_the_token_is_parsed_once(issuer, monkeypatch):
    keys = KeyCache()
    check(issuer, issuer.sign(issuer.github()), keys=keys)
    loads = []
    original = PyJWS._load
    monkeypatch.setattr(PyJWS, "_load", lambda self, jwt: loads.append(1) or original(self, jwt))
    assert check(issuer, issuer.sign(issuer.gitlab(), kid="ec-1"), keys=keys)
    assert len(loads) == 1


def test_forgeries_are_refused_with_the_keys_cached(issuer):
    keys = KeyCache()
    check(issuer, issuer.sign(issuer.github()), keys=keys)
    refused(issuer, forged({"alg": "none", "kid": "rsa-1"}, issuer.github()), "RS256", keys=keys)
    public_pem = (
        issuer.keys["rsa-1"]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    unsigned = forged({"alg": "HS256", "kid": "rsa-1"}, issuer.github()).rsplit(".", 1)[0]
    mac = hmac.new(public_pem, unsigned.encode(), hashlib.sha256).digest()
    hs256 = unsigned + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    refused(issuer, hs256, "not RS256 or ES256", keys=keys)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(issuer.github(), stranger, algorithm="RS256", headers={"kid": "rsa-1"})
    refused(issuer, token, "signature is not its issuer's", keys=keys)
    # The ES256 key's id on an RS256 token: the key's algorithm is the one checked.
    token = jwt.encode(
        issuer.github(), issuer.keys["rsa-1"], algorithm="RS256", headers={"kid": "ec-1"}
    )
    refused(issuer, token, "not a valid JWT|signature", keys=keys)
    now = int(time.time())
    expired = issuer.sign(issuer.github(iat=now - 600, exp=now - LEEWAY_SECONDS - 1))
    refused(issuer, expired, "expired", keys=keys)
    refused(issuer, issuer.sign(issuer.github(aud="someone-else")), "another audience", keys=keys)
    for bad in ("not-a-jwt", "!!.e30.x", "e30.e30", "W10.e30.x", "eyJhbGciOiJSUzI1NiJ9.!!.x"):
        refused(issuer, bad, "not a JWT|not a valid JWT|RS256", keys=keys)


def test_a_trusted_issuers_key_never_vouches_for_another_issuers_token(issuer, other):
    keys = KeyCache()
    check_both(keys, issuer.sign(issuer.github()), issuer, other)
    # Signed with the first issuer's key, naming the other (trusted too) as its issuer.
    token = issuer.sign(other.github())
    with pytest.raises(TokenRefusedError, match=r"issuer is not a trusted one|signature"):
        check_both(keys, token, issuer, other)
    check_both(keys, other.sign(other.github()), issuer, other)  # both cached now
    with pytest.raises(TokenRefusedError, match="signature is not its issuer's"):
        check_both(keys, token, issuer, other)


def test_the_same_key_id_at_two_issuers_finds_each_ones_key(issuer, other):
    keys = KeyCache()
    check_both(keys, issuer.sign(issuer.github()), issuer, other)
    # rsa-1 is cached for the first issuer only: the other's token is still its own.
    assert check_both(keys, other.sign(other.github()), issuer, other)["iss"] == other.url
    assert check_both(keys, issuer.sign(issuer.github()), issuer, other)["iss"] == issuer.url
    assert check_both(keys, other.sign(other.github()), issuer, other)["iss"] == other.url
    # An issuer no longer trusted: its cached keys are not looked at.
    with pytest.raises(TokenRefusedError, match="issuer is not a trusted one"):
        check_both(keys, other.sign(other.github()), issuer)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_unknown_kid_with_keys_cached_is_fetched_for_at_most_once_a_minute(issuer):
    clock = Clock()
    keys = KeyCache(clock=clock)
    check(issuer, issuer.sign(issuer.github()), keys=keys)
    rotated = issuer.rotate()
    for _ in range(3):
        refused(issuer, issuer.sign(issuer.github(), kid=rotated), "no RS256", keys=keys)
    assert len(issuer.paths) == 2
    clock.now += discovery.REFETCH_SECONDS
    assert check(issuer, issuer.sign(issuer.github(), kid=rotated), keys=keys)
    assert len(issuer.paths) == 4


def test_cached_keys_are_refetched_when_old_and_outlive_the_issuer(issuer):
    clock = Clock()
    keys = KeyCache(clock=clock)
    check(issuer, issuer.sign(issuer.github()), keys=keys)
    issuer.up = False
    clock.now += discovery.MAX_AGE_SECONDS
    for _ in range(3):
        assert check(issuer, issuer.sign(issuer.github()), keys=keys)
    assert len(issuer.paths) == 3  # one refetch tried, within the minute no more
