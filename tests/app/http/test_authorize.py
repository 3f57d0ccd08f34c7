"""GET /v1/authorize as a gateway relies on it: what the 204 tells the deployer, the
names it takes percent-encoded, and what it refuses, through Falcon's test client over a
real database on each backend. (The real nginx in front: tests/scenarios/test_gateway.py.)
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from app import tokens
from app.lifecycle import Expiry
from app.store.storage import VERIFY_FILE_RECHECK_SECONDS
from tests.support.endpoints import authorize


def test_a_valid_token_is_allowed_with_its_project_and_id(client, web):
    record, plaintext = web.generate("web")
    result = authorize(client, plaintext)
    assert result.status_code == 204
    assert result.headers["X-Deployment-Project"] == "web"
    assert result.headers["X-Deployment-Token-Id"] == str(record.id)
    assert authorize(client, plaintext, environment="production").status_code == 204


@pytest.mark.parametrize(
    "token",
    [None, "", "mldt_short", tokens.new_token()],
    ids=["missing", "empty", "malformed", "unknown"],
)
def test_no_good_token_is_401_with_a_bearer_challenge(client, web, token):
    result = authorize(client, token)
    assert result.status_code == 401
    assert result.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_and_expired_tokens_are_401(client, web, database_url):
    record, revoked = web.generate("web")
    web.revoke("web", record.id)
    assert authorize(client, revoked).status_code == 401
    _, expiring = web.generate("web", expiry=Expiry.after(timedelta(microseconds=1)))
    assert authorize(client, expiring).status_code == 401


def test_a_valid_token_for_another_project_or_environment_is_403(client, web):
    _, plaintext = web.generate("web", environments=["staging"])
    assert authorize(client, plaintext, project="api").status_code == 403
    refused = authorize(client, plaintext, environment="production")
    assert refused.status_code == 403
    assert "not allowed in environment 'production'" in refused.text
    assert plaintext not in refused.text


def test_the_204_tells_the_environment_checked_and_the_tokens_environments(client, web):
    record, limited = web.generate("web", environments=["staging", "production"])
    allowed = authorize(client, limited, "WEB", environment="STAGING")
    assert allowed.status_code == 204
    assert allowed.headers["X-Deployment-Project"] == "web"
    assert allowed.headers["X-Deployment-Token-Id"] == str(record.id)
    assert allowed.headers["X-Deployment-Environment"] == "Staging"
    assert allowed.headers["X-Deployment-Environments"] == "production,Staging"
    _, anywhere = web.generate("web")
    unnamed = authorize(client, anywhere)
    assert unnamed.status_code == 204
    assert "X-Deployment-Environment" not in unnamed.headers
    assert unnamed.headers["X-Deployment-Environments"] == ""


def test_a_token_limited_to_environments_is_403_without_one(client, web):
    _, limited = web.generate("web", environments=["production"])
    refused = authorize(client, limited)
    assert refused.status_code == 403
    assert refused.text == "the token is limited to environment 'production' and none was named\n"
    assert authorize(client, limited, environment="production").status_code == 204


def test_an_expired_token_is_401_whatever_project_is_named(client, web):
    _, expired = web.generate("web", expiry=Expiry.after(timedelta(microseconds=1)))
    for project in ("api", "web", "nowhere"):
        refused = authorize(client, expired, project)
        assert refused.status_code == 401
        assert "web" not in refused.text


def test_a_missing_project_header_is_400(client, web):
    _, plaintext = web.generate("web")
    assert authorize(client, plaintext, project=None).status_code == 400


@pytest.mark.parametrize(
    ("header", "value"),
    [("X-Deployment-Project", "web,api"), ("X-Deployment-Environment", "Staging,production")],
)
def test_two_values_of_a_scope_header_are_400(client, web, header, value):
    """WSGI servers join repeated headers with a comma: the gateway in front may have
    checked one value and passed the deployer the other."""
    _, limited = web.generate("web", environments=["staging"])
    headers = {"Authorization": f"Bearer {limited}", "X-Deployment-Project": "web"}
    headers[header] = value
    refused = client.simulate_get("/v1/authorize", headers=headers)
    assert refused.status_code == 400
    assert refused.text == f"send one {header} header (a comma is %2C)\n"


def test_names_beyond_ascii_come_and_go_percent_encoded(client, service):
    service.add_project("café")
    service.add_environment("café", "eu,ouest")
    service.add_environment("café", "100%")
    _, plaintext = service.generate("café", environments=["eu,ouest", "100%"])
    allowed = authorize(client, plaintext, "caf%C3%A9", environment="eu%2Couest")
    assert allowed.status_code == 204
    assert allowed.headers["X-Deployment-Project"] == "caf%C3%A9"
    assert allowed.headers["X-Deployment-Environment"] == "eu%2Couest"
    assert allowed.headers["X-Deployment-Environments"] == "100%25,eu%2Couest"
    assert authorize(client, plaintext, "caf%c3%a9", environment="100%25").status_code == 204


def test_a_project_name_that_is_not_ascii_comes_back_percent_encoded(client, service):
    full_width = "\uff57\uff45\uff42"  # the same key as "web"
    service.add_project(full_width)
    _, plaintext = service.generate(full_width)
    result = authorize(client, plaintext, project="web")
    assert result.status_code == 204
    assert result.headers["X-Deployment-Project"] == "%EF%BD%97%EF%BD%85%EF%BD%82"


@pytest.mark.parametrize(
    ("project", "said"),
    [
        ("caf%C3", "the X-Deployment-Project header is not percent-encoded UTF-8"),
        ("web%0Aadmin", "the X-Deployment-Project header holds a control character"),
    ],
)
def test_what_cannot_be_a_name_once_decoded_is_400(client, web, project, said):
    _, plaintext = web.generate("web")
    refused = authorize(client, plaintext, project)
    assert refused.status_code == 400
    assert refused.text == f"{said}\n"


def test_a_token_sent_as_the_project_or_environment_is_400_and_never_echoed(client, web):
    _, plaintext = web.generate("web")
    for project, environment in ((plaintext, None), ("web", plaintext)):
        result = authorize(client, plaintext, project=project, environment=environment)
        assert result.status_code == 400  # the caller's mistake, not the database's (503)
        assert plaintext not in result.text
        assert plaintext[5:20] not in result.text


@pytest.mark.parametrize("where", ["project", "environment"])
def test_a_secret_of_ours_sent_as_a_name_is_refused_and_never_echoed(client, web, where):
    _, key = web.add_revocation_key("gitlab")
    _, client_secret = web.add_client("gateway")
    _, plaintext = web.generate("web")
    for secret in (key, client_secret):
        named = {where: secret} if where == "project" else {"environment": secret}
        refused = authorize(client, plaintext, **named)
        assert refused.status_code == 400
        assert secret not in refused.text
        assert secret[5:] not in refused.text


@pytest.mark.only_backend("sqlite")
def test_with_the_database_gone_every_verification_is_503_never_401(
    client, web, database_path: Path
):
    _, plaintext = web.generate("web")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database_path}{suffix}").unlink(missing_ok=True)
    time.sleep(VERIFY_FILE_RECHECK_SECONDS * 1.5)  # verify looks at the file that often
    result = authorize(client, plaintext)
    assert result.status_code == 503
    assert result.headers["Retry-After"] == "5"
    assert client.simulate_get("/readyz").status_code == 503
    assert client.simulate_get("/healthz").status_code == 200
