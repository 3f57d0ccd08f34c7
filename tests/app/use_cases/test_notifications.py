"""Notifications through the service (both backends): recipients and webhooks added,
listed and removed; and notify, run with an injected clock against a real SMTP server and
a local webhook receiver that checks every signature.

Each (token, threshold) is warned about once; a run skipped over thresholds warns once,
for the nearest; a second run sends nothing new; a webhook that was down gets what it
missed, in order, at the next run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import app
from app import config
from app.errors import (
    ConfigurationError,
    ConflictError,
    NotFoundError,
    ValidationError,
)
from app.lifecycle import Expiry
from app.notifications.records import FAILED, SENT, WOULD_SEND
from tests.support.receivers import Receiver, receiving

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class Clock:
    """The service's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def clocked(database_url, clock):
    with app.open_service(database_url, clock=clock) as service:
        service.add_project("web")
        service.add_project("api")
        yield service


def run(service):
    """notify, with no wait between a webhook's attempts."""
    return service.notify(sleep=lambda _: None)


def expiring_in(service, project, name, days):
    record, _ = service.generate(project, name, expiry=Expiry.after(timedelta(days=days)))
    return record


def subjects(mail, address):
    return [received.message["Subject"] for received in mail.to(address)]


def warnings_recorded(store):
    """(token id, threshold, warned) of each row, by token and threshold."""
    rows = store.query("SELECT token_id, threshold_days, warned FROM expiry_warning")
    return sorted((int(token), int(days), bool(warned)) for token, days, warned in rows)


# --- adding, listing, removing ---------------------------------------------------------


def test_recipients_and_webhooks_of_a_project_and_of_all(service, store):
    service.add_project("web")
    mail, none = service.add_notification("web", "email", " ops@example.com ")
    hook, secret = service.add_notification(None, "webhook", "https://hooks.example.com/dt")
    assert none is None
    assert (mail.project, mail.kind, mail.address) == ("web", "email", "ops@example.com")
    assert (hook.project, hook.kind, hook.created_by) == (None, "webhook", store.actor)
    assert secret.startswith("mldw_")
    assert secret not in repr(store.dump())  # the seed is stored, never the secret
    assert [n.id for n in service.list_notifications("web")] == [mail.id, hook.id]
    assert [n.id for n in service.list_notifications(None)] == [hook.id]
    assert service.list_notifications("web")[0].last_delivery is None
    removed = service.remove_notification("web", mail.id)
    assert removed.address == "ops@example.com"
    assert [n.id for n in service.list_notifications("web")] == [hook.id]
    actions = [(e.action, e.detail) for e in service.audit_log("web")]
    assert ("notification added", f"e-mail recipient {mail.id}: ops@example.com") in actions
    assert ("notification removed", f"e-mail recipient {mail.id}: ops@example.com") in actions


def test_the_same_place_twice_is_refused_and_ids_are_not_reused(service, store):
    service.add_project("web")
    first, _ = service.add_notification("web", "email", "ops@example.com")
    with pytest.raises(ConflictError, match="project 'web' already has that e-mail recipient"):
        service.add_notification("web", "email", "OPS@example.com")
    service.add_notification(None, "email", "ops@example.com")  # another scope: fine
    service.remove_notification("web", first.id)
    again, _ = service.add_notification("web", "email", "ops@example.com")
    assert again.id > first.id


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [(lambda s: s.add_notification("nope", "email", "a@example.com"), NotFoundError, "nope"),
     (lambda s: s.add_notification("web", "pager", "x"), ValidationError, "email or webhook"),
     (lambda s: s.add_notification("web", "webhook", "http://example.com/"), ValidationError,
      "must be https://"),
     (lambda s: s.remove_notification("web", 99), NotFoundError,
      "there is no notification 99 in project 'web'"),
     (lambda s: s.remove_notification(None, 99), NotFoundError, "99 for all projects"),
     (lambda s: s.set_warning_days("web", [0]), ValidationError, "from 1 to 3650")],
)  # fmt: skip
def test_wrong_requests_change_nothing(service, store, call, error, message):
    service.add_project("web")
    before = store.dump()
    with pytest.raises(error, match=message):
        call(service)
    assert store.dump() == before


def test_a_notification_of_one_project_is_not_removed_through_another(service):
    service.add_project("web")
    service.add_project("api")
    target, _ = service.add_notification("web", "email", "ops@example.com")
    with pytest.raises(NotFoundError):
        service.remove_notification("api", target.id)
    with pytest.raises(NotFoundError):
        service.remove_notification(None, target.id)


