"""The audit trail (``app/use_cases/audit_trail.py``) through the service: one project's
events, newest first, a page at a time, each token named as it is now or was when it went.
(What each change writes to it is tested with the use case that makes the change.)"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import app
from app.errors import NotFoundError, ValidationError


def test_the_audit_log_names_each_token_live_or_revoked(service):
    service.add_project("web")
    kept, _ = service.generate("web", "GitHub Actions")
    gone, _ = service.generate("web", "old laptop")
    service.revoke("web", gone.id)
    service.rename_token("web", kept.id, "GitHub Actions: production")
    names = {(e.action, e.token_id): e.token_name for e in service.audit_log("web")}
    assert names[("generated", kept.id)] == "GitHub Actions: production"  # its name now
    assert names[("revoked", gone.id)] == "old laptop"  # as it was when revoked
    assert names[("generated", gone.id)] == "old laptop"


def test_the_audit_log_is_newest_first_and_one_project_s_own(stepping_service):
    service = stepping_service
    service.add_project("web")
    service.add_project("api")
    first, _ = service.generate("web", "first")
    service.generate("api", "elsewhere")
    second, _ = service.generate("web", "second")
    service.revoke("web", first.id)
    events = service.audit_log("WEB")
    assert [(e.action, e.token_id) for e in events] == [
        ("revoked", first.id),
        ("generated", second.id),
        ("generated", first.id),
    ]
    assert {e.project for e in events} == {"web"}
    assert [e.occurred_at for e in events] == sorted((e.occurred_at for e in events), reverse=True)


def test_events_of_the_same_moment_come_newest_first_by_their_order(database_url):
    moment = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    with app.open_service(database_url, clock=lambda: moment) as service:
        service.add_project("web")
        names = ["a", "b", "c"]
        for name in names:
            service.generate("web", name)
        assert [e.token_name for e in service.audit_log("web")] == names[::-1]


def test_the_audit_log_comes_a_page_at_a_time(stepping_service):
    service = stepping_service
    service.add_project("web")
    for index in range(5):
        service.generate("web", f"token {index}")
    everything = service.audit_log("web")
    pages = [service.audit_log("web", offset=offset, limit=2) for offset in (0, 2, 4)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [e for page in pages for e in page] == everything
    assert service.audit_log("web", offset=5) == []


@pytest.mark.parametrize(("offset", "limit"), [(-1, None), (0, 0), (0, -3), (True, None), ("1", 2)])
def test_a_page_no_query_can_ask_for_is_refused(service, offset, limit):
    service.add_project("web")
    with pytest.raises(ValidationError, match="a page needs whole numbers"):
        service.audit_log("web", offset=offset, limit=limit)


def test_the_audit_log_of_an_unknown_project_is_refused(service):
    with pytest.raises(NotFoundError, match="no project named 'nope'"):
        service.audit_log("nope")
