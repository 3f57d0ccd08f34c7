"""POST /v1/exchange: a CI job's ID token from a local issuer exchanged for a deployment
token, through Falcon's test client and once through a real ``serve``; then the token
used at /v1/authorize."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest

from app.http.rate_limits import LIMIT
from tests.support.endpoints import authorize
from tests.support.oidc import AUDIENCE, GITHUB_OWNER_ID, GITHUB_REPOSITORY_ID, running_issuer
from tests.support.serving import request, serve_process

GITHUB_BINDING = [
    ("repository_id", GITHUB_REPOSITORY_ID),
    ("repository_owner_id", GITHUB_OWNER_ID),
    ("environment", "production"),
]


@pytest.fixture
def issuer():
    with running_issuer() as started:
        yield started


@pytest.fixture
def bound(web, issuer):
    """web trusts acme/web's production environment; tokens for production only."""
    record, _ = web.add_deployer(
        "web", issuer=issuer.url, audience=AUDIENCE, claims=GITHUB_BINDING,
        environments=["production"], name="GitHub acme/web",
    )  # fmt: skip
    return record


def exchange(client, subject_token, project="web", address="127.0.0.1"):
    form = urlencode({"subject_token": subject_token, "project": project})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return client.simulate_post("/v1/exchange", body=form, headers=headers, remote_addr=address)


def test_an_id_token_is_exchanged_and_the_token_deploys(client, web, bound, issuer, metrics):
    answer = exchange(client, issuer.sign(issuer.github()))
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.json
    assert set(body) == {"access_token", "token_type", "expires_in", "project", "environments"}
    assert body["access_token"].startswith("mldt_")
    assert len(body["access_token"]) == 54
    assert (body["token_type"], body["expires_in"], body["project"], body["environments"]) == (
        "deployment_token", 900, "web", ["production"],
    )  # fmt: skip
    token = body["access_token"]
    assert authorize(client, token, environment="production").status_code == 204
    assert authorize(client, token, environment="Staging").status_code == 403
    assert metrics.verifications.labels("exchange", "exchanged")._value.get() == 1


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"aud": "someone-else"}, 401),
        ({"exp": 1_000_000_000, "iat": 999_999_000}, 401),
        ({"repository_id": "1"}, 403),
        ({"environment": "staging"}, 403),
    ],
)
def test_refusals_are_401_for_the_token_and_403_for_the_binding(
    client, bound, issuer, change, status
):
    answer = exchange(client, issuer.sign(issuer.github(**change)))
    assert answer.status_code == status
    assert answer.json["error"] == ("invalid_token" if status == 401 else "access_denied")
    assert answer.json["error_description"]


def test_forgeries_and_replays_are_401(client, bound, issuer):
    from tests.support.oidc import forged

    subject = issuer.sign(issuer.github())
    assert exchange(client, subject).status_code == 200
    replayed = exchange(client, subject)
    assert replayed.status_code == 401
    assert "exchanged before" in replayed.json["error_description"]
    assert exchange(client, forged({"alg": "none"}, issuer.github())).status_code == 401
    unknown = issuer.github(iss="https://elsewhere.example.com")
    assert exchange(client, issuer.sign(unknown)).status_code == 401


def test_an_issuer_down_is_503_until_keys_were_cached(client, bound, issuer):
    issuer.up = False
    down = exchange(client, issuer.sign(issuer.github()))
    assert down.status_code == 503
    assert down.json["error"] == "temporarily_unavailable"


def test_with_cached_keys_the_exchange_outlives_the_issuer(client, bound, issuer):
    assert exchange(client, issuer.sign(issuer.github())).status_code == 200
    issuer.up = False
    assert exchange(client, issuer.sign(issuer.github())).status_code == 200


def test_a_request_without_both_fields_is_400(client, bound, issuer):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    for form in ("project=web", f"subject_token={issuer.sign(issuer.github())}", ""):
        answer = client.simulate_post("/v1/exchange", body=form, headers=headers)
        assert answer.status_code == 400
    as_json = client.simulate_post("/v1/exchange", json={"subject_token": "x", "project": "web"})
    assert as_json.status_code == 400


def test_failed_exchanges_are_throttled_like_failed_logins(client, bound, issuer):
    wrong = issuer.sign(issuer.github(repository_id="1"))
    answers = [exchange(client, wrong, address="192.0.2.7").status_code for _ in range(LIMIT + 1)]
    assert answers == [403] * LIMIT + [429]
    # Another caller is not held up by this one's failures.
    assert exchange(client, issuer.sign(issuer.github()), address="192.0.2.8").status_code == 200


def test_neither_the_jwt_nor_the_token_is_logged(client, bound, issuer, caplog):
    caplog.set_level(logging.DEBUG)
    subject = issuer.sign(issuer.github())
    token = exchange(client, subject).json["access_token"]
    exchange(client, subject)  # replayed
    issuer.up = False
    assert subject not in caplog.text
    assert token not in caplog.text
    assert subject.split(".")[2] not in caplog.text


def test_a_real_serve_exchanges_and_authorizes(database_url, service, issuer, tmp_path):
    service.add_project("web")
    service.add_environment("web", "production")
    service.add_deployer(
        "web", issuer=issuer.url, audience=AUDIENCE, claims=GITHUB_BINDING,
        environments=["production"],
    )  # fmt: skip
    subject = issuer.sign(issuer.github(), kid="ec-1")
    log_path = tmp_path / "serve.log"
    with serve_process(database_url, log_path) as (port, _):
        form = urlencode({"subject_token": subject, "project": "web"})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _, text = request(port, "POST", "/v1/exchange", headers, form)
        assert status == 200, text
        token = json.loads(text)["access_token"]
        # The other worker, or this one: the jti is the database's, spent for both.
        for _ in range(2):
            again = request(port, "POST", "/v1/exchange", headers, form)
            assert again[0] == 401
        allowed = request(
            port, "GET", "/v1/authorize",
            {"Authorization": f"Bearer {token}", "X-Deployment-Project": "web",
             "X-Deployment-Environment": "production"},
        )  # fmt: skip
        assert allowed[0] == 204
    logged = log_path.read_text()
    assert subject not in logged
    assert token not in logged
