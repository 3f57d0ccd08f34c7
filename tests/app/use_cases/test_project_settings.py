"""A project's settings (``app/use_cases/project_settings.py``) through the service: the
environments it deploys to and its token policy; each change audited, each refusal
changing nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import app
from app.errors import ConflictError, NotFoundError, ValidationError
from app.lifecycle import Expiry, TokenPolicy

MOMENT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def web(database_url):
    """A service at a fixed moment, with the project "web"."""
    with app.open_service(database_url, clock=lambda: MOMENT) as service:
        service.add_project("web")
        yield service


# Environments


def test_environments_are_added_listed_by_name_ignoring_case_and_audited(web):
    added = web.add_environment("WEB", "  production ")
    assert (added.project, added.name, added.created_at) == ("web", "production", MOMENT)
    web.add_environment("web", "Staging")
    web.add_environment("web", "qa")
    listed = web.list_environments("web")
    assert [e.name for e in listed] == ["production", "qa", "Staging"]
    assert listed[0] == added
    details = [(e.action, e.detail) for e in reversed(web.audit_log("web"))]
    assert details == [
        ("environments changed", "added production"),
        ("environments changed", "added Staging"),
        ("environments changed", "added qa"),
    ]


def test_each_project_has_environments_of_its_own(web):
    web.add_project("api")
    web.add_environment("web", "staging")
    web.add_environment("api", "staging")  # the same name elsewhere is no clash
    assert [e.project for e in web.list_environments("api")] == ["api"]
    web.remove_environment("api", "staging")
    assert [e.name for e in web.list_environments("web")] == ["staging"]


@pytest.mark.parametrize(
    ("project", "name", "error", "message"),
    [
        ("web", "PRODUCTION", ConflictError, "already has an environment named 'production'"),
        ("web", "", ValidationError, "cannot be empty"),
        ("web", "a\nb", ValidationError, "control characters"),
        ("nope", "staging", NotFoundError, "no project named 'nope'"),
    ],
)
def test_a_refused_environment_changes_nothing(web, store, project, name, error, message):
    web.add_environment("web", "production")
    before = store.dump()
    with pytest.raises(error, match=message):
        web.add_environment(project, name)
    assert store.dump() == before


def test_removing_an_environment_returns_it_and_is_audited(web):
    added = web.add_environment("web", "qa")
    assert web.remove_environment("web", "QA") == added
    assert web.list_environments("web") == []
    [removed, _added] = web.audit_log("web")
    assert (removed.action, removed.detail) == ("environments changed", "removed qa")


def test_removing_an_unknown_environment_says_so_and_changes_nothing(web, store):
    before = store.dump()
    with pytest.raises(NotFoundError, match="project 'web' has no environment 'qa'"):
        web.remove_environment("web", "qa")
    assert store.dump() == before


def test_an_environment_a_token_is_limited_to_cannot_be_removed(web):
    service = web
    service.add_environment("web", "staging")
    service.add_environment("web", "qa")
    record, _ = service.generate("web", environments=["staging"])
    with pytest.raises(ConflictError, match="1 token is limited to environment 'staging'"):
        service.remove_environment("web", "staging")
    service.remove_environment("web", "QA")
    assert [e.name for e in service.list_environments("web")] == ["staging"]
    with pytest.raises(ConflictError, match="already has an environment named 'staging'"):
        service.add_environment("web", "STAGING")
    service.set_token_environments("web", record.id, [])
    service.remove_environment("web", "staging")
    assert service.list_environments("web") == []


# The token policy


def test_a_new_project_has_the_default_policy(web):
    assert web.token_policy("WEB") == TokenPolicy(timedelta(days=90), None, True)


def test_a_changed_policy_applies_to_new_tokens_only_and_is_audited(web):
    old, _ = web.generate("web")
    strict = TokenPolicy(timedelta(days=7), timedelta(days=30), False)
    assert web.set_token_policy("web", strict) == strict
    assert web.token_policy("web") == strict
    [changed, _generated] = web.audit_log("web")
    assert (changed.action, changed.detail) == (
        "policy changed",
        "default lifetime 7 days; maximum 30 days; No expiry not allowed",
    )
    new, _ = web.generate("web")
    assert new.expires_at == MOMENT + timedelta(days=7)
    assert web.list_tokens("web")[-1].expires_at == old.expires_at == MOMENT + timedelta(days=90)
    with pytest.raises(ValidationError):
        web.generate("web", expiry=Expiry.no_expiry())


def test_setting_the_policy_it_already_has_writes_nothing(web, store):
    before = store.dump()
    assert web.set_token_policy("web", web.token_policy("web")) == web.token_policy("web")
    assert store.dump() == before


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (TokenPolicy(timedelta(days=60), timedelta(days=30), False), "cannot be longer"),
        (TokenPolicy(timedelta(days=7), timedelta(days=30), True), "cannot allow tokens"),
        (TokenPolicy(None, None, False), "when the policy does not allow it"),
    ],
)
def test_a_policy_that_contradicts_itself_is_refused_and_changes_nothing(
    web, store, policy, message
):
    before = store.dump()
    with pytest.raises(ValidationError, match=message):
        web.set_token_policy("web", policy)
    assert store.dump() == before


def test_the_policy_of_an_unknown_project_is_refused(web):
    with pytest.raises(NotFoundError):
        web.token_policy("nope")
    with pytest.raises(NotFoundError):
        web.set_token_policy("nope", TokenPolicy(timedelta(days=7), None, True))
