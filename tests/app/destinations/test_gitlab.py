"""Pushing to GitLab project CI/CD variables, against a fake of the documented API."""

from __future__ import annotations

import json
import traceback
import urllib.error
import urllib.request

import pytest

from app import destinations, tokens
from app.destinations import gitlab
from app.destinations.targets import gitlab_target
from app.destinations.transport import DestinationError


@pytest.fixture
def environ(gitlab_fake):
    return {"GITLAB_TOKEN": gitlab_fake.token}


def _target(fake, scope=None, project=42, key="DEPLOY_TOKEN"):
    return gitlab_target(fake.url, project, key, scope)


def test_a_new_variable_is_created_masked_hidden_and_protected(gitlab_fake, environ):
    token = tokens.new_token()

    receipt = destinations.push(_target(gitlab_fake, "production"), token, {}, environ)

    stored = gitlab_fake.variables[("42", "DEPLOY_TOKEN", "production")]
    assert stored["value"] == token
    assert (stored["masked"], stored["hidden"], stored["protected"], stored["raw"]) == (
        True,
        True,
        True,
        True,
    )
    assert receipt.confirmed == "variable listed (masked, hidden, protected)"
    assert receipt.where == (
        f"GitLab {gitlab_fake.url} project 42, variable DEPLOY_TOKEN, scope production"
    )
    looked, put, post, get = gitlab_fake.requests
    assert (looked.method, looked.query) == ("GET", [("filter[environment_scope]", "production")])
    assert (put.method, put.path, put.query) == (
        "PUT",
        "/api/v4/projects/42/variables/DEPLOY_TOKEN",
        [("filter[environment_scope]", "production")],
    )
    assert (post.method, post.path) == ("POST", "/api/v4/projects/42/variables")
    assert post.body["masked_and_hidden"] is True
    assert post.headers["content-type"] == "application/json"
    assert (get.method, get.query) == ("GET", [("filter[environment_scope]", "production")])


def test_a_second_push_updates_the_value_and_it_stays_hidden(gitlab_fake, environ):
    target = _target(gitlab_fake)
    destinations.push(target, tokens.new_token(), {}, environ)
    token = tokens.new_token()

    receipt = destinations.push(target, token, {}, environ)

    assert gitlab_fake.variables[("42", "DEPLOY_TOKEN", "*")]["value"] == token
    assert [r.method for r in gitlab_fake.requests[4:]] == ["GET", "PUT", "GET"]
    assert receipt.confirmed == "variable listed (masked, hidden, protected)"


def test_an_existing_visible_variable_is_refused_and_left_alone(gitlab_fake, environ):
    """GitLab makes a variable hidden only when it is created: updating a visible one
    would leave the token readable to every maintainer."""
    old = {
        "variable_type": "env_var",
        "key": "DEPLOY_TOKEN",
        "value": "old",
        "hidden": False,
        "protected": False,
        "masked": False,
        "raw": False,
        "environment_scope": "*",
        "description": None,
    }
    gitlab_fake.variables[("42", "DEPLOY_TOKEN", "*")] = dict(old)
    token = tokens.new_token()

    with pytest.raises(DestinationError, match="exists and is not hidden") as raised:
        gitlab.push(_target(gitlab_fake), token, {}, gitlab_fake.token, environ)

    assert token not in str(raised.value)
    assert gitlab_fake.variables[("42", "DEPLOY_TOKEN", "*")] == old
    assert [r.method for r in gitlab_fake.requests] == ["GET"]


def test_only_the_targets_environment_scope_is_touched(gitlab_fake, environ):
    destinations.push(_target(gitlab_fake, "*"), "every-environment", {}, environ)
    destinations.push(_target(gitlab_fake, "production"), "production-old", {}, environ)
    token = tokens.new_token()

    destinations.push(_target(gitlab_fake, "production"), token, {}, environ)

    assert gitlab_fake.variables[("42", "DEPLOY_TOKEN", "*")]["value"] == "every-environment"
    assert gitlab_fake.variables[("42", "DEPLOY_TOKEN", "production")]["value"] == token


def test_a_missing_project_is_named_and_nothing_is_created(gitlab_fake, environ):
    with pytest.raises(DestinationError) as raised:
        destinations.push(_target(gitlab_fake, project=99), tokens.new_token(), {}, environ)

    assert str(raised.value) == (
        f"not found (404): project 99 on {gitlab_fake.url} (or $GITLAB_TOKEN cannot see it)"
    )
    assert [r.method for r in gitlab_fake.requests] == ["GET"]


