"""Trusted deployers (``app/use_cases/deployers.py``): bindings added, listed and removed,
and the exchange of real signed ID tokens from a local issuer, on each backend."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from app.errors import ConflictError, NotFoundError, ValidationError
from app.oidc.discovery import IssuerUnavailableError
from app.oidc.validation import TokenRefusedError
from app.use_cases.deployers import NoDeployerMatchesError
from tests.support.oidc import (
    AUDIENCE,
    GITHUB_OWNER_ID,
    GITHUB_REPOSITORY_ID,
    GITLAB_NAMESPACE_ID,
    GITLAB_PROJECT_ID,
    running_issuer,
)

GITHUB_BINDING = [
    ("repository_id", GITHUB_REPOSITORY_ID),
    ("repository_owner_id", GITHUB_OWNER_ID),
    ("environment", "production"),
]


@pytest.fixture
def issuer():
    with running_issuer() as started:
        yield started


@pytest.fixture
def web(service):
    service.add_project("web")
    service.add_environment("web", "production")
    service.add_environment("web", "staging")
    return service


def bind(service, issuer, claims=GITHUB_BINDING, **options):
    record, _ = service.add_deployer(
        "web", issuer=issuer.url, audience=AUDIENCE, claims=claims, **options
    )
    return record


def test_a_binding_is_added_listed_and_removed_with_its_audit_events(web, issuer):
    record, warnings = web.add_deployer(
        "web",
        issuer=issuer.url,
        audience=AUDIENCE,
        claims=GITHUB_BINDING,
        environments=["Production"],
        name="GitHub acme/web",
    )
    assert warnings == []
    assert (record.project, record.name, record.issuer, record.audience) == (
        "web", "GitHub acme/web", issuer.url, AUDIENCE,
    )  # fmt: skip
    assert record.claims == dict(GITHUB_BINDING)
    assert record.environments == ("production",)  # as the project spells it
    assert record.lifetime == timedelta(minutes=15)
    assert record.last_exchanged_at is None
    assert record.description.startswith("GitHub acme/web: environment=production, repository_id=")
    assert web.list_deployers("web") == [record]
    assert web.remove_deployer("web", record.id) == record
    assert web.list_deployers("web") == []
    actions = [event.action for event in web.audit_log("web")]
    assert actions[:2] == ["deployer removed", "deployer added"]


def test_bad_bindings_are_refused_and_nothing_is_written(web, issuer):
    cases = [
        ({"issuer": "http://ci.example.com"}, "https://"),
        ({"claims": []}, "at least one claim"),
        ({"claims": [("aud", "x")]}, "checked by the exchange"),
        ({"claims": [("a", "1"), ("a", "2")]}, "twice"),
        ({"lifetime": timedelta(hours=2)}, "1 hour"),
        ({"lifetime": timedelta(seconds=30)}, "1 minute"),
        ({"audience": " "}, "audience"),
    ]
    for change, message in cases:
        options = {"issuer": issuer.url, "audience": AUDIENCE, "claims": GITHUB_BINDING, **change}
        with pytest.raises(ValidationError, match=message):
            web.add_deployer("web", **options)
    with pytest.raises(NotFoundError, match="environment"):
        bind(web, issuer, environments=["nowhere"])
    with pytest.raises(NotFoundError):
        web.add_deployer("nope", issuer=issuer.url, audience=AUDIENCE, claims=GITHUB_BINDING)
    assert web.list_deployers("web") == []
    bind(web, issuer)
    with pytest.raises(ConflictError, match="already has that deployer"):
        bind(web, issuer)
    with pytest.raises(NotFoundError, match="no deployer 999"):
        web.remove_deployer("web", 999)


def test_weak_bindings_are_warned_about(web, issuer):
    def warnings(claims):
        return web.add_deployer("web", issuer=issuer.url, audience=AUDIENCE, claims=claims)[1]

    names_only = warnings([("repository", "acme/web"), ("environment", "production")])
    assert len(names_only) == 1
    assert "names only" in names_only[0]
    assert any("no environment or protected ref" in w for w in warnings([("repository_id", "1")]))


def test_a_github_actions_token_is_exchanged_for_a_short_lived_token(web, issuer, caplog):
    caplog.set_level(logging.DEBUG)
    binding = bind(web, issuer, environments=["production"], lifetime=timedelta(minutes=5))
    subject = issuer.sign(issuer.github())
    exchanged = web.exchange(subject, "web")
    assert (exchanged.project, exchanged.environments, exchanged.expires_in) == (
        "web", ("production",), 300,
    )  # fmt: skip
    assert exchanged.deployer_id == binding.id
    assert subject not in repr(exchanged)
    assert exchanged.access_token not in repr(exchanged)
    # An ordinary token: it verifies, in the binding's environments only, named after it.
    assert web.verify(exchanged.access_token, "web", "production") == "web"
    assert web.verify(exchanged.access_token, "web", "staging") is None
    [token] = web.list_tokens("web")
    assert (token.id, token.name, token.environments) == (
        exchanged.token_id, binding.name, ("production",),
    )  # fmt: skip
    lifetime = token.expires_at - token.created_at
    assert timedelta(minutes=5) - timedelta(seconds=1) <= lifetime <= timedelta(minutes=5)
    [event] = [e for e in web.audit_log("web") if e.action == "exchanged"]
    assert event.token_id == exchanged.token_id
    assert f"deployer {binding.id} ({binding.name}) matched " in event.detail
    assert json.dumps(dict(sorted(dict(GITHUB_BINDING).items())), separators=(",", ":")) in (
        event.detail
    )
    assert web.list_deployers("web")[0].last_exchanged_at is not None
    # The JWT and the token are nowhere in the logs.
    assert subject not in caplog.text
    assert exchanged.access_token not in caplog.text


def test_a_gitlab_ci_token_is_exchanged_with_ec_keys(web, issuer):
    claims = [
        ("project_id", GITLAB_PROJECT_ID),
        ("namespace_id", GITLAB_NAMESPACE_ID),
        ("ref_protected", "true"),
        ("environment", "production"),
    ]
    record, warnings = web.add_deployer("web", issuer=issuer.url, audience=AUDIENCE, claims=claims)
    assert warnings == []
    exchanged = web.exchange(issuer.sign(issuer.gitlab(), kid="ec-1"), "web")
    assert exchanged.deployer_id == record.id
    assert exchanged.environments == ()  # every environment of the project
    assert web.verify(exchanged.access_token, "web") == "web"


def test_a_subject_token_is_exchanged_once(web, issuer):
    bind(web, issuer)
    subject = issuer.sign(issuer.github())
    web.exchange(subject, "web")
    with pytest.raises(TokenRefusedError, match="exchanged before"):
        web.exchange(subject, "web")
    assert len(web.list_tokens("web")) == 1


def test_each_claim_that_differs_is_named_and_nothing_is_issued(web, issuer):
    bind(web, issuer)
    for claim in ("repository_id", "repository_owner_id", "environment"):
        subject = issuer.sign(issuer.github(**{claim: "other"}))
        with pytest.raises(NoDeployerMatchesError, match=f"'{claim}' differs"):
            web.exchange(subject, "web")
    claims = issuer.github()
    del claims["environment"]
    with pytest.raises(NoDeployerMatchesError, match="has no 'environment' claim"):
        web.exchange(issuer.sign(claims), "web")
    web.add_project("api")
    with pytest.raises(NoDeployerMatchesError, match="project 'api' trusts no deployer"):
        web.exchange(issuer.sign(issuer.github()), "api")
    assert web.list_tokens("web") == []


def test_the_audience_of_each_binding_counts(web, issuer):
    bind(web, issuer)
    web.add_project("api")
    web.add_deployer("api", issuer=issuer.url, audience="other", claims=GITHUB_BINDING)
    # Valid for the issuer and one of its audiences, but web's binding wants another.
    with pytest.raises(NoDeployerMatchesError, match="the audience differs"):
        web.exchange(issuer.sign(issuer.github(aud="other")), "web")
    assert web.exchange(issuer.sign(issuer.github(aud="other")), "api").project == "api"


def test_refusals_of_the_validation_reach_the_caller(web, issuer):
    bind(web, issuer)
    with pytest.raises(TokenRefusedError, match="issuer is not a trusted one"):
        web.exchange(issuer.sign(issuer.github(iss="https://elsewhere.example.com")), "web")
    with pytest.raises(TokenRefusedError, match="expired"):
        web.exchange(issuer.sign(issuer.github(exp=1_000_000_000, iat=999_999_000)), "web")
    assert web.list_tokens("web") == []


def test_an_issuer_never_reached_is_unavailable(web, issuer):
    bind(web, issuer)
    issuer.up = False
    with pytest.raises(IssuerUnavailableError):
        web.exchange(issuer.sign(issuer.github()), "web")


def test_a_removed_environment_stops_the_binding(web, issuer):
    bind(web, issuer, environments=["staging"])
    web.remove_environment("web", "staging")
    with pytest.raises(NoDeployerMatchesError, match="environments was removed"):
        web.exchange(issuer.sign(issuer.github()), "web")
    assert web.list_tokens("web") == []


def test_a_removed_binding_exchanges_no_more(web, issuer):
    binding = bind(web, issuer)
    web.exchange(issuer.sign(issuer.github()), "web")
    web.remove_deployer("web", binding.id)
    with pytest.raises(TokenRefusedError, match="issuer is not a trusted one"):
        web.exchange(issuer.sign(issuer.github()), "web")


def test_explain_names_what_each_binding_lacks_and_spends_nothing(web, issuer):
    matching = bind(web, issuer)
    other, _ = web.add_deployer(
        "web", issuer=issuer.url, audience="other-audience", claims=[("repository_id", "1")]
    )
    subject = issuer.sign(issuer.github())
    explained = web.explain_deployers(subject, "web")
    assert [(record.id, why) for record, why in explained] == [
        (matching.id, []),
        (other.id, ["the audience differs", "'repository_id' differs"]),
    ]
    assert web.list_tokens("web") == []
    assert web.exchange(subject, "web").deployer_id == matching.id  # the jti was not spent


def test_exchanged_tokens_say_their_binding_can_be_hidden_and_go_once_expired(
    web, issuer, database_url
):
    from app import open_service
    from app.records import utc_now

    binding = bind(web, issuer, environments=["production"], name="GitHub acme/web")
    by_hand, _ = web.generate("web", "Release 1.0")
    exchanged = web.exchange(issuer.sign(issuer.github()), "web")
    listed = {token.id: token for token in web.token_page("web")}
    assert listed[exchanged.token_id].via == "GitHub acme/web"
    assert listed[exchanged.token_id].deployer_id == binding.id
    assert listed[by_hand.id].via is None
    assert web.count_tokens("web") == 2
    assert [t.id for t in web.token_page("web", hide_exchanged=True)] == [by_hand.id]
    assert web.count_tokens("web", hide_exchanged=True) == 1
    # Sixteen minutes on, the exchanged token has expired: no list shows it any more.
    later = utc_now() + timedelta(minutes=16)
    with open_service(database_url, clock=lambda: later) as afterwards:
        assert [t.id for t in afterwards.token_page("web")] == [by_hand.id]
        assert [t.id for t in afterwards.list_tokens("web")] == [by_hand.id]
        assert afterwards.count_tokens("web") == 1


def test_a_workflow_ref_pattern_is_matched_and_audited_as_bound(web, issuer):
    pattern = "acme/web/.github/workflows/deploy.yml@refs/tags/v*"
    record = bind(web, issuer, claims=[*GITHUB_BINDING, ("job_workflow_ref", pattern)])
    tag = "acme/web/.github/workflows/deploy.yml@refs/tags/v1.2.3"
    exchanged = web.exchange(issuer.sign(issuer.github(job_workflow_ref=tag)), "web")
    assert exchanged.deployer_id == record.id
    [event] = [e for e in web.audit_log("web") if e.action == "exchanged"]
    assert pattern in event.detail
    assert "v1.2.3" not in event.detail
    with pytest.raises(NoDeployerMatchesError, match="ref of 'job_workflow_ref'"):
        web.exchange(issuer.sign(issuer.github()), "web")  # refs/heads/main
    with pytest.raises(ValidationError, match="before the '@'"):
        bind(web, issuer, claims=[("job_workflow_ref", "acme/*/.github/workflows/d.yml@x")])
