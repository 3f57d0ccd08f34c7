"""Finding an event of the chain from the window (ui/audit_search.py): the rows of a
project's log down to it, whether it is the project's at all, and its hash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.service import TokenService
from ui.audit_search import closed_after, hash_of, locate


@pytest.fixture
def trail(service: TokenService, people) -> TokenService:
    """web and api; web's events by maria and devon, one of api's in between."""
    service.add_project("web")
    service.add_project("api")
    maria = people("maria", "web")
    devon = people("devon", "web")
    people("devon", "api")
    for index in range(5):
        maria.generate("web", f"web {index}")
    devon.generate("api", "elsewhere")
    first = service.list_tokens("web")[-1]
    devon.revoke("web", first.id)
    maria.rename_token("web", service.list_tokens("web")[0].id, "renamed")
    return service


def seq_of(service: TokenService, project: str, action: str) -> int:
    return next(e.seq for e in service.export_audit(project=project) if e.action == action)


def test_the_rows_down_to_an_event_are_those_the_pane_shows(trail):
    log = trail.audit_log("web")
    wanted = log[4]
    located = locate(trail, "web", wanted.seq, page_size=1)
    assert located is not None
    assert located.seq == wanted.seq
    assert (located.action, located.actor) == (None, None)
    # Down to it, and a page beyond: newest first, as the table reads them.
    assert located.records == log[:6]
    assert located.records.index(wanted) == 4
    assert not located.exhausted
    # A page beyond the end: all there are.
    located = locate(trail, "web", wanted.seq, page_size=len(log))
    assert located is not None
    assert located.records == log
    assert located.exhausted


def test_a_filter_that_shows_the_event_is_kept_and_one_that_hides_it_is_not(trail):
    generated = [e for e in trail.audit_log("web") if e.action == "generated"]
    maria = generated[2].actor
    located = locate(trail, "web", generated[2].seq, "generated", maria, page_size=1)
    assert located is not None
    assert (located.action, located.actor) == ("generated", maria)
    assert located.records == generated[:4]
    assert not located.exhausted
    revoked = seq_of(trail, "web", "revoked")
    located = locate(trail, "web", revoked, "generated", None)
    assert located is not None
    assert (located.action, located.actor) == (None, None)
    assert revoked in [e.seq for e in located.records]


def test_another_project_s_event_or_one_removed_is_not_located(trail):
    assert locate(trail, "web", seq_of(trail, "api", "generated")) is None
    assert locate(trail, "web", 10**6) is None


def test_the_hash_is_the_chain_s_own(trail):
    chain = {e.seq: e.hash for e in trail.export_audit()}
    for record in trail.audit_log("web"):
        assert hash_of(trail, "web", record) == chain[record.seq]
    other = trail.audit_log("api")[0]
    assert hash_of(trail, "web", other) is None


def test_a_stream_read_in_part_is_closed(trail):
    events = trail.export_audit()
    with closed_after(events) as stream:
        next(stream)
    with pytest.raises(StopIteration):
        next(events)  # closed: its read transaction is over


def test_events_at_the_same_moment_keep_the_table_s_order(service):
    """A clock that does not move (a coarse one, or many events in one tick): the table
    orders by time, then by place in the chain."""
    moment = datetime(2026, 3, 1, tzinfo=UTC)
    frozen = TokenService(service.storage, clock=lambda: moment)
    frozen.add_project("web")
    for index in range(4):
        frozen.generate("web", f"token {index}")
    TokenService(service.storage, clock=lambda: moment + timedelta(days=1)).generate("web", "late")
    log = service.audit_log("web")
    for row, record in enumerate(log):
        located = locate(service, "web", record.seq, page_size=1)
        assert located is not None
        assert located.records.index(record) == row
