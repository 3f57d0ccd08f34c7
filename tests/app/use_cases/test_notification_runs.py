"""What a run sends each target and where its cursors go (both backends): in order, each
event once a run, the cursors following what the receiver took, never moving back."""

from __future__ import annotations

import pytest

from app.notifications import webhooks
from app.notifications.records import FAILED, SENT
from app.use_cases import notification_runs
from app.use_cases.notification_runs import Heads, pending_for, targets
from tests.support.receivers import Receiver, receiving


def run(service):
    return service.notify(sleep=lambda _: None)


def cursors(store, target_id):
    [row] = store.query(
        "SELECT audit_cursor, warning_cursor FROM notification_target WHERE id = %s", target_id
    )
    return tuple(int(value) for value in row)


def head_seq(store):
    return int(store.query("SELECT max(seq) FROM audit_event")[0][0])


@pytest.fixture
def web(service):
    service.add_project("web")
    return service


def test_a_new_target_starts_at_the_head_and_hears_of_its_own_addition(web, store):
    web.generate("web", "before")
    head = head_seq(store)
    target, _ = web.add_notification("web", "email", "ops@example.com")
    assert cursors(store, target.id) == (head, 0)
    with web.context.reading():
        [(found, _)] = targets(None)
        pending = pending_for(found, Heads.now())
    assert [e.action for e in pending.events] == []  # e-mail hears of leaks alone
    hook, _ = web.add_notification("web", "webhook", "http://127.0.0.1:9/")
    with web.context.reading():
        pending = pending_for(targets(None)[1][0], Heads.now())
    assert [e.action for e in pending.events] == ["notification added"]
    assert pending.target.id == hook.id


def test_a_webhook_failing_part_way_keeps_its_place(web, store):
    receiver = Receiver(failures=[204, 500, 500, 500])  # the second event fails three times
    with receiving(receiver):
        target, receiver.secret = web.add_notification("web", "webhook", receiver.url)
        for name in ("one", "two", "three"):
            web.generate("web", name)
        [failed] = run(web).deliveries
        assert (failed.outcome, failed.items) == (FAILED, 1)
        assert failed.detail == "HTTP 500 (after 3 attempts); 3 waiting for the next run"
        first = receiver.accepted[0]["event"]["seq"]
        assert cursors(store, target.id)[0] == first
        [sent] = run(web).deliveries
    assert (sent.outcome, sent.items) == (SENT, 3)
    seqs = [p["event"]["seq"] for p in receiver.accepted]
    assert seqs == sorted(set(seqs))  # in order, each accepted once
    assert len(seqs) == 4
    assert cursors(store, target.id)[0] == head_seq(store)


def test_a_target_removed_during_a_run_is_not_recorded(web, store, monkeypatch):
    with receiving() as receiver:
        target, receiver.secret = web.add_notification("web", "webhook", receiver.url)
        real = webhooks.Poster.post

        def remove_then_post(poster, payload):
            web.remove_notification("web", target.id)
            return real(poster, payload)

        monkeypatch.setattr(webhooks.Poster, "post", remove_then_post)
        [delivery] = run(web).deliveries
    assert delivery.outcome == SENT
    assert store.query("SELECT count(*) FROM notification_delivery") == [(0,)]


def test_a_long_backlog_goes_a_batch_a_run(web, store, monkeypatch):
    monkeypatch.setattr(notification_runs, "MAX_ITEMS_PER_RUN", 2)
    with receiving() as receiver:
        target, receiver.secret = web.add_notification("web", "webhook", receiver.url)
        for name in ("one", "two", "three", "four"):
            web.generate("web", name)
        sizes = [run(web).deliveries[0].items for _ in range(3)]
        assert run(web).deliveries == ()
    assert sizes == [2, 2, 1]
    assert len(receiver.accepted) == 5
    assert cursors(store, target.id)[0] == head_seq(store)


def test_cursors_never_move_back(web, store):
    target, _ = web.add_notification("web", "email", "ops@example.com")
    web.generate("web", "ci")
    with web.context.reading():
        [(found, _)] = targets(None)
    ahead = cursors(store, target.id)[0] + 1
    store.execute(
        "UPDATE notification_target SET audit_cursor = %s WHERE id = %s", ahead, target.id
    )
    with web.context.reading():
        pending = pending_for(found, Heads(seq=ahead - 1, warning=0))
    notification_runs._record(
        web.context, notification_runs._Outcome(pending, None, cursors=(ahead - 1, 0))
    )
    assert cursors(store, target.id) == (ahead, 0)


def test_the_list_shows_each_targets_last_delivery(web, monkeypatch):
    monkeypatch.delenv("ML_DEPLOYMENT_SMTP_URL", raising=False)
    web.add_notification("web", "email", "ops@example.com")
    web.revoke_leaked([web.generate("web", "ci")[1]])
    run(web)
    run(web)  # tried again: the newest line of the log is shown
    [listed] = web.list_notifications("web")
    assert listed.last_delivery.outcome == FAILED
    assert listed.last_delivery.items == 0
    with web.context.reading():
        [(_, last)] = targets(None, with_last=True)
    assert last == listed.last_delivery
