"""The exchange's benchmark (benchmarks/exchange.py): its floor checks what the exchange
checks, on the same ID tokens, and on PostgreSQL its subject is the verify-only role.

The figures themselves run once at a tiny size in test_benchmarks.py, with the others."""

from __future__ import annotations

import time

import jwt
import pytest

from app import open_service
from app.errors import DeploymentTokensError
from benchmarks import datasets, exchange


def _bound(url: str, issuer: exchange._Issuer) -> None:
    with open_service(url) as owner:
        owner.add_project(exchange.PROJECT)
        owner.add_environment(exchange.PROJECT, exchange.ENVIRONMENT)
        owner.add_deployer(
            exchange.PROJECT,
            issuer=issuer.url,
            audience=exchange.AUDIENCE,
            claims=[("repository_id", exchange.REPOSITORY_ID)],
            environments=[exchange.ENVIRONMENT],
        )


def test_each_id_token_is_fresh_and_both_sides_take_it():
    datasets.use_benchmark_salt()
    with exchange._running_issuer() as issuer, exchange._database("sqlite") as (url, serving):
        _bound(url, issuer)
        key = jwt.PyJWK(issuer.public_jwk())
        signed = [issuer.sign() for _ in range(3)]
        claims = [exchange.floor_decode(token, key, issuer.url) for token in signed]
        assert len({c["jti"] for c in claims}) == 3
        with open_service(serving, create=False) as service:
            for token in signed:
                assert service.exchange(token, exchange.PROJECT).environments == ("production",)
            # Each ID token is exchanged once: the rounds could not reuse one.
            with pytest.raises(DeploymentTokensError, match="exchanged before"):
                service.exchange(signed[0], exchange.PROJECT)
        # The floor still decodes it: decoding spends nothing.
        assert exchange.floor_decode(signed[0], key, issuer.url) == claims[0]


# Times as seconds from when the test runs, not from collection: a long run (the
# PostgreSQL pass takes minutes) would otherwise turn "in ten minutes" into the past.
@pytest.mark.parametrize(
    ("overrides", "from_now"),
    [
        ({"aud": "someone-else"}, {}),
        ({"iss": "http://127.0.0.1:1"}, {}),
        ({}, {"exp": -120, "iat": -400}),
        ({}, {"nbf": 600}),
        ({}, {"iat": 600}),
    ],
    ids=["audience", "issuer", "expired", "not-yet-valid", "issued-in-the-future"],
)
def test_the_floor_refuses_what_the_exchange_refuses(overrides, from_now):
    datasets.use_benchmark_salt()
    with exchange._running_issuer() as issuer, exchange._database("sqlite") as (url, _):
        _bound(url, issuer)
        key = jwt.PyJWK(issuer.public_jwk())
        now = int(time.time())
        token = issuer.sign(**overrides, **{claim: now + s for claim, s in from_now.items()})
        with pytest.raises(jwt.InvalidTokenError):
            exchange.floor_decode(token, key, issuer.url)
        with open_service(url) as service, pytest.raises(DeploymentTokensError):
            service.exchange(token, exchange.PROJECT)


def test_the_floor_needs_the_claims_the_exchange_needs():
    with exchange._running_issuer() as issuer:
        key = jwt.PyJWK(issuer.public_jwk())
        claims = jwt.decode(issuer.sign(), options={"verify_signature": False})
        del claims["jti"]
        token = jwt.encode(claims, issuer._key, algorithm="RS256", headers={"kid": exchange.KID})
        with pytest.raises(jwt.MissingRequiredClaimError):
            exchange.floor_decode(token, key, issuer.url)


@pytest.mark.only_backend("postgresql")
def test_on_postgresql_the_subject_is_the_verify_only_role(backend):
    datasets.use_benchmark_salt()
    with exchange._running_issuer() as issuer, exchange._database("postgresql") as urls:
        owner_url, serving = urls
        assert serving != owner_url
        assert f"{exchange.VERIFIER}@" in serving
        _bound(owner_url, issuer)
        with open_service(serving, create=False) as service:
            exchanged = service.exchange(issuer.sign(), exchange.PROJECT)
            assert exchanged.project == exchange.PROJECT
            with pytest.raises(DeploymentTokensError):
                service.generate(exchange.PROJECT)
