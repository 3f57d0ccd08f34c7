"""Pushing to an OpenBao or Vault KV version 2 secret (the two speak the same API).

A push reads the secret, merges the token into its one field (every other field is
kept), writes it with check-and-set on the version it read, so a write that happened
meanwhile fails instead of being overwritten, records who and what in the secret's custom
metadata, and reads the written version back. The token's value is compared in constant
time and never quoted.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from app.destinations.targets import Receipt, Target, credential_variable
from app.destinations.transport import (
    TIMEOUT_SECONDS,
    Client,
    DestinationError,
    Response,
    ssl_context,
)

CHECK_KEY = "deployment_tokens_check"
# What a push needs, by path: check() asks the server whether the credential has it.
NEEDED = {"data": ("create", "read", "update"), "metadata": ("create", "read", "update")}


def push(
    target: Target,
    value: str,
    metadata: Mapping[str, str],
    credential: str,
    environ: Mapping[str, str],
    *,
    timeout: float = TIMEOUT_SECONDS,
) -> Receipt:
    """Write ``value`` into the target's field; the receipt names the version written."""
    client = _client(target, credential, environ, timeout, value)
    data_path, metadata_path = _paths(target)
    version, data, custom = _read(client, target, data_path)
    written = _write(client, target, data_path, version, {**data, target.name: value})
    _call(
        client,
        "POST",
        metadata_path,
        f"the metadata of {target.location}",
        {"custom_metadata": {**custom, **metadata}},
    )
    _version, stored, _custom = _read(client, target, data_path, written)
    held = stored.get(target.name)
    if not isinstance(held, str) or not hmac.compare_digest(
        held.encode("utf-8"), value.encode("utf-8")
    ):
        raise DestinationError(
            f"version {written} of {target.location} does not hold the new value in field "
            f"{target.name} when read back"
        )
    return Receipt(target.describe(), str(written), f"read back version {written}")


def restore(
    target: Target,
    written: int,
    credential: str,
    environ: Mapping[str, str],
    *,
    timeout: float = TIMEOUT_SECONDS,
) -> str | None:
    """Put back the data of the version before ``written`` (KV v2 keeps it), when a
    token pushed as ``written`` was revoked after all: the pipeline keeps the token that
    still works. Check-and-set on ``written``: a later write is never undone. Says what
    it did, or None when there was nothing before it."""
    if written < 2:
        return None
    client = _client(target, credential, environ, timeout)
    data_path, _metadata_path = _paths(target)
    _version, before, _custom = _read(client, target, data_path, written - 1)
    if not before:
        return None  # deleted or destroyed since: nothing to put back
    again = _write(client, target, data_path, written, before)
    return f"version {written - 1} put back as version {again}"


def check(
    target: Target,
    credential: str,
    environ: Mapping[str, str],
    *,
    timeout: float = TIMEOUT_SECONDS,
) -> Receipt:
    """Prove the credential can push here without touching the secret's data: ask for its
    capabilities, write a marker into the custom metadata and read it back."""
    client = _client(target, credential, environ, timeout)
    _data_path, metadata_path = _paths(target)
    _require_capabilities(client, target)
    what = f"the metadata of {target.location}"
    answer = _call(client, "GET", metadata_path, what, allow=(404,))
    metadata = _inner(answer)
    custom = _strings(metadata.get("custom_metadata"))
    marker = datetime.now(UTC).isoformat(timespec="microseconds")
    _call(client, "POST", metadata_path, what, {"custom_metadata": {**custom, CHECK_KEY: marker}})
    reread = _inner(_call(client, "GET", metadata_path, what))
    if _strings(reread.get("custom_metadata")).get(CHECK_KEY) != marker:
        raise DestinationError(f"the check marker written to {what} did not read back")
    current = reread.get("current_version")
    version = str(current) if isinstance(current, int) and current > 0 else None
    return Receipt(target.describe(), version, f"metadata marker read back ({marker})")


def _client(
    target: Target,
    credential: str,
    environ: Mapping[str, str],
    timeout: float,
    value: str = "",
) -> Client:
    headers = {"X-Vault-Token": credential}
    namespace = _first(environ, "VAULT_NAMESPACE", "BAO_NAMESPACE")
    if namespace:
        headers["X-Vault-Namespace"] = namespace
    # As the vault and bao CLIs do: a private CA's certificate for a server of one's own.
    context = ssl_context(
        _first(environ, "VAULT_CACERT", "BAO_CACERT"), _first(environ, "VAULT_CAPATH", "BAO_CAPATH")
    )
    return Client(
        base_url=target.url + "/v1/",
        service="OpenBao/Vault",
        variable=credential_variable(target, environ),
        headers=headers,
        secrets=(credential, value),
        timeout=timeout,
        context=context,
    )


def _paths(target: Target, *, encoded: bool = True) -> tuple[str, str]:
    """The API paths of the secret's data and metadata: the mount is the first segment."""
    segments = target.location.split("/")
    if encoded:
        segments = [quote(segment, safe="") for segment in segments]
    mount, rest = segments[0], "/".join(segments[1:])
    return f"{mount}/data/{rest}", f"{mount}/metadata/{rest}"


