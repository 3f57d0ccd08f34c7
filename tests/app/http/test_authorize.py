"""GET /v1/authorize as a gateway relies on it: what the 204 tells the deployer, the
names it takes percent-encoded, and what it refuses, through Falcon's test client over a
real database on each backend. (The real nginx in front: tests/scenarios/test_gateway.py.)
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from falcon import testing

from app.http.application import create_app
from app.lifecycle import Expiry


@pytest.fixture
def web(service):
    service.add_project("web")
    service.add_project("api")
    service.add_environment("web", "production")
    service.add_environment("web", "Staging")
    return service


@pytest.fixture
def client(service):
    return testing.TestClient(create_app(lambda: service))


def authorize(client, token, project="web", environment=None):
    headers = {"Authorization": f"Bearer {token}", "X-Deployment-Project": project}
    if environment is not None:
        headers["X-Deployment-Environment"] = environment
    return client.simulate_get("/v1/authorize", headers=headers)


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
