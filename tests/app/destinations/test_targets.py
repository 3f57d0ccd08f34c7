"""Targets: what a user may name as a destination, and how it is kept and shown."""

from __future__ import annotations

import pytest

from app.destinations import targets
from app.destinations.targets import (
    GITHUB,
    GITLAB,
    VAULT,
    Target,
    credential,
    github_api_url,
    github_target,
    gitlab_target,
    vault_target,
)
from app.errors import ConfigurationError, ValidationError


def test_vault_target_defaults_to_the_token_field_and_strips_the_trailing_slash():
    target = vault_target("https://vault.example:8200/", "secret/ci/web")
    assert target == Target(VAULT, "https://vault.example:8200", "secret/ci/web", "token", None)
    assert (
        target.describe() == "OpenBao/Vault https://vault.example:8200 secret/ci/web (field token)"
    )


def test_github_target_is_upper_case_with_the_public_api_by_default():
    target = github_target("acme/web", "deploy_token", "production")
    assert target == Target(
        GITHUB, "https://api.github.com", "acme/web", "DEPLOY_TOKEN", "production"
    )
    assert target.describe() == "GitHub acme/web, secret DEPLOY_TOKEN, environment production"
    assert github_target("acme/web", "X").describe() == "GitHub acme/web, secret X"


def test_gitlab_target_scope_defaults_to_every_environment():
    target = gitlab_target("https://gitlab.example.com/", 42, "DEPLOY_TOKEN", "production")
    assert target.location == "42"
    assert target.describe() == (
        "GitLab https://gitlab.example.com project 42, variable DEPLOY_TOKEN, scope production"
    )
    assert gitlab_target("https://gitlab.example.com", "7", "K").scope == "*"


@pytest.mark.parametrize(
    "target",
    [
        vault_target("http://127.0.0.1:8200", "kv/a/b/c", "deploy"),
        github_target("acme/web.site", "T", None, "https://ghe.example/api/v3"),
        gitlab_target("https://gitlab.example.com", 1, "K", "review/*"),
    ],
)
def test_a_target_survives_the_store(target):
    text = target.to_json()
    assert Target.from_json(text) == target
    assert text == Target.from_json(text).to_json()
    assert text.index('"kind"') < text.index('"location"') < text.index('"url"')


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"kind": "vault"}',
        '{"kind":"s3","url":"https://x","location":"a/b","name":"n","scope":null}',
        '{"kind":"vault","url":"http://vault.example","location":"a/b","name":"n","scope":null}',
        '{"kind":"github","url":"https://api.github.com","location":"a/b","name":1,"scope":null}',
    ],
)
def test_a_damaged_stored_target_is_refused(text):
    with pytest.raises(ValidationError):
        Target.from_json(text)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://vault.example:8200", "https://"),
        ("ftp://vault.example", "https://"),
        ("https://user:pw@vault.example", "user name or password"),
        ("https://vault.example?x=1", "query or fragment"),
        ("https://vault.example/#top", "query or fragment"),
        ("https://vault.example:port", "not a URL"),
        ("https://vault\x1b[2J.example", "control characters"),
        ("", "empty"),
        ("vault.example", "https://"),
    ],
)
def test_urls_must_be_https_and_plain(url, said):
    with pytest.raises(ValidationError, match=said):
        vault_target(url, "secret/ci/web")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8200", "http://127.9.9.9", "http://[::1]:8200", "http://localhost"]
)
def test_plain_http_is_allowed_only_on_this_machine(url):
    assert vault_target(url, "secret/x").url == url


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("secret", "MOUNT/PATH"),
        ("/secret/ci", "leading slash"),
        ("secret//ci", "empty"),
        ("secret/./ci", "'.'"),
        ("secret/ci/../x", "'..'"),
        ("secret/data/ci/web", r"API path: give MOUNT/PATH \(secret/ci/web\)"),
        ("kv/metadata/ci/web", r"\(kv/ci/web\), without 'metadata/'"),
        ("secret/ci\nweb", "control"),
    ],
)
def test_vault_paths_are_mount_and_path(path, said):
    with pytest.raises(ValidationError, match=said):
        vault_target("https://vault.example", path)