def test_a_webhook_needs_the_salt_to_be_added(service, monkeypatch, store):
    service.add_project("web")
    before = store.dump()
    monkeypatch.delenv(config.SALT_ENV)
    with pytest.raises(ConfigurationError, match="ML_DEPLOYMENT_TOKEN_SALT"):
        service.add_notification("web", "webhook", "https://hooks.example.com/")
    assert store.dump() == before


def test_thresholds_are_the_projects_own(service):
    service.add_project("web")
    assert service.warning_days("web") == (30, 7, 1)
    assert service.set_warning_days("web", [3, 14]) == (14, 3)
    assert service.warning_days("web") == (14, 3)
    assert service.set_warning_days("web", []) == ()
    [event, *_] = service.audit_log("web")
    assert (event.action, event.detail) == ("warning days changed", "no expiry warnings")


def test_deleting_a_project_or_revoking_a_token_takes_their_rows_along(clocked, store):
    target, _ = clocked.add_notification("web", "email", "ops@example.com")
    token = expiring_in(clocked, "web", "ci", 3)
    clocked.set_warning_days("web", [7])
    clocked.notify(dry_run=False)
    assert warnings_recorded(store) == [(token.id, 7, True)]
    clocked.revoke("web", token.id)
    assert warnings_recorded(store) == []
    clocked.delete_project("web")
    assert store.query("SELECT count(*) FROM notification_target")[0][0] == 0
    assert store.query("SELECT count(*) FROM notification_policy")[0][0] == 0
    assert store.query("SELECT count(*) FROM notification_delivery")[0][0] == 0
    assert target.id


# --- notify: expiry warnings ----------------------------------------------------------


def test_each_threshold_is_warned_about_once_as_it_is_reached(clocked, clock, mail, store):
    clocked.add_notification("web", "email", "ops@example.com")
    token = expiring_in(clocked, "web", "ci deploy", 40)
    assert run(clocked).warnings == ()
    seen = []
    for days, threshold in ((10, 30), (23, 7), (6, 1)):
        clock.advance(days=days)
        report = run(clocked)
        assert [(w.token_id, w.threshold_days) for w in report.warnings] == [(token.id, threshold)]
        assert [(d.outcome, d.items) for d in report.deliveries] == [(SENT, 1)]
        seen.append(threshold)
        again = run(clocked)  # the same moment, or a little later: nothing new
        assert (again.warnings, again.deliveries) == ((), ())
    clock.advance(days=2)  # expired: past warning
    assert run(clocked).warnings == ()
    assert subjects(mail, "ops@example.com") == ["Deployment tokens: 1 expiring soon"] * 3
    assert warnings_recorded(store) == [(token.id, day, True) for day in sorted(seen)]


def test_a_run_skipped_over_thresholds_warns_once_for_the_nearest(clocked, clock, mail, store):
    clocked.add_notification("web", "email", "ops@example.com")
    token = expiring_in(clocked, "web", "ci", 40)
    clock.advance(days=35)  # 5 days left: past 30 and 7 since the last run
    report = run(clocked)
    assert [w.threshold_days for w in report.warnings] == [7]
    assert warnings_recorded(store) == [(token.id, 7, True), (token.id, 30, False)]
    [received] = mail.to("ops@example.com")
    text = received.message.get_content()
    assert f"* web / ci ({token.preview}, id {token.id})" in text
    assert "in 5 days" in text
    assert f"deployment-tokens tokens rotate --project web {token.id}" in text
    assert run(clocked).deliveries == ()


def test_no_warning_for_expired_revoked_retiring_or_unending_tokens(clocked, clock, mail, store):
    clocked.add_notification(None, "email", "ops@example.com")
    expiring_in(clocked, "web", "expired", 1)
    revoked = expiring_in(clocked, "web", "revoked", 5)
    old = expiring_in(clocked, "web", "rotated", 60)
    clocked.generate("web", "forever", expiry=Expiry.no_expiry())
    clocked.revoke("web", revoked.id)
    clock.advance(days=2)
    clocked.rotate("web", old.id, grace=timedelta(days=10))  # retiring within 30 days
    report = run(clocked)
    assert report.warnings == ()
    assert warnings_recorded(store) == []


def test_thresholds_follow_each_projects_setting(clocked, clock, mail):
    clocked.add_notification(None, "email", "ops@example.com")
    clocked.set_warning_days("api", [])
    clocked.set_warning_days("web", [3])
    web = expiring_in(clocked, "web", "ci", 5)
    expiring_in(clocked, "api", "ci", 5)
    assert run(clocked).warnings == ()
    clock.advance(days=2, seconds=1)
    assert [w.token_id for w in run(clocked).warnings] == [web.id]


