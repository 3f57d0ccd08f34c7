"""A fake of GitLab's project-level CI/CD variables API, following its documentation:
masking rules, hidden only at creation, the environment scope filter, 404 and 409."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from tests.support.destinations.http_fake import FakeService, json_body

_MASKABLE = re.compile(r"[A-Za-z0-9+/=@:.~_-]{8,}")


_GITLAB_CREATE = {
    "key",
    "value",
    "variable_type",
    "protected",
    "masked",
    "masked_and_hidden",
    "raw",
    "environment_scope",
    "description",
}
_GITLAB_UPDATE = {
    "value",
    "variable_type",
    "protected",
    "masked",
    "raw",
    "environment_scope",
    "description",
}
_GITLAB_BOOLEANS = {"protected", "masked", "masked_and_hidden", "raw"}


@dataclass
class GitLabFake(FakeService):
    """GitLab's project-level CI/CD variables API (``/api/v4/projects/:id/variables``).

    ``variables`` maps (project id, key, environment scope) to the variable as GitLab
    keeps it (its value included, even when hidden). ``reporter_token`` may not write.
    """

    credential_header: str = "PRIVATE-TOKEN"
    projects: set[str] = field(default_factory=lambda: {"42"})
    variables: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    reporter_token: str = field(default_factory=lambda: "rep-" + secrets.token_urlsafe(18))

    def answer(
        self, method: str, path: str, query: list[tuple[str, str]], headers: Any, raw: bytes
    ) -> tuple[int, Any]:
        given = headers.get("PRIVATE-TOKEN")
        if given not in (self.token, self.reporter_token):
            return 401, {"message": "401 Unauthorized"}
        match = re.fullmatch(r"/api/v4/projects/([^/]+)/variables(?:/([^/]+))?", path)
        if match is None:
            return 404, {"error": "404 Not Found"}
        project, key = unquote(match[1]), match[2]
        if project not in self.projects:
            return 404, {"message": "404 Project Not Found"}
        if method != "GET" and given == self.reporter_token:
            return 403, {"message": "403 Forbidden"}
        params = dict(query)
        if method in ("POST", "PUT"):
            body, problem = json_body(headers, raw)
            if body is None:
                return 400, {"error": problem}
            params.update(body)
        allowed = {"filter[environment_scope]"}
        if method == "POST" and key is None:
            allowed = _GITLAB_CREATE
        elif method == "PUT" and key is not None:
            allowed |= _GITLAB_UPDATE
        elif not (method in ("GET", "DELETE") and key is not None):
            return 405 if key is not None else 404, {"error": "405 Not Allowed"}
        unknown = sorted(set(params) - allowed)
        if unknown:
            return 400, {"error": f"{unknown[0]} does not have a valid value"}
        for name in _GITLAB_BOOLEANS & set(params):
            if not isinstance(params[name], bool):
                return 400, {"error": f"{name} is invalid"}
        if key is None:
            return self._create(project, params)
        return self._existing(method, project, key, params)

    def _find(self, project: str, key: str, params: dict[str, Any]) -> tuple[int, Any]:
        scope = params.get("filter[environment_scope]")
        found = [
            k
            for k in self.variables
            if k[0] == project and k[1] == key and (scope is None or k[2] == scope)
        ]
        if not found:
            return 404, {"message": "404 Variable Not Found"}
        if len(found) > 1:
            return 409, {
                "message": "There are multiple variables with provided parameters. "
                "Please use 'filter[environment_scope]'"
            }
        return 200, found[0]

    def _existing(
        self, method: str, project: str, key: str, params: dict[str, Any]
    ) -> tuple[int, Any]:
        status, where = self._find(project, key, params)
        if status != 200:
            return status, where
        variable = self.variables[where]
        if method == "GET":
            return 200, _shown(variable)
        if method == "DELETE":
            del self.variables[where]
            return 204, None
        changes = {k: v for k, v in params.items() if k in _GITLAB_UPDATE}
        updated = {**variable, **changes}
        problem = _invalid(updated)
        if problem is None and updated["hidden"] and not updated["masked"]:
            problem = {"message": {"masked": ["Only masked variables can be hidden"]}}
        if problem is not None:
            return 400, problem
        del self.variables[where]
        self.variables[(project, key, updated["environment_scope"])] = updated
        return 200, _shown(updated)

    def _create(self, project: str, params: dict[str, Any]) -> tuple[int, Any]:
        hidden = bool(params.get("masked_and_hidden", False))
        variable = {
            "variable_type": params.get("variable_type", "env_var"),
            "key": params.get("key"),
            "value": params.get("value"),
            "hidden": hidden,
            "protected": bool(params.get("protected", False)),
            "masked": hidden or bool(params.get("masked", False)),
            "raw": bool(params.get("raw", False)),
            "environment_scope": params.get("environment_scope", "*"),
            "description": params.get("description"),
        }
        problem = _invalid(variable)
        if problem is not None:
            return 400, problem
        where = (project, str(variable["key"]), str(variable["environment_scope"]))
        if where in self.variables:
            return 400, {"message": {"key": [f"({variable['key']}) has already been taken"]}}
        self.variables[where] = variable
        return 201, _shown(variable)


def _invalid(variable: dict[str, Any]) -> dict[str, Any] | None:
    key, value = variable["key"], variable["value"]
    if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z0-9_]{1,255}", key):
        return {"message": {"key": ["can contain only letters, digits and '_'."]}}
    if not isinstance(value, str):
        return {"error": "value is missing"}
    if variable["masked"] and not _MASKABLE.fullmatch(value):
        return {"message": {"value": ["is invalid"]}}
    if variable["variable_type"] not in ("env_var", "file"):
        return {"error": "variable_type does not have a valid value"}
    scope = variable["environment_scope"]
    if not isinstance(scope, str) or not 0 < len(scope) <= 255:
        return {"message": {"environment_scope": ["is invalid"]}}
    return None


def _shown(variable: dict[str, Any]) -> dict[str, Any]:
    return {**variable, "value": None if variable["hidden"] else variable["value"]}
