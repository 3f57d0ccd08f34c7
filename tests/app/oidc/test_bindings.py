"""What a binding says and how claims match it (``app/oidc/bindings.py``)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.errors import ValidationError
from app.oidc import bindings


@pytest.mark.parametrize(
    "url",
    [
        "https://token.actions.githubusercontent.com",
        "https://gitlab.example.com/",
        "http://127.0.0.1:8080",
        "http://[::1]:9000",
        "http://localhost:5556/dex",
    ],
)
def test_issuers_are_https_or_loopback(url):
    assert bindings.check_issuer(f"  {url} ") == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://gitlab.example.com", "https://"),
        ("http://10.0.0.1", "https://"),
        ("ftp://example.com", "https://"),
        ("https://example.com/?x=1", "no query"),
        ("https://user:pw@example.com", "login"),
        ("token.actions.githubusercontent.com", "host"),
        ("", "at most"),
    ],
)
def test_other_issuers_are_refused(url, message):
    with pytest.raises(ValidationError, match=message):
        bindings.check_issuer(url)


def test_claims_are_key_value_pairs():
    assert bindings.parse_claim("repository_id=123") == ("repository_id", "123")
    assert bindings.parse_claim("sub=repo:acme/web:ref:refs/heads/main") == (
        "sub", "repo:acme/web:ref:refs/heads/main",
    )  # fmt: skip
    for bad in ("repository_id", "=1", "key=", "a b=1", "k=\x07"):
        with pytest.raises(ValidationError):
            bindings.parse_claim(bad)


@pytest.mark.parametrize(
    ("text", "lifetime"),
    [("15m", timedelta(minutes=15)), ("1h", timedelta(hours=1)), ("90s", timedelta(seconds=90))],
)
def test_lifetimes_run_from_a_minute_to_an_hour(text, lifetime):
    assert bindings.parse_lifetime(text) == lifetime


@pytest.mark.parametrize("text", ["61m", "2h", "30s", "0m", "1d", "15", "m", "-5m", "1.5h"])
def test_other_lifetimes_are_refused(text):
    with pytest.raises(ValidationError):
        bindings.parse_lifetime(text)


def test_claim_values_compare_as_text():
    assert bindings.claim_text("production") == "production"
    assert bindings.claim_text(123) == "123"
    assert bindings.claim_text(True) == "true"
    assert bindings.claim_text(["a"]) is None
    required = {"repository_id": "123", "ref_protected": "true", "environment": "production"}
    token = {"repository_id": 123, "ref_protected": True, "environment": "production"}
    assert bindings.mismatches(required, token) == []
    assert bindings.mismatches(required, {**token, "environment": "Production"}) == [
        "'environment' differs"
    ]
    assert bindings.mismatches(required, {"environment": "production"}) == [
        "the token has no 'ref_protected' claim",
        "the token has no 'repository_id' claim",
    ]


def test_the_github_preset_binds_ids_and_the_environment():
    issuer, claims, name = bindings.github_preset("acme/web", "123", "456", "production")
    assert issuer == "https://token.actions.githubusercontent.com"
    assert claims == {
        "repository_id": "123",
        "repository_owner_id": "456",
        "environment": "production",
    }
    assert name == "GitHub acme/web"
    assert bindings.weaknesses(claims) == []
    for repository, owner_id in (("acme", "1"), ("acme/web/x", "1"), ("acme/web", "x")):
        with pytest.raises(ValidationError):
            bindings.github_preset(repository, "123", owner_id, None)


def test_the_gitlab_preset_binds_the_project_id_and_protected_refs():
    issuer, claims, name = bindings.gitlab_preset("https://gitlab.example.com/", "42", True, None)
    assert issuer == "https://gitlab.example.com"
    assert claims == {"project_id": "42", "ref_protected": "true"}
    assert name == "GitLab gitlab.example.com project 42"
    assert bindings.weaknesses(claims) == []
    with pytest.raises(ValidationError, match="https://"):
        bindings.gitlab_preset("http://gitlab.example.com", "42", False, None)


@pytest.mark.parametrize(
    ("claims", "warning"),
    [
        ({"ref_protected": "true"}, "checking the audience alone"),
        ({"repository": "acme/web", "environment": "production"}, "names only"),
        ({"project_path": "group/web", "ref_protected": "true"}, "names only"),
        ({"repository_owner_id": "1", "environment": "production"}, "owner or group only"),
        ({"repository_id": "1", "sub": "repo:acme/*", "environment": "e"}, "pattern"),
        ({"repository_id": "1", "repository_owner_id": "2"}, "no environment or protected ref"),
        (
            {
                "repository_id": "1",
                "workflow_ref": "acme/web/.github/workflows/d.yml@main",
                "environment": "production",
            },
            "job_workflow_ref",
        ),
    ],
)
def test_weak_bindings_are_named(claims, warning):
    assert any(warning in found for found in bindings.weaknesses(claims))


def test_claims_are_stored_in_one_form():
    assert bindings.stored_claims({"b": "2", "a": "é"}) == '{"a":"é","b":"2"}'
    assert bindings.describe_claims({"b": "2", "a": "1"}) == "a=1, b=2"