def test_one_digest_per_recipient_names_every_token(clocked, mail):
    clocked.add_notification("web", "email", "web@example.com")
    clocked.add_notification("api", "email", "api@example.com")
    clocked.add_notification(None, "email", "all@example.com")
    for project, name in (("web", "a"), ("web", "b"), ("api", "c")):
        expiring_in(clocked, project, name, 3)
    report = run(clocked)
    assert sorted(w.name for w in report.warnings) == ["a", "b", "c"]
    assert subjects(mail, "web@example.com") == ["Deployment tokens: 2 expiring soon"]
    assert subjects(mail, "api@example.com") == ["Deployment tokens: 1 expiring soon"]
    assert subjects(mail, "all@example.com") == ["Deployment tokens: 3 expiring soon"]
    text = mail.to("web@example.com")[0].message.get_content()
    assert "* web / a (" in text
    assert "* web / b (" in text
    assert "/ c (" not in text


def test_a_project_nobody_hears_about_records_no_warning(clocked, store):
    clocked.add_notification("api", "email", "api@example.com")
    expiring_in(clocked, "web", "ci", 3)
    assert run(clocked).warnings == ()
    assert warnings_recorded(store) == []


# --- notify: leak revocations by e-mail, every event to webhooks ------------------------


def test_leak_revocations_are_mailed_and_ordinary_revokes_are_not(clocked, mail):
    clocked.add_notification("web", "email", "ops@example.com")
    leaked, plaintext = clocked.generate("web", "leaky")
    ordinary, _ = clocked.generate("web", "ordinary")
    clocked.revoke("web", ordinary.id)
    clocked.revoke_leaked([plaintext], source="a public gist")
    report = run(clocked)
    assert [(d.outcome, d.detail) for d in report.deliveries] == [(SENT, "1 revoked after a leak")]
    [received] = mail.to("ops@example.com")
    text = received.message.get_content()
    assert f"token {leaked.id} ({leaked.preview})" in text
    assert "leaked: found in a public gist" in text
    assert f"token {ordinary.id}" not in text
    assert plaintext not in received.message.as_string()
    assert run(clocked).deliveries == ()


def test_a_failed_rotation_of_rotate_due_is_mailed(clocked, clock, mail, openbao, monkeypatch):
    from app.destinations import vault_target

    monkeypatch.setenv("VAULT_TOKEN", openbao.root_token)
    clocked.add_destination("web", "bao", vault_target(openbao.url, f"{openbao.path_prefix}/w"))
    pushed = clocked.generate_and_push("web", "bao", expiry=Expiry.after(timedelta(days=30)))
    clocked.set_rotation_policy("web", 14)
    clocked.add_notification("web", "email", "ops@example.com")
    clock.advance(days=20)
    monkeypatch.setenv("VAULT_TOKEN", "hvs.expired-credential")
    [failed] = clocked.rotate_due()
    assert failed.outcome == "failed"
    report = run(clocked)
    # Ten days before it expires: the token that could not be rotated is warned about too.
    said = "1 expiring soon and 1 push failed"
    assert [(d.outcome, d.detail) for d in report.deliveries] == [(SENT, said)]
    [received] = mail.to("ops@example.com")
    assert received.message["Subject"] == f"Deployment tokens: {said}"
    text = received.message.get_content()
    assert "These pushes to a destination failed." in text
    assert f"token {pushed.token.id} is left as it was" in text
    assert "destinations list --project web" in text
    assert "hvs.expired-credential" not in received.message.as_string()


def test_webhooks_get_every_event_in_order_signed_once(clocked, clock, store):
    with receiving() as everything, receiving() as api_only:
        _, everything.secret = clocked.add_notification(None, "webhook", everything.url)
        _, api_only.secret = clocked.add_notification("api", "webhook", api_only.url)
        record, plaintext = clocked.generate("web", "ci")
        clocked.rotate("web", record.id)
        api = expiring_in(clocked, "api", "deploy", 3)
        clocked.revoke_leaked([plaintext])  # already rotated away: nothing to revoke
        clocked.revoke("api", expiring_in(clocked, "api", "spare", 90).id)
        report = run(clocked)
        assert {d.outcome for d in report.deliveries} == {SENT}
        assert run(clocked).deliveries == ()  # nothing new
    events = [p for p in everything.accepted if p["type"].startswith("audit.")]
    assert [p["type"] for p in events] == [
        "audit.notification_added", "audit.notification_added",  # its own, then api's
        "audit.generated", "audit.rotated", "audit.generated",  # a rotation's two
        "audit.generated", "audit.generated", "audit.revoked",
    ]  # fmt: skip
    seqs = [p["event"]["seq"] for p in events]
    assert seqs == sorted(seqs)
    assert all(d.valid for d in everything.received + api_only.received)
    assert [p["id"] for p in events] == [p["event"]["hash"] for p in events]
    assert {p["event"]["project"] for p in api_only.accepted if "event" in p} == {"api"}
    [expiry] = [p for p in api_only.accepted if p["type"] == "token.expiring"]
    assert expiry["id"] == f"expiry-{api.id}-7d"
    assert len(everything.received) == len(everything.accepted)  # each once
    assert plaintext not in repr([d.body for d in everything.received])


