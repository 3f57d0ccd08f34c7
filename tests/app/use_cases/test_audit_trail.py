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


# --- The chain across projects: head, verify, export (schema version 9) -------------------


def tamper(store, sql: str, *parameters: object) -> None:
    """Change the trail behind the app's back: SQL on the file, or, on PostgreSQL, as a
    superuser with triggers off (the append-only trigger refuses anyone else)."""
    if store.backend == "sqlite":
        store.execute(sql, *parameters)
        return
    import psycopg

    with psycopg.connect(store.url, autocommit=True) as connection:
        connection.execute("SET session_replication_role = replica")
        connection.execute(sql, parameters)  # type: ignore[arg-type]


@pytest.fixture
def trail(service):
    """Five events in two projects: generated three times, revoked, renamed."""
    service.add_project("web")
    service.add_project("api")
    first, _ = service.generate("web", "first")
    service.generate("api", "elsewhere")
    second, _ = service.generate("web", "second")
    service.revoke("web", first.id)
    service.rename_token("web", second.id, "second, renamed")
    return service


def test_every_event_is_chained_in_the_order_it_was_written(trail):
    events = list(trail.export_audit())
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert [(e.action, e.project) for e in events] == [
        ("generated", "web"),
        ("generated", "api"),
        ("generated", "web"),
        ("revoked", "web"),
        ("renamed", "web"),
    ]
    verdict = trail.verify_audit()
    assert verdict.intact
    assert verdict.events == 5
    assert verdict.head == trail.audit_head()
    assert str(verdict.head) == f"5:{events[-1].hash}"


def test_an_empty_trail_has_no_head_and_verifies(service):
    assert service.audit_head() is None
    assert service.verify_audit().intact


def test_a_changed_event_is_named(trail, store):
    tamper(store, "UPDATE audit_event SET actor = 'mallory' WHERE seq = 3")
    verdict = trail.verify_audit()
    assert verdict.broken_at == 3
    assert "event 3 was changed" in verdict.reason


def test_a_changed_time_is_named(trail, store):
    tamper(store, "UPDATE audit_event SET occurred_at = %s WHERE seq = 2", datetime(2020, 1, 1))
    assert trail.verify_audit().broken_at == 2


def test_a_removed_event_is_named(trail, store):
    tamper(store, "DELETE FROM audit_event WHERE seq = 2")
    verdict = trail.verify_audit()
    assert verdict.broken_at == 2
    assert "event 2 was removed" in verdict.reason


def test_an_inserted_event_is_named(trail, store):
    tamper(store, "UPDATE audit_event SET seq = seq + 1000 WHERE seq >= 3")
    tamper(store, "UPDATE audit_event SET seq = seq - 999 WHERE seq > 1000")
    tamper(
        store,
        "INSERT INTO audit_event (seq, hash, project_id, project_name, action, token_id, "
        "token_preview, actor, occurred_at, detail) "
        "SELECT 3, hash, project_id, project_name, 'revoked', token_id, token_preview, "
        "'mallory', occurred_at, '' FROM audit_event WHERE seq = 2",
    )
    verdict = trail.verify_audit()
    assert verdict.broken_at == 3
    assert "event 3" in verdict.reason


def test_reordered_events_are_named(trail, store):
    tamper(store, "UPDATE audit_event SET seq = 100 WHERE seq = 2")
    tamper(store, "UPDATE audit_event SET seq = 2 WHERE seq = 3")
    tamper(store, "UPDATE audit_event SET seq = 3 WHERE seq = 100")
    verdict = trail.verify_audit()
    assert verdict.broken_at == 2
    assert verdict.reason == "events 2 and 3 were reordered"


def test_cutting_off_the_newest_events_is_caught_against_an_earlier_head(trail, store):
    head = trail.audit_head()
    tamper(store, "DELETE FROM audit_event WHERE seq >= 4")
    assert trail.verify_audit().intact  # alone, a shorter chain looks whole
    verdict = trail.verify_audit(head)
    assert verdict.broken_at == 5
    assert "cut off" in verdict.reason
    # Appending again does not hide it: event 5 is not the one the head named.
    trail.generate("web", "after the cut")
    trail.generate("web", "and another")
    assert trail.verify_audit(head).broken_at == 5


def test_a_deleted_project_keeps_its_events_in_the_chain(trail):
    trail.delete_project("api")
    events = list(trail.export_audit())
    assert [(e.action, e.project) for e in events if e.project == "api"] == [
        ("generated", "api"),
        ("project deleted", "api"),
    ]
    assert trail.verify_audit().intact
    trail.add_project("api")  # a new project of the same name starts afresh
    assert trail.audit_log("api") == []


def test_a_renamed_project_keeps_its_old_name_in_older_events(trail):
    trail.rename_project("web", "website")
    names = [e.project for e in trail.export_audit()]
    assert names[0] == "web"
    assert names[-1] == "website"  # the rename, under the new name
    assert trail.verify_audit().intact
    assert len(trail.audit_log("website")) == 5


def test_export_since_starts_at_that_time(stepping_service):
    service = stepping_service
    service.add_project("web")
    for name in ("a", "b", "c"):
        service.generate("web", name)
    events = list(service.export_audit())
    later = list(service.export_audit(since=events[1].at.replace(tzinfo=UTC)))
    assert [e.seq for e in later] == [2, 3]
    assert list(service.export_audit(since=datetime(2999, 1, 1, tzinfo=UTC))) == []


def test_twenty_concurrent_writers_leave_one_intact_chain(database_url):
    import threading

    with app.open_service(database_url) as service:
        for index in range(4):
            service.add_project(f"p{index}")
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            with app.open_service(database_url) as own:
                for round_ in range(3):
                    token, _ = own.generate(f"p{worker % 4}", f"w{worker} r{round_}")
                    if round_ == 1:
                        own.revoke(f"p{worker % 4}", token.id)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with app.open_service(database_url) as service:
        verdict = service.verify_audit()
        assert verdict.intact, verdict.reason
        assert verdict.events == 20 * 4


def test_the_audit_log_filters_by_action_and_by_person(database_url):
    with app.open_service(database_url, actor="alice") as alice:
        alice.add_project("web")
        first, _ = alice.generate("web", "first")
        alice.revoke("web", first.id)
    with app.open_service(database_url, actor="bob") as bob:
        bob.generate("web", "second")
        actors = {"alice", "bob"} if bob.actor == "bob" else {bob.actor}
        assert [e.action for e in bob.audit_log("web", action="revoked")] == ["revoked"]
        assert bob.audit_filters("web") == (["generated", "revoked"], sorted(actors))
        if bob.actor == "bob":  # SQLite: the actor given; PostgreSQL: the login role
            assert [e.token_name for e in bob.audit_log("web", actor="bob")] == ["second"]
            assert bob.audit_log("web", actor="bob", action="revoked") == []


def test_each_event_of_the_log_knows_its_place_in_the_chain(trail):
    events = trail.audit_log("web")
    chain = {e.seq: e for e in trail.export_audit()}
    assert sorted(e.seq for e in events) == [1, 3, 4, 5]
    assert all(chain[e.seq].action == e.action for e in events)


def test_one_project_s_export_needs_only_that_project(trail):
    assert [e.seq for e in trail.export_audit(project="WEB")] == [1, 3, 4, 5]
    with pytest.raises(NotFoundError):
        list(trail.export_audit(project="nowhere"))
