"""What a binding says and how claims match it (``app/oidc/bindings.py``)."""

from __future__ import annotations

import time
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


WORKFLOW = "acme/web/.github/workflows/deploy.yml"


@pytest.mark.parametrize(
    ("pattern", "value"),
    [
        (f"{WORKFLOW}@refs/tags/v*", f"{WORKFLOW}@refs/tags/v1.2.3"),
        (f"{WORKFLOW}@refs/tags/v*", f"{WORKFLOW}@refs/tags/v"),
        (f"{WORKFLOW}@refs/heads/*", f"{WORKFLOW}@refs/heads/main"),
        (f"{WORKFLOW}@refs/heads/*", f"{WORKFLOW}@refs/heads/feature/x"),
        (f"{WORKFLOW}@refs/heads/release-*-lts", f"{WORKFLOW}@refs/heads/release-2-lts"),
        (f"{WORKFLOW}@*", f"{WORKFLOW}@refs/pull/7/merge"),
        (f"{WORKFLOW}@refs/heads/main", f"{WORKFLOW}@refs/heads/main"),
    ],
)
def test_a_ref_pattern_matches_the_refs_it_names(pattern, value):
    for key in ("workflow_ref", "job_workflow_ref"):
        assert bindings.check_claims([(key, pattern)]) == {key: pattern}
        assert bindings.claim_matches(key, pattern, value)
        assert bindings.mismatches({key: pattern}, {key: value}) == []


@pytest.mark.parametrize(
    ("pattern", "value", "reason"),
    [
        (f"{WORKFLOW}@refs/tags/v*", f"{WORKFLOW}@refs/heads/v1", "ref of"),
        (f"{WORKFLOW}@refs/tags/v*", f"{WORKFLOW}@refs/tags/1.0", "ref of"),
        (f"{WORKFLOW}@refs/heads/*", f"{WORKFLOW}@refs/tags/v1", "ref of"),
        # The wildcard never crosses an '@': no other file, no ref holding one.
        (f"{WORKFLOW}@*", f"{WORKFLOW}@refs/heads/x@y", "ref of"),
        (f"{WORKFLOW}@*", f"{WORKFLOW}.evil@refs/heads/main", "another repository"),
        (f"{WORKFLOW}@*", "acme/other/.github/workflows/deploy.yml@refs/heads/main", "another"),
        (f"{WORKFLOW}@*", "evil/web/.github/workflows/deploy.yml@x", "another repository"),
        (f"{WORKFLOW}@*", WORKFLOW, "ref of"),
        (f"{WORKFLOW}@refs/heads/*", f"evil@{WORKFLOW}@refs/heads/x", "another repository"),
    ],
)
def test_a_ref_pattern_matches_nothing_else(pattern, value, reason):
    key = "job_workflow_ref"
    assert not bindings.claim_matches(key, pattern, value)
    [why] = bindings.mismatches({key: pattern}, {key: value})
    assert reason in why
    assert value not in why
    assert pattern not in why


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("workflow_ref", "acme/*/.github/workflows/deploy.yml@refs/heads/main", "before the '@'"),
        ("workflow_ref", "acme/web/.github/workflows/*@refs/heads/main", "before the '@'"),
        ("job_workflow_ref", "*@refs/heads/main", "before the '@'"),
        ("job_workflow_ref", "*", "before the '@'"),
        ("job_workflow_ref", "acme/web/.github/workflows/deploy.yml*", "before the '@'"),
        ("job_workflow_ref", "acme/web@refs/heads/*", "OWNER/REPO/.github/workflows/FILE"),
        ("job_workflow_ref", "@*", "OWNER/REPO"),
        ("job_workflow_ref", f"{WORKFLOW}@refs/heads/a@*", "one '@'"),
        ("sub", "repo:acme/*", "must match exactly"),
        ("repository", "acme/*", "must match exactly"),
        ("ref", "refs/tags/v*", "must match exactly"),
        ("environment", "prod*", "must match exactly"),
    ],
)
def test_a_wildcard_anywhere_else_is_refused(key, value, message):
    with pytest.raises(ValidationError, match=message) as raised:
        bindings.check_claims([("repository_id", "1"), (key, value)])
    assert "may stand only in the ref of workflow_ref or job_workflow_ref, after the '@'" in str(
        raised.value
    )