def test_a_vault_path_keeps_its_inner_segments_and_loses_a_trailing_slash():
    assert vault_target("https://v.example", "kv/team/ci/web/").location == "kv/team/ci/web"


@pytest.mark.parametrize(
    ("secret", "said"),
    [
        ("1TOKEN", "cannot start with a digit"),
        ("DEPLOY-TOKEN", "only letters, digits and underscores"),
        ("DEPLOY TOKEN", "only letters"),
        ("github_token", "cannot start with GITHUB_"),
        ("GitHub_X", "cannot start with GITHUB_"),
        ("", "empty"),
        ("TÖKEN", "only letters"),
    ],
)
def test_github_secret_names_follow_githubs_rules(secret, said):
    with pytest.raises(ValidationError, match=said):
        github_target("acme/web", secret)


@pytest.mark.parametrize(
    "repository",
    [
        "acme",
        "acme/",
        "/web",
        "acme/web/x",
        "-acme/web",
        "ac--me/web",
        "acme/w b",
        "acme/..",
        "a" * 40 + "/web",
        "acme/" + "w" * 101,
    ],
)
def test_github_repositories_are_owner_slash_repo(repository):
    with pytest.raises(ValidationError, match="OWNER/REPO"):
        github_target(repository, "T")


def test_github_environment_names_cannot_hold_controls():
    with pytest.raises(ValidationError, match="control"):
        github_target("acme/web", "T", "prod\u202e")
    with pytest.raises(ValidationError, match="empty"):
        github_target("acme/web", "T", " ")


@pytest.mark.parametrize(
    ("key", "project", "scope", "said"),
    [
        ("DEPLOY-TOKEN", 1, None, "only letters, digits and underscores"),
        ("K" * 256, 1, None, "at most 255"),
        ("", 1, None, "empty"),
        ("K", 0, None, "numeric id"),
        ("K", "-3", None, "numeric id"),
        ("K", "group/project", None, "numeric id"),
        ("K", "\uff14\uff12", None, "numeric id"),  # fullwidth digits
        ("K", 1, "", "empty"),
        ("K", 1, "x" * 256, "at most 255"),
    ],
)
def test_gitlab_keys_projects_and_scopes_follow_gitlabs_rules(key, project, scope, said):
    with pytest.raises(ValidationError, match=said):
        gitlab_target("https://gitlab.example.com", project, key, scope)


def test_the_credential_comes_from_the_first_variable_set():
    target = vault_target("https://v.example", "secret/x")
    assert credential(target, {"BAO_TOKEN": "b", "VAULT_TOKEN": ""}) == "b"
    assert credential(target, {"BAO_TOKEN": "b", "VAULT_TOKEN": "v"}) == "v"
    assert targets.credential_variable(target, {"BAO_TOKEN": "b"}) == "$BAO_TOKEN"


@pytest.mark.parametrize(
    ("target", "said"),
    [
        (
            vault_target("https://v.example", "secret/x"),
            "set VAULT_TOKEN (or BAO_TOKEN) to push to OpenBao/Vault",
        ),
        (github_target("acme/web", "T"), "set GITHUB_TOKEN (or GH_TOKEN) to push to GitHub"),
        (gitlab_target("https://g.example", 1, "K"), "set GITLAB_TOKEN to push to GitLab"),
    ],
)
def test_a_missing_credential_names_the_variables(target, said):
    with pytest.raises(ConfigurationError) as raised:
        credential(target, {"GITLAB_TOKEN": "  ", "HOME": "/root"})
    assert str(raised.value) == said
    assert target.kind in (VAULT, GITHUB, GITLAB)


