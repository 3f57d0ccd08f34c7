"""A fake of GitHub's Actions secrets endpoints, following its documentation to the letter:
it refuses what GitHub refuses, and opens every sealed value with the private key it holds."""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from tests.support.destinations.http_fake import FakeService, json_body, now_iso

GITHUB_API_VERSION = "2022-11-28"


@dataclass
class StoredSecret:
    plaintext: str
    key_id: str
    created_at: str
    updated_at: str


@dataclass
class GitHubFake(FakeService):
    """GitHub's Actions secrets endpoints for repositories and environments, nothing else.

    ``repositories`` maps OWNER/REPO to its environments; ``secrets`` maps (repository,
    environment or None) to {NAME: StoredSecret}. ``read_only_token`` may read, not write.
    """

    repositories: dict[str, set[str]] = field(
        default_factory=lambda: {"acme/web": {"production", "staging eu"}}
    )
    secrets: dict[tuple[str, str | None], dict[str, StoredSecret]] = field(default_factory=dict)
    read_only_token: str = field(default_factory=lambda: "ro-" + secrets.token_urlsafe(18))
    keys: dict[tuple[str, str | None], tuple[str, PrivateKey]] = field(default_factory=dict)

    def secret(self, repository: str, name: str, environment: str | None = None) -> StoredSecret:
        return self.secrets[(repository, environment)][name]

    def key_for(self, scope: tuple[str, str | None]) -> tuple[str, PrivateKey]:
        if scope not in self.keys:
            self.keys[scope] = (str(secrets.randbelow(10**18)), PrivateKey.generate())
        return self.keys[scope]

    def answer(
        self, method: str, path: str, query: list[tuple[str, str]], headers: Any, raw: bytes
    ) -> tuple[int, Any]:
        auth = headers.get("Authorization", "")
        tokens = {self.token, self.read_only_token}
        given = auth.removeprefix("Bearer ").removeprefix("token ")
        if not auth:
            return 401, _gh("Requires authentication", 401)
        if given not in tokens or given == auth:
            return 401, _gh("Bad credentials", 401)
        if not headers.get("User-Agent"):
            return 403, _gh(
                "Request forbidden by administrative rules. Please make sure your "
                "request has a User-Agent header",
                403,
            )
        version = headers.get("X-GitHub-Api-Version")
        if version != GITHUB_API_VERSION:
            return 400, _gh(f"API version '{version}' is not supported.", 400)
        if headers.get("Accept") != "application/vnd.github+json":
            return 415, _gh("Unsupported 'Accept' header", 415)
        match = re.fullmatch(
            r"/repos/([^/]+)/([^/]+)/(?:actions|environments/([^/]+))/secrets/([^/]+)", path
        )
        if match is None or query:
            return 404, _gh("Not Found", 404)
        repository = f"{match[1]}/{match[2]}"
        environment = None if match[3] is None else unquote(match[3])
        if repository not in self.repositories or (
            environment is not None and environment not in self.repositories[repository]
        ):
            return 404, _gh("Not Found", 404)
        scope = (repository, environment)
        name = match[4]
        if name == "public-key":
            if method != "GET":
                return 404, _gh("Not Found", 404)
            key_id, private = self.key_for(scope)
            return 200, {
                "key_id": key_id,
                "key": base64.b64encode(bytes(private.public_key)).decode(),
            }
        if method in ("PUT", "DELETE") and given == self.read_only_token:
            return 403, _gh("Resource not accessible by personal access token", 403)
        stored = self.secrets.setdefault(scope, {})
        if method == "GET":
            found = stored.get(name.upper())
            if found is None:
                return 404, _gh("Not Found", 404)
            return 200, {
                "name": name.upper(),
                "created_at": found.created_at,
                "updated_at": found.updated_at,
            }
        if method == "DELETE":
            return (204, None) if stored.pop(name.upper(), None) else (404, _gh("Not Found", 404))
        if method != "PUT":
            return 404, _gh("Not Found", 404)
        return self._put(scope, name, headers, raw)

    def _put(
        self, scope: tuple[str, str | None], name: str, headers: Any, raw: bytes
    ) -> tuple[int, Any]:
        body, problem = json_body(headers, raw)
        if body is None:
            return 400, _gh(problem, 400)
        unknown = set(body) - {"encrypted_value", "key_id"}
        if (
            unknown
            or not isinstance(body.get("encrypted_value"), str)
            or not isinstance(body.get("key_id"), str)
        ):
            return 422, _gh(f"Invalid request. Unknown or missing fields: {sorted(unknown)}", 422)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name.upper().startswith("GITHUB_"):
            return 422, _gh(
                "Secret names can only contain alphanumeric characters or "
                "underscores, must not start with a number or GITHUB_",
                422,
            )
        key_id, private = self.key_for(scope)
        if body["key_id"] != key_id:
            return 422, _gh("Bad request: key_id does not match", 422)
        try:
            sealed = base64.b64decode(body["encrypted_value"], validate=True)
            plaintext = SealedBox(private).decrypt(sealed).decode("utf-8")
        except (binascii.Error, CryptoError, UnicodeDecodeError, ValueError):
            return 422, _gh("Bad request: encrypted_value is not valid", 422)
        stored = self.secrets.setdefault(scope, {})
        existing = stored.get(name.upper())
        created = existing.created_at if existing else now_iso()
        stored[name.upper()] = StoredSecret(plaintext, key_id, created, now_iso())
        return (204 if existing else 201), None


def _gh(message: str, status: int) -> dict[str, str]:
    return {
        "message": message,
        "documentation_url": "https://docs.github.com/rest/actions/secrets",
        "status": str(status),
    }