def test_a_stored_value_with_a_misplaced_wildcard_matches_only_itself():
    # Bound before patterns were taken: still the literal text it was.
    stored = {"workflow_ref": "acme/*/.github/workflows/d.yml@refs/heads/main"}
    assert not bindings.is_pattern("workflow_ref", stored["workflow_ref"])
    assert bindings.mismatches(stored, stored) == []
    other = {"workflow_ref": "acme/web/.github/workflows/d.yml@refs/heads/main"}
    assert bindings.mismatches(stored, other) == ["'workflow_ref' differs"]
    assert any("looks like a pattern" in found for found in bindings.weaknesses(stored))


@pytest.mark.parametrize(
    ("ref", "any_branch"),
    [
        ("refs/heads/*", True),
        ("*", True),
        ("refs/*", True),
        ("refs/heads/**", True),
        ("refs/tags/v*", False),
        ("refs/heads/release-*", False),
        ("refs/pull/*/merge", False),
    ],
)
def test_a_ref_pattern_of_any_branch_without_an_environment_is_named(ref, any_branch):
    claims = {"repository_id": "1", "job_workflow_ref": f"{WORKFLOW}@{ref}"}
    warned = [w for w in bindings.weaknesses(claims) if "matches any branch" in w]
    assert bool(warned) == any_branch
    assert not any("looks like a pattern" in w for w in bindings.weaknesses(claims))
    pinned = {**claims, "environment": "production"}
    assert not any("matches any branch" in w for w in bindings.weaknesses(pinned))


def test_the_other_warnings_stay_with_a_ref_pattern():
    names_only = {"repository": "acme/web", "workflow_ref": f"{WORKFLOW}@refs/heads/*"}
    found = bindings.weaknesses(names_only)
    assert any("names only" in w for w in found)
    assert any("job_workflow_ref" in w for w in found)  # the reusable workflow's field
    assert any("no environment or protected ref" in w for w in found)
    assert any("matches any branch" in w for w in found)
    odd = {"repository_id": "1", "job_workflow_ref": f"{WORKFLOW}@refs/tags/v?", "ref": "x"}
    assert any("looks like a pattern" in w for w in bindings.weaknesses(odd))


def test_matched_claims_are_the_bindings_own_values():
    required = {
        "repository_id": "123",
        "ref_protected": "true",
        "job_workflow_ref": f"{WORKFLOW}@refs/tags/v*",
    }
    token = {
        "repository_id": 123,
        "ref_protected": True,
        "job_workflow_ref": f"{WORKFLOW}@refs/tags/v1.2.3",
        "environment": "production",
    }
    matched = bindings.matched_claims(required, token)
    assert matched == required  # the pattern, not the tag: dt_exchange compares these
    assert required.items() <= matched.items()
    # A token that does not match keeps its own text, so the store's check fails too.
    other = {**token, "job_workflow_ref": f"{WORKFLOW}@refs/heads/main", "repository_id": [1]}
    mismatched = bindings.matched_claims(required, other)
    assert mismatched == {
        "ref_protected": "true",
        "job_workflow_ref": f"{WORKFLOW}@refs/heads/main",
    }
    assert not required.items() <= mismatched.items()
    assert bindings.matched_claims(required, {}) == {}


def test_matching_a_crafted_ref_takes_no_time():
    pattern = f"{WORKFLOW}@" + "a*" * 40 + "b"
    value = f"{WORKFLOW}@" + "a" * 400
    started = time.perf_counter()
    assert not bindings.claim_matches("job_workflow_ref", pattern, value)
    assert time.perf_counter() - started < 0.1
