"""Destinations: hand a freshly issued token to where CI reads it, without a clipboard.

``push`` and ``check`` take the credential from the environment (as each tool's own CLI
does) and dispatch by the target's kind. The kind's module is imported only then: listing
or adding destinations must not load urllib.request or libsodium.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

from app.destinations.targets import (
    CREDENTIAL_VARIABLES,
    GITHUB,
    GITLAB,
    KINDS,
    VAULT,
    Receipt,
    Target,
    credential,
    github_api_url,
    github_target,
    gitlab_target,
    vault_target,
)

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType

__all__ = [
    "CREDENTIAL_VARIABLES",
    "GITHUB",
    "GITLAB",
    "KINDS",
    "TIMEOUT_SECONDS",
    "VAULT",
    "Receipt",
    "Target",
    "check",
    "credential",
    "github_api_url",
    "github_target",
    "gitlab_target",
    "push",
    "restore",
    "vault_target",
]

# transport.TIMEOUT_SECONDS, repeated so that importing this package loads no urllib.
TIMEOUT_SECONDS = 10.0
_MODULES = {
    VAULT: "app.destinations.vault",
    GITHUB: "app.destinations.github",
    GITLAB: "app.destinations.gitlab",
}


def push(
    target: Target,
    value: str,
    metadata: Mapping[str, str],
    environ: Mapping[str, str],
    *,
    timeout: float = TIMEOUT_SECONDS,
) -> Receipt:
    """Write ``value`` to the target and confirm it; ConfigurationError when no credential
    is set, ``transport.DestinationError`` when the service does not take it."""
    key = credential(target, environ)
    receipt: Receipt = _module(target).push(target, value, metadata, key, environ, timeout=timeout)
    return receipt


def restore(
    target: Target,
    receipt: Receipt,
    environ: Mapping[str, str],
    *,
    timeout: float = TIMEOUT_SECONDS,
) -> str | None:
    """After a pushed token was revoked (a later step failed): put the value before it back
    where the service keeps versions (OpenBao/Vault), saying what was done; None where it
    cannot (GitHub and GitLab never give a value back)."""
    if target.kind != VAULT or receipt.version is None or not receipt.version.isdigit():
        return None
    from app.destinations import vault

    return vault.restore(
        target, int(receipt.version), credential(target, environ), environ, timeout=timeout
    )


def check(
    target: Target, environ: Mapping[str, str], *, timeout: float = TIMEOUT_SECONDS
) -> Receipt:
    """Prove the credential can push to the target, without touching the token there."""
    key = credential(target, environ)
    receipt: Receipt = _module(target).check(target, key, environ, timeout=timeout)
    return receipt


def _module(target: Target) -> ModuleType:
    return importlib.import_module(_MODULES[target.kind])