def test_github_api_url_follows_the_actions_variable():
    target = github_target("acme/web", "T")
    assert github_api_url(target, {}) == "https://api.github.com"
    assert github_api_url(target, {"GITHUB_API_URL": "https://ghe.example/api/v3/"}) == (
        "https://ghe.example/api/v3"
    )
    with pytest.raises(ValidationError, match="GITHUB_API_URL"):
        github_api_url(target, {"GITHUB_API_URL": "http://ghe.example"})


@pytest.mark.parametrize(
    ("target", "environ", "said"),
    [
        (
            vault_target("https://evil.example.com", "secret/ci/web"),
            {"VAULT_ADDR": "https://vault.corp.example:8200", "VAULT_TOKEN": "hvs.mine"},
            "VAULT_ADDR is https://vault.corp.example:8200 but this destination is at "
            "https://evil.example.com",
        ),
        (
            vault_target("https://vault.corp.example", "secret/ci/web"),
            {"BAO_ADDR": "https://vault.corp.example:8200", "BAO_TOKEN": "s.mine"},
            "BAO_ADDR is https://vault.corp.example:8200",
        ),
        (
            gitlab_target("https://gitlab.evil.example", 42, "DEPLOY"),
            {"GITLAB_HOST": "gitlab.example.com", "GITLAB_TOKEN": "glpat-mine"},
            "GITLAB_HOST is https://gitlab.example.com",
        ),
        (
            github_target("acme/web", "DEPLOY", api_url="https://github.evil.example/api/v3"),
            {"GITHUB_TOKEN": "ghp_mine"},
            "set GITHUB_API_URL to it",
        ),
    ],
)
def test_a_credential_goes_only_where_its_tool_would_send_it(target, environ, said):
    """A destination is any admin's; the credential is the pusher's: a destination
    elsewhere than VAULT_ADDR (GITLAB_HOST, GitHub's API) gets nothing."""
    with pytest.raises(ConfigurationError) as refused:
        credential(target, environ)
    assert said in str(refused.value)
    assert "mine" not in str(refused.value)


def test_the_same_server_however_spelled_is_the_same():
    target = vault_target("https://Vault.Corp.Example:443/", "secret/ci/web")
    environ = {"VAULT_ADDR": "https://vault.corp.example", "VAULT_TOKEN": "hvs.mine"}
    assert credential(target, environ) == "hvs.mine"
    github = github_target("acme/web", "DEPLOY", api_url="https://ghe.example/api/v3")
    assert credential(github, {"GITHUB_API_URL": "https://ghe.example/api/v3",
                               "GH_TOKEN": "t1"}) == "t1"  # fmt: skip


def test_a_credential_with_a_line_break_is_refused_without_being_shown():
    target = vault_target("https://vault.example.com", "secret/ci/web")
    with pytest.raises(ConfigurationError) as refused:
        credential(target, {"VAULT_TOKEN": "hvs.FIRSTHALF\nSECONDHALF"})
    assert "VAULT_TOKEN holds a line break" in str(refused.value)
    assert "FIRSTHALF" not in str(refused.value)


@pytest.mark.parametrize(
    "host", ["localhost.", "x.localhost", "127.0.0.1.", "localhost.evil.example"]
)
def test_plain_http_only_to_a_literal_loopback_address(host):
    with pytest.raises(ValidationError, match="https"):
        vault_target(f"http://{host}:8200", "secret/ci/web")


def test_every_loopback_spelling_is_this_machine():
    target = vault_target("http://localhost:8200", "secret/ci/web")
    assert credential(target, {"VAULT_ADDR": "http://127.0.0.1:8200", "VAULT_TOKEN": "t"}) == "t"
    with pytest.raises(ConfigurationError, match=r"VAULT_ADDR is http://127\.0\.0\.1:8201"):
        credential(target, {"VAULT_ADDR": "http://127.0.0.1:8201", "VAULT_TOKEN": "t"})
