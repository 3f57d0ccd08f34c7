"""The service as such (``app/service.py``): ``open_service``, the public API's shape, how
each method hands over to its use case, the connection, and several services at once.
What each use case does is tested in the mirrored file of its module,
``tests/app/use_cases/test_<module>.py``."""

from __future__ import annotations

import inspect
import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest

import app
from app.errors import StorageError
from app.service import TokenService
from app.use_cases.deployment_tokens import DeploymentTokens
from app.use_cases.projects import Projects
from app.use_cases.secret_holders import IntrospectionClients


def test_open_service_is_the_package_api(database_url):
    with app.open_service(database_url) as service:
        assert isinstance(service, TokenService)


def test_the_public_facade_takes_every_documented_argument(tmp_path):
    """``from app import open_service`` offers what the README documents."""
    missing = tmp_path / "typo.db"
    with pytest.raises(StorageError, match="there is no database"):
        app.open_service(f"sqlite:///{missing}", create=False)
    assert not missing.exists()
    moment = datetime(2026, 1, 1, 9, 30, tzinfo=UTC)
    url = f"sqlite:///{tmp_path / 'tokens.db'}"
    with app.open_service(url, clock=lambda: moment, actor="release-bot") as service:
        service.add_project("web")
        record, _ = service.generate("web")
        assert (record.created_at, record.created_by) == (moment, "release-bot")
        assert service.audit_log("web")[0].actor == "release-bot"


def test_records_are_read_only(service):
    record = service.add_project("web")
    with pytest.raises(AttributeError):
        record.name = "other"  # type: ignore[misc]


def test_a_busy_database_is_a_clear_storage_error(sqlite_url, database_path):
    with app.open_service(sqlite_url) as service:
        service.add_project("web")
        blocker = sqlite3.connect(database_path, timeout=0)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            # Reopen with a short busy timeout so the test does not wait out the real 5 s.
            service.storage.database.close()
            service.storage.database.init(
                str(database_path), pragmas={"busy_timeout": 50}, timeout=0.05
            )
            with pytest.raises(StorageError, match="locked by another program"):
                service.add_project("api")
        finally:
            blocker.rollback()
            blocker.close()


def test_two_services_in_one_process_each_use_their_own_database(database_url, tmp_path):
    first = app.open_service(database_url)
    second = app.open_service(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        first.add_project("web")
        assert second.list_projects() == []
        second.add_project("api")
        assert [p.name for p in first.list_projects()] == ["web"]
        assert [p.name for p in second.list_projects()] == ["api"]
    finally:
        second.close()
        first.close()


# How a method reaches its use case (``_UseCase``).


def test_a_method_read_on_the_class_looks_like_its_use_case():
    assert TokenService.generate.__doc__ == DeploymentTokens.generate.__doc__
    assert inspect.signature(TokenService.generate) == inspect.signature(DeploymentTokens.generate)
    assert TokenService.add_client.__doc__ == IntrospectionClients.add.__doc__
    assert TokenService.add_project.__name__ == "add_project"


def test_a_method_of_the_service_is_its_use_case_bound_once(service):
    assert inspect.signature(service.add_project) == inspect.signature(
        Projects(service.context).add_project
    )
    assert service.add_project is service.add_project  # kept after the first call
    assert TokenService.add_project(service, "web").name == "web"  # as any method
    assert [p.name for p in service.list_projects()] == ["web"]


def test_the_service_acts_as_its_context_says(tmp_path):
    given = datetime(2026, 3, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    url = f"sqlite:///{tmp_path / 'tokens.db'}"
    with app.open_service(url, clock=lambda: given, actor="release-bot") as service:
        assert service.now() == given
        assert service.now().tzinfo is UTC
        assert service.actor == "release-bot"
        assert service.location == str(tmp_path / "tokens.db")
        assert service.context.actor == "release-bot"


# The connection.


def test_the_revision_moves_when_any_client_commits_and_not_on_a_read(service, database_url):
    before = service.revision()
    service.list_projects()
    assert service.revision() == before
    with app.open_service(database_url) as other:
        other.add_project("web")
    assert service.revision() > before


def test_after_close_the_next_call_opens_the_connection_again(service):
    service.add_project("web")
    service.close()
    assert [p.name for p in service.list_projects()] == ["web"]
    service.reconnect()
    assert [p.name for p in service.list_projects()] == ["web"]


def test_reconnect_never_creates_a_deleted_database_file(sqlite_url, database_path):
    with app.open_service(sqlite_url) as service:
        service.add_project("web")
        service.close()
        database_path.unlink()
        with pytest.raises(StorageError):
            service.reconnect()
    assert not database_path.exists()
