"""The WSGI application (``app.http.application``): every endpoint routed, error pages in
plain text, and the trusted proxies checked when it is made."""

from __future__ import annotations

import pytest

from app.http.application import create_app


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/healthz", 200),
        ("GET", "/readyz", 200),
        ("GET", "/metrics", 200),
        ("GET", "/v1/authorize", 401),
        ("POST", "/v1/introspect", 401),
        ("GET", "/v1/revocable_token_types", 401),
        ("POST", "/v1/revoke_tokens", 401),
    ],
)
def test_each_endpoint_is_routed(client, web, method, path, status):
    assert client.simulate_request(method, path).status_code == status


def test_what_is_not_an_endpoint_is_a_plain_404_or_405(client, web):
    missing = client.simulate_get("/v1/nothing")
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == "text/plain"
    assert "<" not in missing.text
    assert client.simulate_delete("/v1/authorize").status_code == 405


def test_a_trusted_proxy_that_is_no_address_is_refused_when_the_app_is_made(service):
    with pytest.raises(ValueError, match=r"nginx\.local"):
        create_app(lambda: service, trusted_proxies=["10.0.0.0/8", "nginx.local"])
