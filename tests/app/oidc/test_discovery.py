"""The issuers' keys by discovery, cached (``app/oidc/discovery.py``), from a local
issuer on loopback."""

from __future__ import annotations

import json
import socket

import pytest

from app.oidc import discovery
from app.oidc.discovery import IssuerUnavailableError, KeyCache, UnknownKeyError
from tests.support.oidc import running_issuer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def issuer():
    with running_issuer() as started:
        yield started


@pytest.fixture
def clock():
    return Clock()


def test_keys_are_fetched_by_discovery_once_and_then_cached(issuer, clock):
    keys = KeyCache(clock=clock)
    assert keys.key(issuer.url, "rsa-1").algorithm_name == "RS256"
    assert keys.key(issuer.url, "ec-1").algorithm_name == "ES256"
    assert issuer.paths == ["/.well-known/openid-configuration", "/jwks"]
    clock.now += discovery.MAX_AGE_SECONDS
    keys.key(issuer.url, "rsa-1")
    assert len(issuer.paths) == 4  # stale: fetched again


def test_an_unknown_kid_is_fetched_for_at_most_once_a_minute(issuer, clock):
    keys = KeyCache(clock=clock)
    keys.key(issuer.url, "rsa-1")
    for _ in range(5):
        with pytest.raises(UnknownKeyError):
            keys.key(issuer.url, "made-up")
    assert len(issuer.paths) == 2  # the first fetch was within the minute: none since
    rotated = issuer.rotate()
    with pytest.raises(UnknownKeyError):
        keys.key(issuer.url, rotated)
    clock.now += discovery.REFETCH_SECONDS
    assert keys.key(issuer.url, rotated).algorithm_name == "RS256"
    assert len(issuer.paths) == 4
    with pytest.raises(UnknownKeyError):
        keys.key(issuer.url, "made-up")
    assert len(issuer.paths) == 4


def test_cached_keys_outlive_the_issuer(issuer, clock, caplog):
    keys = KeyCache(clock=clock)
    keys.key(issuer.url, "rsa-1")
    issuer.up = False
    clock.now += discovery.MAX_AGE_SECONDS + 1
    assert keys.key(issuer.url, "rsa-1").algorithm_name == "RS256"
    assert "keeping the keys cached" in caplog.text


def test_an_issuer_never_reached_is_unavailable(issuer, clock):
    issuer.up = False
    keys = KeyCache(clock=clock)
    with pytest.raises(IssuerUnavailableError, match="cannot be fetched"):
        keys.key(issuer.url, "rsa-1")
    # Not again within the minute: every token would otherwise wait for a dead issuer.
    with pytest.raises(IssuerUnavailableError):
        keys.key(issuer.url, "rsa-1")
    assert len(issuer.paths) == 1
    issuer.up = True
    clock.now += discovery.REFETCH_SECONDS
    assert keys.key(issuer.url, "rsa-1")


def test_a_fetch_that_hangs_times_out(monkeypatch):
    monkeypatch.setattr(discovery, "FETCH_TIMEOUT_SECONDS", 0.2)
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(IssuerUnavailableError):
            KeyCache().key(url, "rsa-1")


def documents(**found):
    def fetch(url):
        return json.dumps(found[url]).encode()

    return fetch


def test_a_discovery_document_of_another_issuer_is_not_believed():
    fetch = documents(
        **{"https://ci.example.com/.well-known/openid-configuration": {
            "issuer": "https://evil.example.com", "jwks_uri": "https://ci.example.com/jwks"}}
    )  # fmt: skip
    with pytest.raises(IssuerUnavailableError):
        KeyCache(fetch=fetch).key("https://ci.example.com", None)


def test_keys_over_plain_http_elsewhere_than_loopback_are_not_taken():
    fetch = documents(
        **{"https://ci.example.com/.well-known/openid-configuration": {
            "issuer": "https://ci.example.com", "jwks_uri": "http://ci.example.com/jwks"}}
    )  # fmt: skip
    with pytest.raises(IssuerUnavailableError):
        KeyCache(fetch=fetch).key("https://ci.example.com", None)


def test_only_rs256_and_es256_signing_keys_are_taken(issuer):
    listed = issuer.jwks()["keys"]
    rsa_key = next(k for k in listed if k["kid"] == "rsa-1")
    fetch = documents(
        **{
            "https://ci.example.com/.well-known/openid-configuration": {
                "issuer": "https://ci.example.com",
                "jwks_uri": "https://ci.example.com/jwks",
            },
            "https://ci.example.com/jwks": {
                "keys": [
                    {**rsa_key, "kid": "enc", "use": "enc"},
                    {**rsa_key, "kid": "rs384", "alg": "RS384"},
                    {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"},
                    rsa_key,
                ]
            },
        }
    )
    keys = KeyCache(fetch=fetch)
    assert keys.key("https://ci.example.com", None).algorithm_name == "RS256"  # the only one
    for kid in ("enc", "rs384", "hmac"):
        with pytest.raises(UnknownKeyError):
            keys.key("https://ci.example.com", kid)


def test_a_key_is_found_by_its_id_alone_only_when_key_would_give_it(issuer, clock):
    keys = KeyCache(clock=clock)
    assert keys.cached("rsa-1", [issuer.url]) is None  # nothing fetched yet
    rsa_key = keys.key(issuer.url, "rsa-1")
    assert keys.cached("rsa-1", [issuer.url]) == (issuer.url, rsa_key)
    assert keys.cached("rsa-1", ["https://elsewhere.example"]) is None  # not trusted
    assert keys.cached("made-up", [issuer.url]) is None
    assert keys.cached(None, [issuer.url]) is None  # its only key? key decides
    clock.now += discovery.MAX_AGE_SECONDS
    assert keys.cached("rsa-1", [issuer.url]) is None  # due for a refetch
    issuer.up = False
    keys.key(issuer.url, "rsa-1")  # the refetch fails; the keys are kept
    assert keys.cached("rsa-1", [issuer.url]) == (issuer.url, rsa_key)


def test_a_key_id_two_issuers_list_is_not_found_by_its_id_alone(issuer, clock):
    with running_issuer() as other:
        keys = KeyCache(clock=clock)
        keys.key(issuer.url, "rsa-1")
        keys.key(other.url, "rsa-1")
        assert keys.cached("rsa-1", [issuer.url, other.url]) is None
        assert keys.cached("rsa-1", [other.url])[0] == other.url
