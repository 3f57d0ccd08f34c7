"""What every use case shares (``app/use_cases/context.py``): the clock as the database
stores it, one write transaction, who acts, and what they may do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

import app
from app import config
from app.access_levels import ACCESS_LEVELS, ADMIN
from app.errors import ConfigurationError
from app.service import TokenService
from app.store.models import Project
from app.use_cases.context import Context, changed

# 14:30 in UTC+02:00: 12:30 UTC.
LOCAL_MOMENT = datetime(2026, 3, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))


@pytest.fixture
def context(database_url):
    with app.open_service(database_url, clock=lambda: LOCAL_MOMENT) as service:
        yield service.context


def a_project(context: Context, name: str) -> Project:
    return Project.create(name=name, name_key=name, created_at=context.stored_now())


def test_now_is_aware_utc_and_stored_now_naive_utc_of_the_clock(context):
    assert context.now() == LOCAL_MOMENT
    assert context.now().tzinfo is UTC
    assert context.stored_now() == datetime(2026, 3, 1, 12, 30)
    assert context.stored_now().tzinfo is None


def test_writing_commits_what_it_wrote(context, store):
    with context.writing():
        a_project(context, "web")
    assert store.query("SELECT name FROM project") == [("web",)]


def test_writing_rolls_back_everything_when_it_fails(context, store):
    def write_then_fail():
        with context.writing():
            a_project(context, "web")
            changed()
            raise RuntimeError("half way")

    before = store.dump()
    with pytest.raises(RuntimeError, match="half way"):
        write_then_fail()
    assert store.dump() == before


def test_changed_moves_the_revision_other_clients_poll(context, database_url):
    with app.open_service(database_url) as other:
        before = other.revision()
        with context.writing():
            changed()
        assert other.revision() == before + 1


def test_audit_records_the_event_by_the_actor_at_the_moment_given(context, database_url):
    with context.writing():
        project = a_project(context, "web")
        context.audit(project, "policy changed", None, context.stored_now(), "a detail")
    with app.open_service(database_url) as reader:
        [event] = reader.audit_log("web")
    assert (event.action, event.detail, event.token_id) == ("policy changed", "a detail", None)
    assert (event.actor, event.occurred_at) == (context.actor, LOCAL_MOMENT)


def test_the_salt_comes_from_the_given_environment_else_the_process(context, database_url, salt):
    assert context.salt() == salt
    service = TokenService(context.storage, environ={})
    with pytest.raises(ConfigurationError, match=config.SALT_ENV):
        service.context.salt()


@pytest.mark.only_backend("sqlite")
def test_on_sqlite_the_actor_is_the_one_given_or_the_os_user(database_url, monkeypatch):
    monkeypatch.setenv("LOGNAME", "someone-at-the-keyboard")
    with app.open_service(database_url) as service:
        assert service.context.actor == "someone-at-the-keyboard"
    with app.open_service(database_url, actor="release-bot") as service:
        assert service.context.actor == "release-bot"


@pytest.mark.only_backend("postgresql")
def test_on_postgresql_the_actor_is_the_login_role_whatever_is_given(database_url, store):
    with app.open_service(database_url, actor="release-bot") as service:
        assert service.context.actor == store.actor
        assert service.context.access_controlled is True


@pytest.mark.only_backend("sqlite")
def test_on_sqlite_the_one_user_may_do_anything_without_asking(context, monkeypatch):
    def no_query(*_args):
        raise AssertionError("asked the database")

    monkeypatch.setattr(Context, "ask", no_query)
    assert context.access_controlled is False
    with context.writing():
        project = a_project(context, "web")
    for level in ACCESS_LEVELS:
        assert context.require(level) is None
        assert context.require(level, project) is None
    assert (context.level_on(project), context.level_everywhere()) == (ADMIN, ADMIN)
