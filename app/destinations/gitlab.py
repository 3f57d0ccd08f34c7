"""Pushing to a GitLab project's CI/CD variable, for one environment scope.

The variable is masked (never printed in job logs), protected (only protected branches
and tags see it) and raw (``$`` in it is not expanded); a new one is also hidden, which
GitLab allows only at creation, so no one reads it back in the settings page. Update
first, create when there is none: a variable's key is unique per environment scope.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from app.destinations.targets import Receipt, Target, credential_variable
from app.destinations.transport import TIMEOUT_SECONDS, Client, DestinationError

CHECK_VARIABLE = "DEPLOYMENT_TOKENS_CHECK"


def push(
    target: Target,
    value: str,
    metadata: Mapping[str, str],
    credential: str,
    environ: Mapping[str, str],
    *,
    timeout: float = TIMEOUT_SECONDS,
) -> Receipt:
    """Store ``value`` as the target's variable; ``metadata`` is not sent (a variable's
    description is readable by every maintainer, and says nothing CI needs)."""
    client = _client(target, credential, environ, timeout, value)
    what = _what(target, target.name)
    settings = {"value": value, "masked": True, "protected": True, "raw": True}
    scope = _scope(target)
    existing = client.call("GET", _variable_path(target, target.name), what, allow=(404,))
    if existing.status == 404:
        _refuse_missing_project(client, target, existing.body)
    elif isinstance(existing.body, dict) and existing.body.get("hidden") is not True:
        # Hidden can only be chosen when a variable is made: updating this one would
        # leave the token readable to the project's maintainers in GitLab's settings.
        raise DestinationError(
            f"{what} exists and is not hidden, so GitLab would show the token to the "
            "project's maintainers: delete it (Settings > CI/CD > Variables) and push "
            "again, and it is made masked, hidden and protected"
        )
    updated = client.call(
        "PUT",
        _variable_path(target, target.name),
        what,
        {**settings, "variable_type": "env_var", "environment_scope": scope},
        allow=(404,),
    )
    if updated.status == 404:
        _refuse_missing_project(client, target, updated.body)
        client.call(
            "POST",
            _variables_path(target),
            what,
            {
                "key": target.name,
                **settings,
                "masked_and_hidden": True,
                "variable_type": "env_var",
                "environment_scope": scope,
            },
        )
    listed = _confirm(client, target, target.name)
    flags = [flag for flag in ("masked", "hidden", "protected") if listed.get(flag) is True]
    return Receipt(target.describe(), None, f"variable listed ({', '.join(flags)})")


def check(
    target: Target,
    credential: str,
    environ: Mapping[str, str],
    *,
    timeout: float = TIMEOUT_SECONDS,
) -> Receipt:
    """Create a throwaway masked variable in the target's scope, read its value back and
    delete it: the target's own variable is not touched."""
    client = _client(target, credential, environ, timeout)
    marker = secrets.token_urlsafe(15)
    what = _what(target, CHECK_VARIABLE)
    body = {
        "key": CHECK_VARIABLE,
        "value": marker,
        "masked": True,
        "protected": False,
        "raw": True,
        "variable_type": "env_var",
        "environment_scope": _scope(target),
    }
    try:
        client.call("POST", _variables_path(target), what, body)
    except DestinationError as error:
        if error.status != 400 or "has already been taken" not in str(error):
            raise
        # Left behind by a check that was cut short: remove it and start over.
        client.call("DELETE", _variable_path(target, CHECK_VARIABLE), what)
        client.call("POST", _variables_path(target), what, body)
    listed = _confirm(client, target, CHECK_VARIABLE)
    read = listed.get("value")
    client.call("DELETE", _variable_path(target, CHECK_VARIABLE), what)
    if not isinstance(read, str) or not hmac.compare_digest(read, marker):
        raise DestinationError(f"the test variable {CHECK_VARIABLE} did not read back as written")
    return Receipt(target.describe(), None, f"test variable {CHECK_VARIABLE} read back and deleted")


def _confirm(client: Client, target: Target, key: str) -> dict[str, Any]:
    """The variable as GitLab lists it, checked: a hidden one's value reads as null, so
    its key, scope and flags are what tell that the write took."""
    what = _what(target, key)
    listed = client.call("GET", _variable_path(target, key), what).body
    if not isinstance(listed, dict) or listed.get("key") != key:
        raise DestinationError(f"GitLab does not list {what} after storing it")
    if listed.get("environment_scope", _scope(target)) != _scope(target):
        raise DestinationError(f"GitLab lists {what} under another environment scope")
    if listed.get("masked") is not True:
        raise DestinationError(f"GitLab lists {what} as not masked")
    if key == target.name and listed.get("protected") is not True:
        raise DestinationError(f"GitLab lists {what} as not protected")
    return listed


def _refuse_missing_project(client: Client, target: Target, body: Any) -> None:
    """A 404 on update is either no such variable (then create it) or no such project."""
    said = str(body.get("message", "")) if isinstance(body, dict) else ""
    if "variable" not in said.lower():
        raise DestinationError(
            f"not found (404): project {target.location} on {target.url} "
            f"(or {client.variable} cannot see it)",
            404,
        )


def _client(
    target: Target, credential: str, environ: Mapping[str, str], timeout: float, value: str = ""
) -> Client:
    return Client(
        base_url=f"{target.url}/api/v4",
        service="GitLab",
        variable=credential_variable(target, environ),
        headers={"PRIVATE-TOKEN": credential},
        secrets=(credential, value),
        timeout=timeout,
    )


def _scope(target: Target) -> str:
    return target.scope or "*"


def _variables_path(target: Target) -> str:
    return f"/projects/{target.location}/variables"


def _variable_path(target: Target, key: str) -> str:
    # Without the filter GitLab answers 409 when the key exists in several scopes.
    query = urlencode({"filter[environment_scope]": _scope(target)})
    return f"{_variables_path(target)}/{key}?{query}"


def _what(target: Target, key: str) -> str:
    return f"variable {key} (scope {_scope(target)}) of project {target.location}"
