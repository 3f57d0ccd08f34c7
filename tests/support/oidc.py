"""A local OIDC issuer for the trusted-deployer tests: discovery and JWKS over HTTP on
loopback, RSA and EC keys made here, and ID tokens shaped like GitHub Actions' and GitLab
CI's, signed with RS256 or ES256 (or forged)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

AUDIENCE = "deployment-tokens:deploy.example.com"
GITHUB_REPOSITORY_ID = "123456789"
GITHUB_OWNER_ID = "987654"
GITLAB_PROJECT_ID = "4242"
GITLAB_NAMESPACE_ID = "77"


def github_claims(issuer: str, **overrides: Any) -> dict[str, Any]:
    """The claims of a GitHub Actions ID token (docs.github.com, "About security hardening
    with OpenID Connect"), for a job in environment production of acme/web."""
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": "repo:acme/web:environment:production",
        "jti": str(uuid.uuid4()),
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "repository": "acme/web",
        "repository_id": GITHUB_REPOSITORY_ID,
        "repository_owner": "acme",
        "repository_owner_id": GITHUB_OWNER_ID,
        "repository_visibility": "private",
        "environment": "production",
        "ref": "refs/heads/main",
        "ref_type": "branch",
        "ref_protected": "true",
        "workflow": "deploy",
        "workflow_ref": "acme/web/.github/workflows/deploy.yml@refs/heads/main",
        "job_workflow_ref": "acme/web/.github/workflows/deploy.yml@refs/heads/main",
        "event_name": "push",
        "actor": "octocat",
        "actor_id": "583231",
        "run_id": "1",
        "run_number": "1",
        "run_attempt": "1",
        "runner_environment": "github-hosted",
    }
    claims.update(overrides)
    return claims


def gitlab_claims(issuer: str, **overrides: Any) -> dict[str, Any]:
    """The claims of a GitLab CI ``id_tokens`` token (docs.gitlab.com, "OpenID Connect
    (OIDC) Authentication Using ID Tokens"), for a deploy job of group/web on main."""
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": "project_path:group/web:ref_type:branch:ref:main",
        "jti": str(uuid.uuid4()),
        "iat": now,
        "nbf": now - 5,
        "exp": now + 3600,
        "namespace_id": GITLAB_NAMESPACE_ID,
        "namespace_path": "group",
        "project_id": GITLAB_PROJECT_ID,
        "project_path": "group/web",
        "user_id": "1",
        "user_login": "root",
        "user_email": "root@example.com",
        "user_access_level": "owner",
        "pipeline_id": "1",
        "pipeline_source": "push",
        "job_id": "1",
        "ref": "main",
        "ref_type": "branch",
        "ref_path": "refs/heads/main",
        "ref_protected": "true",
        "environment": "production",
        "environment_protected": "true",
        "deployment_tier": "production",
        "runner_id": 1,
        "runner_environment": "self-hosted",
        "sha": "714a629c0b401fdce83e847fc9589983fc6f46bc",
        "ci_config_ref_uri": "gitlab.example.com/group/web//.gitlab-ci.yml@refs/heads/main",
        "ci_config_sha": "714a629c0b401fdce83e847fc9589983fc6f46bc",
        "project_visibility": "private",
    }
    claims.update(overrides)
    return claims


class LocalIssuer:
    """An OIDC issuer on 127.0.0.1: ``/.well-known/openid-configuration`` and ``/jwks``."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {
            "rsa-1": rsa.generate_private_key(public_exponent=65537, key_size=2048),
            "ec-1": ec.generate_private_key(ec.SECP256R1()),
        }
        self.up = True
        self.paths: list[str] = []
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                issuer.paths.append(self.path)
                if not issuer.up:
                    self.send_error(503)
                    return
                if self.path == "/.well-known/openid-configuration":
                    body = {"issuer": issuer.url, "jwks_uri": issuer.url + "/jwks"}
                elif self.path == "/jwks":
                    body = issuer.jwks()
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def jwks(self) -> dict[str, Any]:
        listed = []
        for kid, key in self.keys.items():
            if isinstance(key, rsa.RSAPrivateKey):
                jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
                jwk["alg"] = "RS256"
            else:
                jwk = ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
                jwk["alg"] = "ES256"
            listed.append({**jwk, "kid": kid, "use": "sig"})
        return {"keys": listed}

    def sign(self, claims: dict[str, Any], kid: str = "rsa-1", **headers: Any) -> str:
        """``claims`` signed with key ``kid`` (RS256 for RSA keys, ES256 for EC ones)."""
        key = self.keys[kid]
        algorithm = "RS256" if isinstance(key, rsa.RSAPrivateKey) else "ES256"
        return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": kid, **headers})

    def rotate(self) -> str:
        """A new RSA key, listed from now on; its kid."""
        kid = f"rsa-{len(self.keys) + 1}"
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return kid

    def github(self, **overrides: Any) -> dict[str, Any]:
        return github_claims(self.url, **overrides)

    def gitlab(self, **overrides: Any) -> dict[str, Any]:
        return gitlab_claims(self.url, **overrides)

    def start(self) -> None:
        # Polled every 50 ms, not 500: stopping it waits for the next poll.
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def running_issuer() -> Iterator[LocalIssuer]:
    issuer = LocalIssuer()
    issuer.start()
    try:
        yield issuer
    finally:
        issuer.stop()


def forged(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    """A JWT put together by hand: what no library would sign (alg none, say)."""
    import base64

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return ".".join(
        [part(json.dumps(header).encode()), part(json.dumps(claims).encode()), part(signature)]
    )