def test_a_wrong_credential_names_the_variable_and_never_shows_itself(gitlab_fake):
    wrong = "glpat-" + tokens.new_token()
    value = tokens.new_token()
    with pytest.raises(DestinationError) as raised:
        destinations.push(_target(gitlab_fake), value, {}, {"GITLAB_TOKEN": wrong})

    assert str(raised.value) == "the credential was refused (401): check $GITLAB_TOKEN"
    shown = "".join(traceback.format_exception(raised.value))
    assert wrong not in shown
    assert value not in shown


def test_a_reporter_may_not_write(gitlab_fake):
    with pytest.raises(DestinationError) as raised:
        destinations.push(
            _target(gitlab_fake),
            tokens.new_token(),
            {},
            {"GITLAB_TOKEN": gitlab_fake.reporter_token},
        )
    assert str(raised.value).startswith("the credential may not do this (403): 403 Forbidden")
    assert gitlab_fake.variables == {}


def test_a_value_gitlab_cannot_mask_is_refused_without_being_quoted(gitlab_fake, environ):
    value = "has spaces so cannot be masked"
    with pytest.raises(DestinationError) as raised:
        destinations.push(_target(gitlab_fake), value, {}, environ)
    assert str(raised.value) == (
        "GitLab refused variable DEPLOY_TOKEN (scope *) of project 42 (400): value is invalid"
    )
    assert gitlab_fake.variables == {}


def test_check_creates_reads_and_deletes_a_test_variable(gitlab_fake, environ):
    target = _target(gitlab_fake, "production")
    destinations.push(target, "the-current-token", {}, environ)
    # A test variable left behind by a check that was cut short.
    gitlab_fake.variables[("42", "DEPLOYMENT_TOKENS_CHECK", "production")] = {
        **gitlab_fake.variables[("42", "DEPLOY_TOKEN", "production")],
        "key": "DEPLOYMENT_TOKENS_CHECK",
        "hidden": False,
    }
    before = len(gitlab_fake.requests)

    receipt = destinations.check(target, environ)

    assert receipt.confirmed == "test variable DEPLOYMENT_TOKENS_CHECK read back and deleted"
    assert set(gitlab_fake.variables) == {("42", "DEPLOY_TOKEN", "production")}
    assert gitlab_fake.variables[("42", "DEPLOY_TOKEN", "production")]["value"] == (
        "the-current-token"
    )
    created = [r for r in gitlab_fake.requests[before:] if r.method == "POST"][-1]
    assert created.body["masked"] is True
    assert "masked_and_hidden" not in created.body
    assert len(created.body["value"]) == 20


def _raw(fake, method, path, body=None, token=None):
    request = urllib.request.Request(  # noqa: S310 (the fake on 127.0.0.1)
        fake.url + "/api/v4/projects/42/variables" + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"PRIVATE-TOKEN": token or fake.token, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            raw = answer.read()
            return answer.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def test_the_fake_follows_gitlabs_rules(gitlab_fake):
    new = {"key": "K", "value": "12345678", "masked_and_hidden": True, "environment_scope": "a"}
    assert _raw(gitlab_fake, "POST", "", new)[0] == 201
    assert _raw(gitlab_fake, "POST", "", new) == (
        400,
        {"message": {"key": ["(K) has already been taken"]}},
    )
    assert _raw(gitlab_fake, "POST", "", {**new, "environment_scope": "b"})[0] == 201
    assert _raw(gitlab_fake, "GET", "/K")[0] == 409  # two scopes, no filter
    status, shown = _raw(gitlab_fake, "GET", "/K?filter%5Benvironment_scope%5D=a")
    assert (status, shown["value"], shown["hidden"]) == (200, None, True)
    assert (
        _raw(
            gitlab_fake,
            "PUT",
            "/K?filter%5Benvironment_scope%5D=a",
            {"value": "abcdefgh", "masked_and_hidden": True},
        )[0]
        == 400
    )
    assert (
        _raw(
            gitlab_fake,
            "PUT",
            "/K?filter%5Benvironment_scope%5D=a",
            {"value": "abcdefgh", "masked": False},
        )[0]
        == 400
    )  # hidden stays masked
    assert _raw(gitlab_fake, "POST", "", {"key": "M", "value": "short", "masked": True})[0] == 400
    assert _raw(gitlab_fake, "POST", "", {"key": "M", "value": "v", "colour": "red"})[0] == 400
    assert _raw(gitlab_fake, "POST", "", {"key": "M-1", "value": "v"})[0] == 400
    assert _raw(gitlab_fake, "GET", "/K", token="nope")[0] == 401
    assert _raw(gitlab_fake, "DELETE", "/K?filter%5Benvironment_scope%5D=b")[0] == 204
    assert set(gitlab_fake.variables) == {("42", "K", "a")}