def _read(
    client: Client, target: Target, data_path: str, version: int | None = None
) -> tuple[int, dict[str, Any], dict[str, str]]:
    """(current version, data, custom metadata); version 0 and no data when there is no
    secret yet. A secret whose current version was deleted or destroyed still has its
    version number: check-and-set must name it."""
    query = "" if version is None else f"?version={version}"
    answer = _call(client, "GET", data_path + query, target.location, allow=(404,))
    inner = _inner(answer)
    if answer.status == 404 and not inner:
        if isinstance(answer.body, dict) and answer.body.get("errors"):
            # Vault's 404 with errors is a route it does not know: no mount of that name.
            raise DestinationError(
                f"not found (404): no KV version 2 mount at {target.location.split('/')[0]}/ "
                f"on {target.url}",
                404,
            )
        return 0, {}, {}
    metadata = inner.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    current = metadata.get("version")
    data = inner.get("data")
    return (
        current if isinstance(current, int) else 0,
        data if isinstance(data, dict) and answer.status == 200 else {},
        _strings(metadata.get("custom_metadata")),
    )


def _write(
    client: Client, target: Target, data_path: str, version: int, data: dict[str, Any]
) -> int:
    body = {"options": {"cas": version}, "data": data}
    try:
        answer = _call(client, "POST", data_path, target.location, body)
    except DestinationError as error:
        if error.status is None:  # the connection broke: did the write land?
            landed = _landed(client, target, data_path, version, data)
            if landed is None:
                raise
            return landed
        if error.status != 400 or "check-and-set" not in str(error):
            raise
        now, stored, _custom = _read(client, target, data_path)
        if now == version + 1 and _same(stored.get(target.name), data[target.name]):
            return now  # our own write, whose answer was lost, then sent again
        raise DestinationError(
            f"check-and-set conflict: {target.location} changed meanwhile (now version {now}); "
            "nothing was overwritten",
            409,
        ) from None
    written = _inner(answer).get("version")
    if not isinstance(written, int):
        raise DestinationError(
            f"{target.location.split('/')[0]}/ on {target.url} did not answer as a KV version 2 "
            "mount does (no version in its answer)"
        )
    return written


def _landed(
    client: Client, target: Target, data_path: str, version: int, data: dict[str, Any]
) -> int | None:
    """After a write whose answer never came: the version it made if it landed (the next
    version holds our value), else write it again once; None when the server is still
    out of reach (the caller raises the first error)."""
    try:
        now, stored, _custom = _read(client, target, data_path)
    except DestinationError:
        return None
    if now == version + 1 and _same(stored.get(target.name), data[target.name]):
        return now
    if now != version:
        return None  # someone else wrote meanwhile: the caller's error stands
    body = {"options": {"cas": version}, "data": data}
    written = _inner(_call(client, "POST", data_path, target.location, body)).get("version")
    return written if isinstance(written, int) else None


def _same(held: object, value: object) -> bool:
    """In constant time: the token is compared, never quoted."""
    return (
        isinstance(held, str)
        and isinstance(value, str)
        and hmac.compare_digest(held.encode("utf-8"), value.encode("utf-8"))
    )


def _require_capabilities(client: Client, target: Target) -> None:
    # Policies name paths as written, not URL-encoded.
    data_path, metadata_path = _paths(target, encoded=False)
    try:
        answer = client.call(
            "POST",
            "sys/capabilities-self",
            "the credential's capabilities",
            {"paths": [data_path, metadata_path]},
        )
    except DestinationError as error:
        if error.status == 403:
            # A token without the default policy may not ask; the marker still tells.
            return
        raise
    body = _inner(answer) or (answer.body if isinstance(answer.body, dict) else {})
    for kind, path in (("data", data_path), ("metadata", metadata_path)):
        granted = body.get(path)
        if not isinstance(granted, list) or "root" in granted:
            continue
        missing = [need for need in NEEDED[kind] if need not in granted]
        if missing:
            raise DestinationError(
                f"the credential may not do this (403): its policies lack {', '.join(missing)} "
                f"on {path}; check {client.variable}",
                403,
            )


def _call(
    client: Client,
    method: str,
    path: str,
    what: str,
    body: Any = None,
    *,
    allow: tuple[int, ...] = (),
) -> Response:
    """A call whose 403 says whether the token itself is refused: Vault answers an
    unknown or expired token with the same 403 as a missing capability."""
    try:
        return client.call(method, path, what, body, allow=allow)
    except DestinationError as error:
        if error.status != 403 or _token_is_valid(client):
            raise
        raise DestinationError(
            f"the credential was refused (403): check {client.variable} "
            "(unknown, expired or revoked token)",
            403,
        ) from None


def _token_is_valid(client: Client) -> bool:
    try:
        client.call("GET", "auth/token/lookup-self", "the credential")
    except DestinationError as error:
        return error.status != 403
    return True


def _inner(answer: Response) -> dict[str, Any]:
    body = answer.body
    inner = body.get("data") if isinstance(body, dict) else None
    return inner if isinstance(inner, dict) else {}


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(key): str(item) for key, item in value.items()}


def _first(environ: Mapping[str, str], *names: str) -> str | None:
    return next((environ[name] for name in names if environ.get(name, "").strip()), None)
