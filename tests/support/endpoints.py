"""Requests to the verification service's endpoints as gateways, pipelines and GitLab
send them, through Falcon's test client."""

from __future__ import annotations

import base64


class Secret(str):
    """A secret that a failing test's report shows as its prefix alone."""

    def __repr__(self) -> str:
        return repr(self[:5] + "\u2026")


def authorize(client, token=None, project="web", environment=None, **headers):
    """GET /v1/authorize with the token as a bearer and the scope headers given."""
    sent = dict(headers)
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if project is not None:
        sent["X-Deployment-Project"] = project
    if environment is not None:
        sent["X-Deployment-Environment"] = environment
    return client.simulate_get("/v1/authorize", headers=sent)


def introspect(client, form, name="gateway", secret=None):
    """POST /v1/introspect with ``form``, as client ``name`` (Basic) when given a secret."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if secret is not None:
        credentials = base64.b64encode(f"{name}:{secret}".encode()).decode()
        headers["Authorization"] = f"Basic {credentials}"
    return client.simulate_post("/v1/introspect", body=form, headers=headers)


def introspect_from(client, address, form, name="gateway", secret=None, **headers):
    """POST /v1/introspect from the peer ``address``."""
    sent = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    if secret is not None:
        sent["Authorization"] = "Basic " + base64.b64encode(f"{name}:{secret}".encode()).decode()
    return client.simulate_post("/v1/introspect", body=form, headers=sent, remote_addr=address)


def revoke_tokens(client, key, body, **headers):
    """POST /v1/revoke_tokens (GitLab's Token Revocation API) with ``key``."""
    sent = {"Content-Type": "application/json", **headers}
    if key is not None:
        sent.setdefault("Authorization", key)
    return client.simulate_post("/v1/revoke_tokens", json=body, headers=sent)
