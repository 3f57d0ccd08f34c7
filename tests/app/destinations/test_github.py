"""Pushing to GitHub Actions secrets, against a fake that opens every sealed value."""

from __future__ import annotations

import base64
import json
import traceback
import urllib.error
import urllib.request

import pytest
from nacl.public import PrivateKey

from app import destinations, tokens
from app.destinations import github
from app.destinations.targets import github_target
from app.destinations.transport import DestinationError

METADATA = {"project": "web", "token_id": "17"}


@pytest.fixture
def environ(github_fake):
    return {"GITHUB_TOKEN": github_fake.token, "GITHUB_API_URL": github_fake.url}


def test_a_push_seals_the_token_and_github_opens_it(github_fake, environ):
    token = tokens.new_token()
    target = github_target("acme/web", "deploy_token")

    receipt = destinations.push(target, token, METADATA, environ)

    stored = github_fake.secret("acme/web", "DEPLOY_TOKEN")
    assert stored.plaintext == token
    assert stored.key_id == github_fake.key_for(("acme/web", None))[0]
    assert receipt.where == "GitHub acme/web, secret DEPLOY_TOKEN"
    assert receipt.version is None
    assert receipt.confirmed == f"secret listed, updated {stored.updated_at}"
    assert [(r.method, r.path) for r in github_fake.requests] == [
        ("GET", "/repos/acme/web/actions/secrets/public-key"),
        ("PUT", "/repos/acme/web/actions/secrets/DEPLOY_TOKEN"),
        ("GET", "/repos/acme/web/actions/secrets/DEPLOY_TOKEN"),
    ]
    sent = github_fake.requests[1]
    assert sent.headers["accept"] == "application/vnd.github+json"
    assert sent.headers["x-github-api-version"] == "2022-11-28"
    assert sent.headers["user-agent"].startswith("deployment-tokens/")
    assert token not in json.dumps(sent.body)  # sealed, not sent in the clear


def test_a_second_push_replaces_the_secret(github_fake, environ):
    target = github_target("acme/web", "DEPLOY_TOKEN")
    destinations.push(target, "first-value", {}, environ)
    token = tokens.new_token()

    destinations.push(target, token, {}, environ)

    assert github_fake.secret("acme/web", "DEPLOY_TOKEN").plaintext == token


def test_an_environment_secret_goes_to_that_environment_only(github_fake, environ):
    token = tokens.new_token()
    target = github_target("acme/web", "DEPLOY_TOKEN", "staging eu")

    receipt = github.push(target, token, {}, github_fake.token, environ)

    assert github_fake.secret("acme/web", "DEPLOY_TOKEN", "staging eu").plaintext == token
    assert ("acme/web", None) not in github_fake.secrets
    assert github_fake.requests[0].path == (
        "/repos/acme/web/environments/staging%20eu/secrets/public-key"
    )
    assert receipt.where == "GitHub acme/web, secret DEPLOY_TOKEN, environment staging eu"


def test_a_wrong_credential_names_the_variable_and_never_shows_itself(github_fake):
    wrong = "ghp_" + tokens.new_token()
    value = tokens.new_token()
    with pytest.raises(DestinationError) as raised:
        destinations.push(
            github_target("acme/web", "T"),
            value,
            {},
            {"GH_TOKEN": wrong, "GITHUB_API_URL": github_fake.url},
        )

    assert str(raised.value) == "the credential was refused (401): check $GH_TOKEN"
    assert raised.value.status == 401
    shown = "".join(traceback.format_exception(raised.value))
    assert wrong not in shown
    assert value not in shown


def test_a_read_only_credential_may_not_write(github_fake):
    environ = {"GITHUB_TOKEN": github_fake.read_only_token, "GITHUB_API_URL": github_fake.url}
    with pytest.raises(DestinationError) as raised:
        destinations.push(github_target("acme/web", "T"), tokens.new_token(), {}, environ)

    assert str(raised.value) == (
        "the credential may not do this (403): Resource not accessible by personal access "
        "token; check that $GITHUB_TOKEN has write access to secret T of repository acme/web"
    )


@pytest.mark.parametrize(
    ("repository", "environment", "said"),
    [
        (
            "acme/nope",
            None,
            "not found (404): repository acme/nope (or $GITHUB_TOKEN cannot see it)",
        ),
        ("acme/web", "qa", "not found (404): environment qa of acme/web (or $GITHUB_TOKEN cannot"),
    ],
)
def test_what_is_not_found_is_named(github_fake, environ, repository, environment, said):
    with pytest.raises(DestinationError) as raised:
        destinations.push(github_target(repository, "T", environment), "v", {}, environ)
    assert str(raised.value).startswith(said)
    assert github_fake.secrets == {}


