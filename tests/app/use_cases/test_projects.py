"""Projects (``app/use_cases/projects.py``) through the service: adding, finding and listing
them; renaming and deleting: what changes, what keeps working, what is refused."""

from __future__ import annotations

import pytest

from app.errors import ConflictError, NotFoundError, StillHasTokensError, ValidationError


def test_projects_are_added_and_listed_by_name_ignoring_case(service):
    service.add_project("web")
    service.add_project("  Api  ")
    service.add_project("Billing")
    assert [p.name for p in service.list_projects()] == ["Api", "Billing", "web"]


def test_find_project_gives_one_project_with_its_counts_or_none(service):
    service.add_project("web")
    service.add_project("api")
    service.generate("web", "ci")
    service.generate("web", "cd")
    service.generate("api", "ci")
    [listed_web] = [p for p in service.list_projects() if p.name == "web"]
    assert service.find_project("web") == listed_web
    assert listed_web.token_count == 2
    assert service.find_project("WEB") == listed_web  # names ignore case, as everywhere
    assert service.find_project("gone") is None


@pytest.mark.parametrize("duplicate", ["web", "WEB", " Web ", "wEb"])
def test_duplicate_project_names_are_refused_in_any_case(service, store, duplicate):
    service.add_project("Web")
    before = store.dump()
    with pytest.raises(ConflictError, match="a project named 'Web' already exists"):
        service.add_project(duplicate)
    assert store.dump() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "cannot be empty"),
        ("   \t ", "cannot be empty"),
        ("x" * 101, "101 characters long; at most 100"),
        ("line\nbreak", "control characters"),
        ("evil\u202etxt.exe", "control characters"),
    ],
)
def test_bad_project_names_are_refused_and_change_nothing(service, store, name, message):
    before = store.dump()
    with pytest.raises(ValidationError, match=message):
        service.add_project(name)
    assert store.dump() == before


def test_a_name_of_exactly_100_characters_is_fine(service):
    assert service.add_project("x" * 100).name == "x" * 100


# Renaming and deleting


def test_a_renamed_project_keeps_its_tokens_and_records_the_rename(service):
    service.add_project("web")
    _, plaintext = service.generate("web", "ci")
    renamed = service.rename_project("web", "storefront")
    assert service.verify(plaintext) == "storefront"
    assert renamed.name == "storefront"
    assert renamed.token_count == 1
    assert [p.name for p in service.list_projects()] == ["storefront"]
    assert [t.name for t in service.list_tokens("storefront")] == ["ci"]
    [event, _generated] = service.audit_log("storefront")
    assert (event.action, event.detail) == ("project renamed", "from web to storefront")


def test_a_verifier_running_before_the_rename_scopes_by_the_new_name(service, database_url):
    """The verifier is long-lived (serve runs for days): it must not remember old names."""
    from app import open_service

    service.add_project("web")
    _, plaintext = service.generate("web")
    assert service.verify(plaintext, "web") == "web"
    with open_service(database_url) as other_client:
        other_client.rename_project("web", "storefront")
    assert service.verify(plaintext, "storefront") == "storefront"
    assert service.verify(plaintext, "web") is None
    assert service.check(plaintext, "web").reason == ("the token does not belong to project 'web'")


def test_renaming_only_the_case_is_allowed(service):
    service.add_project("web")
    assert service.rename_project("web", "Web").name == "Web"
    assert service.find_project("WEB").name == "Web"


def test_renaming_to_the_same_name_changes_nothing(service, store):
    service.add_project("web")
    before = store.dump()
    assert service.rename_project("web", " web ").name == "web"
    assert store.dump() == before


@pytest.mark.parametrize(
    ("new_name", "error", "message"),
    [
        ("API", ConflictError, "a project named 'api' already exists"),
        ("\u0441\u0435\u043e", ConflictError, "would look like the existing project 'ceo'"),
        ("", ValidationError, "cannot be empty"),
        ("x" * 101, ValidationError, "at most 100"),
    ],
)
def test_bad_new_names_are_refused_and_change_nothing(service, store, new_name, error, message):
    service.add_project("web")
    service.add_project("api")
    service.add_project("ceo")
    before = store.dump()
    with pytest.raises(error, match=message):
        service.rename_project("web", new_name)
    assert store.dump() == before


def test_renaming_a_missing_project_says_so(service):
    with pytest.raises(NotFoundError, match="there is no project named 'gone'"):
        service.rename_project("gone", "here")


def test_deleting_a_project_revokes_its_tokens_and_removes_everything_in_it(service):
    service.add_project("web")
    service.add_project("api")
    service.add_environment("web", "production")
    _, first = service.generate("web", "ci", environments=["production"])
    _, second = service.generate("web", "cd")
    service.revoke("web", service.generate("web", "old")[0].id)
    _, other = service.generate("api", "ci")
    assert service.delete_project("web") == 2
    assert [p.name for p in service.list_projects()] == ["api"]
    assert service.verify(first) is None
    assert service.verify(second) is None
    assert service.check(first).reason == "the token is unknown or has been revoked"
    assert service.verify(other) == "api"  # other projects are untouched
    with pytest.raises(NotFoundError):
        service.audit_log("web")
    # The name is free again, with nothing of the old project in it.
    service.add_project("web")
    assert service.list_tokens("web") == []
    assert service.audit_log("web") == []
    assert service.list_environments("web") == []


def test_deleting_a_missing_project_says_so_and_changes_nothing(service, store):
    service.add_project("web")
    before = store.dump()
    with pytest.raises(NotFoundError, match="there is no project named 'gone'"):
        service.delete_project("gone")
    assert store.dump() == before


def test_deleting_only_an_empty_project_refuses_one_with_live_tokens(service, store):
    service.add_project("web")
    service.generate("web")
    before = store.dump()
    with pytest.raises(StillHasTokensError, match="still has 1 live deployment token"):
        service.delete_project("web", revoke_tokens=False)
    assert store.dump() == before
    service.add_project("empty")
    assert service.delete_project("empty", revoke_tokens=False) == 0


def test_project_name_follows_renames_and_says_none_once_deleted(service):
    project = service.add_project("web")
    assert service.project_name(project.id) == "web"
    service.rename_project("web", "storefront")
    assert service.project_name(project.id) == "storefront"
    service.delete_project("storefront")
    assert service.project_name(project.id) is None
