"""A token's lifecycle through the service: expiry, rotation, environments, the policy,
and what the audit trail records of each (both backends)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

import app
from app import lifecycle
from app.errors import (
    ConflictError,
    NotFoundError,
    ValidationError,
)
from app.lifecycle import Expiry


@pytest.fixture
def clocked(database_url):
    """A service whose clock the test moves by hand: ``now[0]``."""
    now = [datetime(2026, 6, 1, 12, 0, tzinfo=UTC)]
    with app.open_service(database_url, clock=lambda: now[0]) as service:
        service.add_project("web")
        yield service, now


def test_a_new_token_expires_after_the_policy_default_and_stops_working_then(clocked):
    service, now = clocked
    record, plaintext = service.generate("web")
    assert record.expires_at == now[0] + timedelta(days=90)
    assert record.status(now[0]) == "active"
    now[0] = record.expires_at - timedelta(seconds=1)
    assert service.verify(plaintext) == "web"
    assert record.status(now[0]) == "expiring"
    now[0] = record.expires_at
    verdict = service.check(plaintext)
    assert (verdict.project, verdict.code) == (None, "expired")
    assert "expired at 2026-08-30 12:00 UTC" in verdict.reason
    # Still listed, so it can be seen and deleted.
    assert [t.status(now[0]) for t in service.list_tokens("web")] == ["expired"]


def test_expiry_choices_beyond_the_policy_are_refused_and_write_nothing(clocked, store):
    service, _ = clocked
    service.set_token_policy(
        "web", lifecycle.TokenPolicy(timedelta(days=30), timedelta(days=90), False)
    )
    before = store.dump()
    with pytest.raises(ValidationError, match="maximum token lifetime of 90 days"):
        service.generate("web", expiry=Expiry.after(timedelta(days=365)))
    with pytest.raises(ValidationError, match="never expire"):
        service.generate("web", expiry=Expiry.no_expiry())
    assert store.dump() == before
    record, _ = service.generate("web", expiry=Expiry.on(date(2026, 7, 1)))
    assert record.expires_at == datetime(2026, 7, 1, tzinfo=UTC)


def test_rotation_keeps_name_environments_and_lifetime_and_retires_the_old_token(clocked):
    service, now = clocked
    service.add_environment("web", "staging")
    service.add_environment("web", "production")
    old, old_plaintext = service.generate(
        "web", "deploy", expiry=Expiry.after(timedelta(days=30)), environments=["production"]
    )
    now[0] += timedelta(days=10)
    new, new_plaintext = service.rotate("web", old.id, grace=timedelta(hours=24))
    assert (new.name, new.environments) == ("deploy", ("production",))
    assert new.expires_at == now[0] + timedelta(days=30)
    [_, listed_old] = service.list_tokens("web")
    assert listed_old.id == old.id
    assert listed_old.status(now[0]) == "retiring"
    assert listed_old.replaced_by == new.id
    assert listed_old.expires_at == now[0] + timedelta(hours=24)
    assert service.verify(old_plaintext, "web", "production") == "web"
    assert service.verify(new_plaintext, "web", "production") == "web"
    now[0] += timedelta(hours=24)
    verdict = service.check(old_plaintext)
    assert verdict.code == "expired"
    assert "grace period ended" in verdict.reason
    assert service.verify(new_plaintext, "web", "production") == "web"
    with pytest.raises(ConflictError, match="rotated already"):
        service.rotate("web", old.id)
    rotated = [e for e in service.audit_log("web") if e.action == "rotated"]
    assert [e.token_id for e in rotated] == [old.id]
    assert f"replaced by token {new.id}" in rotated[0].detail
    generated = [e for e in service.audit_log("web") if e.token_id == new.id]
    assert f"rotated from token {old.id}" in generated[0].detail


def test_rotation_without_grace_revokes_the_old_token_at_once(clocked):
    service, _ = clocked
    old, old_plaintext = service.generate("web", "ci")
    new, new_plaintext = service.rotate("web", old.id)
    assert [t.id for t in service.list_tokens("web")] == [new.id]
    assert service.verify(old_plaintext) is None
    assert service.verify(new_plaintext) == "web"


def test_a_token_limited_to_environments_is_refused_elsewhere(clocked):
    service, _ = clocked
    for name in ("staging", "production"):
        service.add_environment("web", name)
    _, anywhere = service.generate("web")
    limited, staging_only = service.generate("web", environments=["Staging"])
    assert limited.environments == ("staging",)
    assert service.verify(anywhere, "web", "production") == "web"
    assert service.verify(staging_only, "web", "staging") == "web"
    # Limited to environments, it must be told one: "anywhere" is not among them.
    assert service.verify(staging_only, "web") is None
    unnamed = service.check(staging_only, "web")
    assert (unnamed.code, unnamed.reason) == (
        "wrong_environment",
        "the token is limited to environment 'staging' and none was named",
    )
    assert service.verify(anywhere, "web") == "web"  # not limited: no environment needed
    refused = service.check(staging_only, "web", "production")
    assert (refused.code, refused.reason) == (
        "wrong_environment",
        "the token is not allowed in environment 'production'",
    )
    unknown = service.check(anywhere, "web", "qa")
    assert unknown.code == "wrong_environment"
    assert "has no environment 'qa'" in unknown.reason
    with pytest.raises(NotFoundError, match="no environment 'qa'"):
        service.generate("web", environments=["qa"])


def test_an_environment_a_token_is_limited_to_cannot_be_removed(clocked):
    service, _ = clocked
    service.add_environment("web", "staging")
    service.add_environment("web", "qa")
    record, _ = service.generate("web", environments=["staging"])
    with pytest.raises(ConflictError, match="1 token is limited to environment 'staging'"):
        service.remove_environment("web", "staging")
    service.remove_environment("web", "QA")
    assert [e.name for e in service.list_environments("web")] == ["staging"]
    with pytest.raises(ConflictError, match="already has an environment named 'staging'"):
        service.add_environment("web", "STAGING")
    service.set_token_environments("web", record.id, [])
    service.remove_environment("web", "staging")
    assert service.list_environments("web") == []


def test_expiring_lists_soon_and_expired_tokens_across_projects(clocked):
    service, now = clocked
    service.add_project("api")
    service.generate("web", "soon", expiry=Expiry.after(timedelta(days=3)))
    service.generate("web", "later", expiry=Expiry.after(timedelta(days=30)))
    service.generate("api", "forever", expiry=Expiry.no_expiry())
    service.generate("api", "gone", expiry=Expiry.after(timedelta(hours=1)))
    now[0] += timedelta(hours=2)
    assert [t.name for t in service.expiring()] == ["gone", "soon"]
    assert [t.project for t in service.expiring()] == ["api", "web"]
    assert [t.name for t in service.expiring(timedelta(days=60))] == ["gone", "soon", "later"]
    counts = {p.name: p.attention_count for p in service.list_projects()}
    assert counts == {"api": 1, "web": 1}


def test_every_lifecycle_change_is_audited(clocked):
    service, _ = clocked
    service.add_environment("web", "production")
    record, _ = service.generate("web", "ci", environments=["production"])
    service.set_token_expiry("web", record.id, Expiry.after(timedelta(days=7)))
    service.set_token_environments("web", record.id, [])
    service.set_token_policy("web", lifecycle.TokenPolicy(timedelta(days=30)))
    events = [(e.action, e.detail) for e in reversed(service.audit_log("web"))]
    assert events[0] == ("environments changed", "added production")
    assert events[1][0] == "generated"
    assert "expires 2026-08-30 12:00 UTC; environments: production" in events[1][1]
    assert events[2] == ("expiry changed", "expires 2026-06-08 12:00 UTC")
    assert events[3] == ("environments changed", "environments: all")
    assert events[4] == (
        "policy changed",
        "default lifetime 30 days; maximum none; No expiry allowed",
    )


def test_the_verify_fast_path_refuses_expired_tokens_too(tmp_path, monkeypatch):
    from app import verification

    url = f"sqlite:///{tmp_path / 'tokens.db'}"
    now = [datetime.now(UTC)]
    with app.open_service(url, clock=lambda: now[0]) as service:
        service.add_project("web")
        _, plaintext = service.generate("web", expiry=Expiry.after(timedelta(hours=1)))
    assert verification.check_sqlite_file(url, plaintext).project == "web"
    later = datetime.now(UTC) + timedelta(hours=1, seconds=1)
    monkeypatch.setattr(verification, "datetime", _FrozenDatetime(later))
    verdict = verification.check_sqlite_file(url, plaintext)
    assert (verdict.project, verdict.code) == (None, "expired")


class _FrozenDatetime:
    """``datetime`` with a fixed ``now``, for the verifier's default clock."""

    def __init__(self, moment):
        self._moment = moment

    def now(self, tz=None):
        return self._moment

    def __getattr__(self, name):
        return getattr(datetime, name)