def test_a_gateway_error_is_tried_again_and_a_lasting_one_reported(
    github_fake, environ, monkeypatch
):
    from app.destinations import transport

    waits = []
    monkeypatch.setattr(transport, "sleep", waits.append)
    github_fake.fail_next(503)  # a load balancer restarting: the next attempt goes through
    destinations.push(github_target("acme/web", "T"), "a value", {}, environ)
    assert github_fake.secret("acme/web", "T").plaintext == "a value"
    assert waits == [0.25]


def test_a_server_error_says_so_and_stores_nothing(github_fake, environ, monkeypatch):
    from app.destinations import transport

    monkeypatch.setattr(transport, "sleep", lambda _: None)
    github_fake.fail_next(502, times=3)  # three attempts, then the error
    with pytest.raises(DestinationError) as raised:
        destinations.push(github_target("acme/web", "T"), "v", {}, environ)
    assert str(raised.value) == "GitHub failed (502): Server Error; try again later"
    assert raised.value.status == 502
    assert github_fake.secrets == {}


def test_github_down_says_it_cannot_be_reached(github_fake, environ):
    github_fake.stop()
    with pytest.raises(DestinationError) as raised:
        destinations.push(github_target("acme/web", "T"), "v", {}, environ, timeout=2)
    assert str(raised.value) == f"cannot reach {github_fake.url}: connection refused"


def test_check_writes_a_test_secret_and_deletes_it(github_fake, environ):
    target = github_target("acme/web", "DEPLOY_TOKEN", "production")
    destinations.push(target, "the-current-token", {}, environ)

    receipt = destinations.check(target, environ)

    assert receipt.confirmed.startswith("test secret DEPLOYMENT_TOKENS_CHECK written (")
    assert set(github_fake.secrets[("acme/web", "production")]) == {"DEPLOY_TOKEN"}
    assert github_fake.secret("acme/web", "DEPLOY_TOKEN", "production").plaintext == (
        "the-current-token"
    )
    assert [(r.method, r.path.rsplit("/", 1)[1]) for r in github_fake.requests[-4:]] == [
        ("GET", "public-key"),
        ("PUT", "DEPLOYMENT_TOKENS_CHECK"),
        ("GET", "DEPLOYMENT_TOKENS_CHECK"),
        ("DELETE", "DEPLOYMENT_TOKENS_CHECK"),
    ]


def _raw(fake, method, path, body=None, **headers):
    base = {
        "Authorization": f"Bearer {fake.token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "test",
        "Content-Type": "application/json",
    }
    merged = {k: v for k, v in {**base, **headers}.items() if v is not None}
    data = (
        None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    )
    request = urllib.request.Request(  # noqa: S310 (the fake on 127.0.0.1)
        fake.url + path, data=data, method=method, headers=merged
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            return answer.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


SECRET = "/repos/acme/web/actions/secrets/DEPLOY_TOKEN"


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status"),
    [
        ("GET", "/repos/acme/web/actions/secrets/public-key", None, {"Authorization": None}, 401),
        ("GET", "/repos/acme/web/actions/secrets/public-key", None, {"User-Agent": ""}, 403),
        (
            "GET",
            "/repos/acme/web/actions/secrets/public-key",
            None,
            {"X-GitHub-Api-Version": "2021-01-01"},
            400,
        ),
        ("GET", "/repos/acme/web/actions/secrets/public-key", None, {"Accept": "text/html"}, 415),
        ("POST", "/repos/acme/web/actions/secrets/public-key", None, {}, 404),
        ("GET", "/repos/acme/web/actions/variables/X", None, {}, 404),
        ("PUT", SECRET, b"{not json", {}, 400),
        ("PUT", SECRET, {"encrypted_value": "AAAA", "key_id": "wrong"}, {}, 422),
        ("PUT", SECRET, {"encrypted_value": "AAAA", "key_id": "K", "visibility": "all"}, {}, 422),
        (
            "PUT",
            "/repos/acme/web/actions/secrets/GITHUB_X",
            {"encrypted_value": "AA", "key_id": "K"},
            {},
            422,
        ),
    ],
)
def test_the_fake_refuses_what_github_refuses(github_fake, method, path, body, headers, status):
    if isinstance(body, dict) and body.get("key_id") == "K":
        body["key_id"] = github_fake.key_for(("acme/web", None))[0]
    assert _raw(github_fake, method, path, body, **headers) == status


def test_the_fake_refuses_a_value_not_sealed_to_its_key(github_fake):
    key_id = github_fake.key_for(("acme/web", None))[0]
    stranger = base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()
    other = github.seal(stranger, "value")  # sealed to a key the fake does not hold
    assert _raw(github_fake, "PUT", SECRET, {"encrypted_value": other, "key_id": key_id}) == 422
    assert _raw(github_fake, "PUT", SECRET, {"encrypted_value": "%%", "key_id": key_id}) == 422
    assert github_fake.secrets.get(("acme/web", None), {}) == {}
