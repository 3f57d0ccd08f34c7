"""Trusted deployers end to end: a CI job's ID token, signed by a local OIDC issuer, is
exchanged at a real ``serve`` for a short-lived token, which then deploys through
Debian's nginx configured with docs/nginx's locations, and is refused there once revoked
or expired. On PostgreSQL ``serve`` runs as the verify-only role, as the README has it.

The exchange goes to ``serve`` directly in the first tests, and through the shipped
locations file's ``/v1/exchange`` in the last."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest

from app.lifecycle import Expiry
from tests.scenarios.test_gateway import NGINX, deploy, running_deploy_hook, running_nginx
from tests.support.oidc import AUDIENCE, GITHUB_OWNER_ID, GITHUB_REPOSITORY_ID, running_issuer
from tests.support.serving import request, serve_process

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed (.ci/run installs it)"
)

VERIFIER = "exchange_gateway"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def issuer():
    with running_issuer() as started:
        yield started


@pytest.fixture
def bound(service, issuer):
    """Project web trusts acme/web's production jobs, for production only."""
    service.add_project("web")
    service.add_environment("web", "production")
    service.add_environment("web", "staging")
    record, _ = service.add_deployer(
        "web",
        issuer=issuer.url,
        audience=AUDIENCE,
        claims=[
            ("repository_id", GITHUB_REPOSITORY_ID),
            ("repository_owner_id", GITHUB_OWNER_ID),
            ("environment", "production"),
        ],
        environments=["production"],
        name="GitHub acme/web",
    )
    return record


@pytest.fixture
def serve_url(backend, store, database_url, bound) -> str:
    """The database as serve opens it: on PostgreSQL as a role that can verify and
    exchange and nothing else (``db grant-exchanger``)."""
    if backend != "postgresql":
        return database_url
    import psycopg

    from app.store.verifier_role import grant_verifier

    owner = f"{store.actor}@"
    # Roles are the cluster's: made once, granted on each test's database.
    with (
        psycopg.connect(database_url, autocommit=True) as admin,
        contextlib.suppress(psycopg.errors.DuplicateObject),
    ):
        admin.execute(f"CREATE ROLE {VERIFIER} LOGIN")
    grant_verifier(database_url, VERIFIER, exchanges=True)
    return database_url.replace(owner, f"{VERIFIER}@", 1)


@pytest.fixture
def stack(serve_url, tmp_path) -> Iterator[tuple[int, int, list[dict[str, object]]]]:
    """serve, the deploy hook, and nginx with the shipped locations in front of them:
    serve's port, nginx's, what the hook saw."""
    with contextlib.ExitStack() as started:
        serve_port, _ = started.enter_context(
            serve_process(serve_url, tmp_path / "serve.log", "--trusted-proxy", "127.0.0.1")
        )
        hook_port, seen = started.enter_context(running_deploy_hook())
        port = started.enter_context(running_nginx(serve_port, hook_port, tmp_path / "nginx"))
        yield serve_port, port, seen


def exchange(port: int, subject_token: str, project: str = "web") -> tuple[int, dict]:
    import json

    form = urlencode({"subject_token": subject_token, "project": project})
    status, headers, body = request(port, "POST", "/v1/exchange", FORM, form)
    assert headers["Cache-Control"] == "no-store"
    return status, json.loads(body)


def the_token_id(service) -> int:
    (record,) = service.list_tokens("web")
    return record.id


def test_an_exchanged_token_deploys_through_the_gateway_until_revoked(
    stack, service, issuer, bound
):
    serve_port, gateway, seen = stack
    subject_token = issuer.sign(issuer.github())
    status, answer = exchange(serve_port, subject_token)
    assert status == 200
    assert (answer["project"], answer["environments"]) == ("web", ["production"])
    assert (answer["token_type"], answer["expires_in"]) == ("deployment_token", 900)
    token = answer["access_token"]
    token_id = the_token_id(service)

    status, told = deploy(gateway, token, environment="production")
    assert status == 200
    assert told["headers"] == {
        "X-Deployment-Project": ["web"],
        "X-Deployment-Token-Id": [str(token_id)],
        "X-Deployment-Environment": ["production"],
        "X-Deployment-Environments": ["production"],
    }
    # Limited to the binding's environments, and to its project.
    assert deploy(gateway, token, environment="staging")[0] == 403
    assert deploy(gateway, token)[0] == 403
    service.add_project("api")
    assert deploy(gateway, token, project="api", environment="production")[0] == 403
    # The ID token is spent: a second exchange of it issues nothing.
    assert exchange(serve_port, subject_token)[0] == 401
    assert the_token_id(service) == token_id

    service.revoke("web", token_id)
    assert deploy(gateway, token, environment="production") == (401, None)
    assert len(seen) == 1
    actions = [event.action for event in service.audit_log("web") if event.token_id == token_id]
    assert actions == ["revoked", "exchanged"]


def test_an_exchanged_token_is_refused_through_the_gateway_once_expired(
    stack, service, issuer, bound
):
    """The binding's shortest lifetime is a minute: the token's end is brought forward
    instead, as a manager can, so the test need not wait it out."""
    serve_port, gateway, seen = stack
    status, answer = exchange(serve_port, issuer.sign(issuer.github(), kid="ec-1"))
    assert status == 200
    token = answer["access_token"]
    token_id = the_token_id(service)
    (record,) = service.list_tokens("web")
    assert record.expires_at is not None
    assert timedelta(minutes=14) < record.expires_at - record.created_at <= timedelta(minutes=15)
    assert deploy(gateway, token, environment="production")[0] == 200

    service.set_token_expiry("web", token_id, Expiry.after(timedelta(microseconds=1)))
    time.sleep(0.01)
    assert deploy(gateway, token, environment="production") == (401, None)
    assert len(seen) == 1


def test_refused_exchanges_issue_nothing_that_deploys(stack, service, issuer, bound):
    serve_port, _, seen = stack
    for claims, status in (
        (issuer.github(environment="staging"), 403),
        (issuer.github(repository_id="1"), 403),
        (issuer.github(aud="someone-else"), 401),
    ):
        assert exchange(serve_port, issuer.sign(claims))[0] == status
    assert service.list_tokens("web") == []
    assert seen == []


def test_the_exchange_through_the_shipped_nginx_location(stack, service, issuer, bound):
    _, gateway, seen = stack
    subject_token = issuer.sign(issuer.github())
    status, answer = exchange(gateway, subject_token)
    assert status == 200
    token = answer["access_token"]
    status, told = deploy(gateway, token, environment="production")
    assert status == 200
    assert told["headers"]["X-Deployment-Token-Id"] == [str(the_token_id(service))]
    # Spent, through the gateway too; and only POST reaches the service.
    assert exchange(gateway, subject_token)[0] == 401
    assert request(gateway, "GET", "/v1/exchange")[0] == 403
    assert len(seen) == 1