def test_a_webhook_that_fails_twice_gets_it_in_the_same_run(clocked):
    with receiving(Receiver(failures=[503, 502])) as receiver:
        _, receiver.secret = clocked.add_notification("web", "webhook", receiver.url)
        clocked.generate("web", "ci")
        [delivery] = run(clocked).deliveries
    assert (delivery.outcome, delivery.items) == (SENT, 2)
    assert [d.headers["answered"] for d in receiver.received] == ["503", "502", "204", "204"]
    assert [p["type"] for p in receiver.accepted] == ["audit.notification_added", "audit.generated"]


def test_a_webhook_that_is_down_gets_what_it_missed_at_the_next_run(clocked, store):
    receiver = Receiver()
    _, receiver.secret = clocked.add_notification("web", "webhook", receiver.url)
    clocked.generate("web", "one")
    [down] = run(clocked).deliveries
    assert down.outcome == FAILED
    assert down.detail == (
        "cannot connect: Connection refused (after 3 attempts); 2 waiting for the next run"
    )
    [listed] = clocked.list_notifications("web")
    assert (listed.last_delivery.outcome, listed.last_delivery.detail) == (FAILED, down.detail)
    clocked.generate("web", "two")
    with receiving(receiver):
        report = run(clocked)
    assert report.failed is False
    assert [p["type"] for p in receiver.accepted] == [
        "audit.notification_added", "audit.generated", "audit.generated",
    ]  # fmt: skip
    [listed] = clocked.list_notifications("web")
    assert (listed.last_delivery.outcome, listed.last_delivery.items) == (SENT, 3)


def test_without_an_smtp_url_mail_fails_and_webhooks_still_go(clocked, monkeypatch):
    monkeypatch.delenv(config.SMTP_URL_ENV, raising=False)
    clocked.add_notification("web", "email", "ops@example.com")
    with receiving() as receiver:
        _, receiver.secret = clocked.add_notification("web", "webhook", receiver.url)
        expiring_in(clocked, "web", "ci", 2)
        report = run(clocked)
    outcomes = {d.target.kind: (d.outcome, d.detail) for d in report.deliveries}
    assert outcomes["email"] == (FAILED, "ML_DEPLOYMENT_SMTP_URL is not set: no e-mail can be sent")
    assert outcomes["webhook"][0] == SENT
    assert report.failed


def test_a_wrong_smtp_url_stops_the_run_before_anything_is_written(clocked, monkeypatch, store):
    clocked.add_notification("web", "email", "ops@example.com")
    expiring_in(clocked, "web", "ci", 2)
    monkeypatch.setenv(config.SMTP_URL_ENV, "smtp://u:pw-secret@mail.example.com/?starttls=no")
    before = store.dump()
    with pytest.raises(ConfigurationError, match="ML_DEPLOYMENT_SMTP_URL is not usable") as wrong:
        run(clocked)
    assert "pw-secret" not in str(wrong.value)
    assert store.dump() == before


def test_a_dry_run_sends_and_records_nothing(clocked, clock, mail, store):
    clocked.add_notification("web", "email", "ops@example.com")
    with receiving() as receiver:
        _, receiver.secret = clocked.add_notification(None, "webhook", receiver.url)
        token = expiring_in(clocked, "web", "ci", 6)
        before = store.dump()
        report = clocked.notify(dry_run=True)
        assert store.dump() == before
        assert receiver.received == []
    assert mail.messages == []
    assert report.dry_run
    assert [(w.token_id, w.threshold_days) for w in report.warnings] == [(token.id, 7)]
    assert {(d.target.kind, d.outcome, d.detail) for d in report.deliveries} == {
        ("email", WOULD_SEND, "1 expiring soon"),
        ("webhook", WOULD_SEND, "2 events, 1 warning"),
    }


def test_notify_needs_no_recipient_to_run(service):
    service.add_project("web")
    report = service.notify()
    assert (report.warnings, report.deliveries, report.failed) == ((), (), False)
