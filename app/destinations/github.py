"""Pushing to a GitHub Actions secret, of a repository or of one of its environments.

GitHub takes a secret only sealed to the repository's (or environment's) public key with
libsodium's sealed box; its value can never be read back, so a push is confirmed by the
secret being listed with a fresh ``updated_at``.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from app.destinations.targets import Receipt, Target, credential_variable, github_api_url
from app.destinations.transport import TIMEOUT_SECONDS, Client, DestinationError

API_VERSION = "2022-11-28"
CHECK_SECRET = "DEPLOYMENT_TOKENS_CHECK"  # noqa: S105 (a name, not a value)


def push(
    target: Target,
    value: str,
    metadata: Mapping[str, str],
    credential: str,
    environ: Mapping[str, str],
    *,
    timeout: float = TIMEOUT_SECONDS,
) -> Receipt:
    """Seal ``value`` to the key GitHub gives and store it as the target's secret.

    ``metadata`` is not sent: an Actions secret has no place for it.
    """
    client = _client(target, credential, environ, timeout, value)
    updated = _put_and_confirm(client, target, target.name, value)
    return Receipt(target.describe(), None, f"secret listed, updated {updated}")


def check(
    target: Target,
    credential: str,
    environ: Mapping[str, str],
    *,
    timeout: float = TIMEOUT_SECONDS,
) -> Receipt:
    """Write a throwaway secret beside the target's, see it listed, and delete it."""
    client = _client(target, credential, environ, timeout)
    marker = secrets.token_urlsafe(15)
    updated = _put_and_confirm(client, target, CHECK_SECRET, marker)
    base = _secrets_path(target)
    client.call("DELETE", f"{base}/{CHECK_SECRET}", f"secret {CHECK_SECRET} of {_scope(target)}")
    return Receipt(
        target.describe(), None, f"test secret {CHECK_SECRET} written ({updated}) and deleted"
    )


def seal(public_key: str, value: str) -> str:
    """``value`` sealed to GitHub's base64 public key, as base64 (libsodium's
    crypto_box_seal: only the holder of the private key can open it)."""
    # Here, not at the top: the sealed box loads libsodium, needed only when pushing.
    from nacl.exceptions import CryptoError
    from nacl.public import PublicKey, SealedBox

    try:
        key = PublicKey(base64.b64decode(public_key, validate=True))
        sealed = SealedBox(key).encrypt(value.encode("utf-8"))
    except (binascii.Error, ValueError, CryptoError, RuntimeError):
        # libsodium refuses a malformed or low-order key rather than seal to it.
        raise DestinationError("GitHub's public key for the secret is not a valid key") from None
    return base64.b64encode(sealed).decode("ascii")


def _put_and_confirm(client: Client, target: Target, name: str, value: str) -> str:
    """Seal and PUT one secret, then read its listing; its ``updated_at``."""
    base = _secrets_path(target)
    scope = _scope(target)
    key = client.call("GET", f"{base}/public-key", scope).body
    if not isinstance(key, dict) or not isinstance(key.get("key"), str):
        raise DestinationError(f"GitHub gave no public key for {scope}")
    body = {"encrypted_value": seal(key["key"], value), "key_id": str(key.get("key_id", ""))}
    what = f"secret {name} of {scope}"
    answer = client.call("PUT", f"{base}/{name}", what, body)
    if answer.status not in (201, 204):
        raise DestinationError(f"GitHub answered {answer.status} to storing {what}", answer.status)
    listed: Any = client.call("GET", f"{base}/{name}", what).body
    if not isinstance(listed, dict) or str(listed.get("name", "")).upper() != name.upper():
        raise DestinationError(f"GitHub does not list {what} after storing it")
    return str(listed.get("updated_at") or "at an unknown time")


def _client(
    target: Target, credential: str, environ: Mapping[str, str], timeout: float, value: str = ""
) -> Client:
    return Client(
        base_url=github_api_url(target, environ),
        service="GitHub",
        variable=credential_variable(target, environ),
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {credential}",
            "X-GitHub-Api-Version": API_VERSION,
        },
        secrets=(credential, value),
        timeout=timeout,
    )


def _secrets_path(target: Target) -> str:
    owner, _, repository = target.location.partition("/")
    base = f"/repos/{quote(owner, safe='')}/{quote(repository, safe='')}"
    if target.scope is None:
        return f"{base}/actions/secrets"
    return f"{base}/environments/{quote(target.scope, safe='')}/secrets"


def _scope(target: Target) -> str:
    if target.scope is None:
        return f"repository {target.location}"
    return f"environment {target.scope} of {target.location}"
