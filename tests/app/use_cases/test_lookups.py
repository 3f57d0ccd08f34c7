"""Finding what a use case acts on and building its records (``app/use_cases/lookups.py``),
on the models the service's ``Context.reading`` binds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import app
from app.errors import NotFoundError, ValidationError
from app.lifecycle import TokenPolicy
from app.store import schema
from app.store.models import DeploymentToken, RevokedToken
from app.use_cases import lookups

MOMENT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def web(database_url):
    """A service at a fixed moment, with the project "Web"."""
    with app.open_service(database_url, clock=lambda: MOMENT) as service:
        service.add_project("Web")
        yield service


def test_a_project_is_found_by_its_name_ignoring_case_and_spaces(web):
    with web.context.reading():
        assert lookups.project("  WEB ").name == "Web"


@pytest.mark.parametrize("name", ["nope", "  nope  "])
def test_an_unknown_project_is_not_found_by_its_name_as_given(web, name):
    with web.context.reading(), pytest.raises(NotFoundError) as raised:
        lookups.project(name)
    assert str(raised.value) == f"there is no project named '{name.strip()}'"


def test_a_token_is_found_only_in_its_own_project_and_only_while_it_lives(web):
    web.add_project("api")
    mine, _ = web.generate("web")
    theirs, _ = web.generate("api")
    revoked, _ = web.generate("web")
    web.revoke("web", revoked.id)
    with web.context.reading():
        project = lookups.project("web")
        assert lookups.token(project, mine.id).id == mine.id
        for token_id in (theirs.id, revoked.id):
            with pytest.raises(
                NotFoundError, match=f"project 'Web' has no token with id {token_id}"
            ):
                lookups.token(project, token_id)
        with pytest.raises(ValidationError):
            lookups.token(project, 0)


def test_an_environment_is_found_ignoring_case_or_not_at_all(web):
    web.add_environment("web", "Staging")
    with web.context.reading():
        project = lookups.project("web")
        assert lookups.environment(project, "STAGING").name == "Staging"
        assert lookups.find_environment(project, "qa") is None
        assert lookups.find_environment(project, "") is None
        with pytest.raises(NotFoundError, match="project 'Web' has no environment 'qa'"):
            lookups.environment(project, " qa ")


def test_the_policy_of_a_project_is_read_from_its_hours(web):
    policy = TokenPolicy(timedelta(hours=36), timedelta(hours=48), False)
    web.set_token_policy("web", policy)
    with web.context.reading():
        assert lookups.policy_of(lookups.project("web")) == policy


@pytest.mark.parametrize(
    ("offset", "limit"), [(0, None), (0, 1), (5, 20), (schema.MAX_ID, schema.MAX_ID)]
)
def test_a_page_any_query_can_ask_for_is_accepted(offset, limit):
    assert lookups.check_page(offset, limit) is None


@pytest.mark.parametrize(
    ("offset", "limit"),
    [
        (-1, None),
        (0, 0),
        (0, -1),
        (schema.MAX_ID + 1, None),
        (0, schema.MAX_ID + 1),
        (True, None),
        (0, True),
        (1.0, None),
        ("0", 10),
        (None, 10),
    ],
)
def test_a_page_no_query_can_ask_for_is_refused(offset, limit):
    with pytest.raises(ValidationError) as raised:
        lookups.check_page(offset, limit)
    assert str(raised.value) == (
        f"a page needs whole numbers: offset from 0 and limit from 1, up to {schema.MAX_ID}"
    )


def test_environment_names_give_each_limited_token_its_environments_by_name(web):
    for name in ("staging", "Production", "qa"):
        web.add_environment("web", name)
    limited, _ = web.generate("web", environments=["staging", "production"])
    anywhere, _ = web.generate("web")
    with web.context.reading():
        assert lookups.environment_names([limited.id, anywhere.id]) == {
            limited.id: ("Production", "staging")
        }
        assert lookups.environment_names([anywhere.id]) == {}
        assert lookups.environment_names([]) == {}


def test_environment_names_are_none_when_no_token_is_limited(web):
    web.add_environment("web", "staging")
    first, _ = web.generate("web")
    second, _ = web.generate("web")
    with web.context.reading():
        assert lookups.environment_names(iter([first.id, second.id])) == {}


def test_token_records_are_aware_utc_and_name_the_project_given(web):
    record, _ = web.generate("web", "ci")
    with web.context.reading():
        project = lookups.project("web")
        [built] = lookups.token_records([lookups.token(project, record.id)], "shown name")
    assert built.project == "shown name"
    assert (built.created_at, built.created_at.tzinfo) == (MOMENT, UTC)
    assert built.last_used_at is None
    assert built == lookups.token_record(DeploymentToken.get_by_id(record.id), "shown name")


def test_delete_token_remembers_the_revoked_digest_once(web, store):
    record, _ = web.generate("web", "ci")
    with web.context.writing():
        project = lookups.project("web")
        found = lookups.token(project, record.id)
        assert lookups.delete_token(found, project, web.context.stored_now()) is True
        # Another client deleted it first: nothing more is written.
        assert lookups.delete_token(found, project, web.context.stored_now()) is False
        # As revoke does (on PostgreSQL a token deleted without its event is refused).
        web.context.audit(project, "revoked", found, web.context.stored_now())
        revoked = list(RevokedToken.select().where(RevokedToken.token_id == record.id))
    assert [(r.name, r.preview, r.digest) for r in revoked] == [
        ("ci", record.preview, found.digest)
    ]
    assert web.list_tokens("web") == []