def test_a_token_stops_at_the_very_microsecond_it_expires(clocked):
    """Verify compares once-a-second bounds first; inside the second, exactly."""
    service, now = clocked
    record, plaintext = service.generate("web", expiry=Expiry.after(timedelta(seconds=1.5)))
    now[0] = record.expires_at - timedelta(microseconds=1)
    assert service.verify(plaintext) == "web"
    now[0] = record.expires_at
    assert service.check(plaintext).code == "expired"
    now[0] = record.expires_at - timedelta(seconds=1)
    assert service.verify(plaintext) == "web"


def test_a_rotated_token_cannot_be_kept_alive_by_a_new_expiry(clocked, store):
    service, now = clocked
    old, old_plaintext = service.generate("web", "ci", expiry=Expiry.after(timedelta(days=30)))
    service.rotate("web", old.id, grace=timedelta(hours=24))
    before = store.dump()
    for expiry in (Expiry.no_expiry(), Expiry.after(timedelta(days=60)), Expiry.default()):
        with pytest.raises(ConflictError, match=f"token {old.id} was rotated") as refused:
            service.set_token_expiry("web", old.id, expiry)
        assert "revoke it" in str(refused.value)
    assert store.dump() == before
    [_, listed_old] = service.list_tokens("web")
    assert listed_old.status(now[0]) == "retiring"
    # Past its grace it stays expired: a new expiry cannot bring it back either.
    now[0] += timedelta(hours=24)
    with pytest.raises(ConflictError, match="was rotated"):
        service.set_token_expiry("web", old.id, Expiry.no_expiry())
    assert service.check(old_plaintext).code == "expired"


