"""What the endpoints' tests share: the service's application under Falcon's test client,
over a real database on each backend, with projects to verify tokens of."""

from __future__ import annotations

import pytest
from falcon import testing

from app.http.application import Metrics, create_app
from tests.support.endpoints import Secret


@pytest.fixture
def web(service):
    """Projects "web" (with environments "production" and "Staging") and "api"; the
    service that made them."""
    service.add_project("web")
    service.add_project("api")
    service.add_environment("web", "production")
    service.add_environment("web", "Staging")
    return service


@pytest.fixture
def metrics():
    return Metrics()


@pytest.fixture
def client(service, metrics):
    return testing.TestClient(create_app(lambda: service, metrics))


@pytest.fixture
def revocation_key(web):
    """A revocation key "gitlab"."""
    _, key = web.add_revocation_key("gitlab")
    return Secret(key)
