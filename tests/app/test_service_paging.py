"""What the desktop table needs from the service: pages in every order, counts, renames."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import app
from app import config
from app.errors import NotFoundError, ValidationError
from app.records import TokenOrder


@pytest.fixture
def stepping_service(database_url):
    """A service whose clock moves a minute per call, so creation times are distinct."""
    moments = iter(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i) for i in range(10_000))
    with app.open_service(database_url, clock=lambda: next(moments)) as service:
        yield service


def test_pages_cover_every_token_once_in_each_order(stepping_service):
    service = stepping_service
    service.add_project("web")
    for label in ["delta", "Alpha", "charlie", "bravo", "echo", "alpha 2", "Foxtrot"]:
        service.generate("web", label)
    everything = service.list_tokens("web")
    for order in TokenOrder:
        for descending in (False, True):
            pages = [
                service.token_page(
                    "web", order=order, descending=descending, offset=offset, limit=3
                )
                for offset in (0, 3, 6)
            ]
            ids = [record.id for page in pages for record in page]
            assert sorted(ids) == sorted(record.id for record in everything), (order, descending)
            assert [len(page) for page in pages] == [3, 3, 1]


def test_names_sort_ignoring_case(stepping_service):
    service = stepping_service
    service.add_project("web")
    for label in ["delta", "Alpha", "charlie", "Bravo"]:
        service.generate("web", label)
    page = service.token_page("web", order=TokenOrder.NAME, descending=False)
    assert [record.name for record in page] == ["Alpha", "Bravo", "charlie", "delta"]


def test_the_default_page_is_newest_first_like_list_tokens(stepping_service):
    service = stepping_service
    service.add_project("web")
    for index in range(5):
        service.generate("web", f"token {index}")
    assert service.token_page("web") == service.list_tokens("web")
    assert service.token_page("web")[0].name == "token 4"


def test_never_used_tokens_sort_as_the_oldest_use(stepping_service):
    service = stepping_service
    service.add_project("web")
    _, used = service.generate("web", "used")
    service.generate("web", "unused")
    service.verify(used)
    newest_use_first = service.token_page("web", order=TokenOrder.LAST_USED, descending=True)
    assert [record.name for record in newest_use_first] == ["used", "unused"]
    oldest_use_first = service.token_page("web", order=TokenOrder.LAST_USED, descending=False)
    assert [record.name for record in oldest_use_first] == ["unused", "used"]


def test_a_page_outside_the_project_is_empty_and_bad_bounds_are_refused(service):
    service.add_project("web")
    service.add_project("api")
    service.generate("api")
    assert service.token_page("web") == []
    assert service.token_page("api", offset=1) == []
    with pytest.raises(ValidationError):
        service.token_page("api", offset=-1)
    with pytest.raises(ValidationError):
        service.token_page("api", limit=0)
    with pytest.raises(NotFoundError):
        service.token_page("nope")


def test_count_tokens_counts_live_tokens(service):
    service.add_project("web")
    first, _ = service.generate("web")
    service.generate("web")
    assert service.count_tokens("WEB") == 2
    service.revoke("web", first.id)
    assert service.count_tokens("web") == 1


def test_rename_changes_only_the_label(service):
    service.add_project("web")
    record, plaintext = service.generate("web", "old")
    renamed = service.rename_token("web", record.id, "  GitHub Actions  ")
    assert renamed.name == "GitHub Actions"
    assert renamed.preview == record.preview
    assert service.list_tokens("web")[0].name == "GitHub Actions"
    assert service.verify(plaintext) == "web"


@pytest.mark.parametrize(
    ("token_id", "name", "error", "message"),
    [
        (None, "", ValidationError, "cannot be empty"),
        (None, "x" * 101, ValidationError, "at most 100"),
        (None, "a\tb", ValidationError, "control characters"),
        (999, "fine", NotFoundError, "no token with id 999"),
        (0, "fine", ValidationError, "positive whole number"),
    ],
)
def test_bad_renames_are_refused_and_change_nothing(service, store, token_id, name, error, message):
    service.add_project("web")
    record, _ = service.generate("web", "kept")
    before = store.dump()
    with pytest.raises(error, match=message):
        service.rename_token("web", record.id if token_id is None else token_id, name)
    assert store.dump() == before


def test_salt_problem_reports_the_environment(service, monkeypatch):
    assert service.salt_problem() is None
    monkeypatch.setenv(config.SALT_ENV, "short")
    assert config.SALT_ENV in (service.salt_problem() or "")
    monkeypatch.delenv(config.SALT_ENV)
    assert "not configured" in (service.salt_problem() or "")