def test_a_grace_longer_than_the_token_has_left_stops_it_when_it_expires(clocked):
    service, now = clocked
    old, old_plaintext = service.generate("web", "ci", expiry=Expiry.after(timedelta(days=30)))
    assert old.expires_at == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    new, _ = service.rotate("web", old.id, grace=timedelta(days=365))
    [_, listed_old] = service.list_tokens("web")
    assert listed_old.expires_at == old.expires_at
    [rotated] = [e for e in service.audit_log("web") if e.action == "rotated"]
    assert rotated.detail.endswith("the old token stops at 2026-07-01 12:00 UTC")
    now[0] = old.expires_at
    assert service.check(old_plaintext).code == "expired"
    # What the command line says: when the old token really stops.
    _, _, stop = service.rotate_with_stop("web", new.id, grace=timedelta(days=365))
    assert stop == new.expires_at


def test_a_grace_no_date_can_hold_is_refused_and_writes_nothing(clocked, store):
    service, _ = clocked
    old, _ = service.generate("web", "ci")
    before = store.dump()
    with pytest.raises(ValidationError, match="grace period of 999999 years is too long"):
        service.rotate("web", old.id, grace=timedelta(days=365 * 999999))
    assert store.dump() == before


def test_a_token_expiring_on_the_last_day_a_date_holds_can_be_rotated(clocked):
    """The date path of `--expires-on` and of the desktop app's calendar (up to
    9999-12-31): its successor cannot outlive the calendar, so it ends there too."""
    service, now = clocked
    old, _ = service.generate("web", "ci", expiry=Expiry.on(date(9999, 12, 31)))
    now[0] += timedelta(days=1)
    new, new_plaintext = service.rotate("web", old.id, grace=timedelta(hours=1))
    assert new.expires_at == datetime(9999, 12, 31, tzinfo=UTC)
    assert service.verify(new_plaintext) == "web"
    assert [t.name for t in service.expiring(timedelta(days=365 * 9000))] == ["ci", "ci"]
