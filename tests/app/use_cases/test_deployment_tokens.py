"""Every use case of a token (``app/use_cases/deployment_tokens.py``) through the service:
generate, list, page, count, rename and revoke; its lifecycle: expiry, rotation,
environments, the policy, and what the audit trail records of each (both backends)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import peewee
import pytest

import app
from app import config, lifecycle, tokens
from app.errors import (
    ConfigurationError,
    ConflictError,
    DeploymentTokensError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from app.lifecycle import Expiry
from app.records import TokenOrder
from app.service import DEFAULT_TOKEN_NAME


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


# Generating


def test_generate_returns_the_record_and_the_plaintext_once(service, salt, store):
    service.add_project("web")
    record, plaintext = service.generate("WEB", name="deploy from CI")
    assert tokens.is_well_formed(plaintext)
    assert record.project == "web"
    assert record.name == "deploy from CI"
    assert record.preview == tokens.preview(plaintext)
    assert record.created_by == store.actor
    assert record.last_used_at is None
    assert record.created_at.tzinfo is UTC
    stored = service.storage.database.execute_sql("SELECT digest FROM deployment_token").fetchall()
    assert stored == [(tokens.digest(plaintext, salt),)]


def test_the_plaintext_is_not_in_the_record(service):
    service.add_project("web")
    record, plaintext = service.generate("web")
    leaked = [field for field, value in vars_of(record).items() if plaintext in str(value)]
    assert leaked == []


def test_generate_without_a_name_numbers_the_default_label_per_project(service):
    service.add_project("web")
    service.add_project("api")
    first, _ = service.generate("web")
    second, _ = service.generate("web")
    assert (first.name, second.name) == (f"{DEFAULT_TOKEN_NAME} 1", f"{DEFAULT_TOKEN_NAME} 2")
    service.generate("web", "named")  # only default names count
    service.revoke("web", second.id)  # and a number is never given twice
    third, _ = service.generate("web")
    assert third.name == f"{DEFAULT_TOKEN_NAME} 3"
    assert service.generate("api")[0].name == f"{DEFAULT_TOKEN_NAME} 1"


def test_generate_in_an_unknown_project_is_refused(service, store):
    before = store.dump()
    with pytest.raises(NotFoundError, match="no project named 'nope'"):
        service.generate("nope")
    assert store.dump() == before


@pytest.mark.parametrize("salt_value", [None, "", "   ", "too-short"])
def test_generate_without_a_usable_salt_writes_nothing(service, store, monkeypatch, salt_value):
    service.add_project("web")
    if salt_value is None:
        monkeypatch.delenv(config.SALT_ENV)
    else:
        monkeypatch.setenv(config.SALT_ENV, salt_value)
    before = store.dump()
    with pytest.raises(ConfigurationError, match="ML_DEPLOYMENT_TOKEN_SALT"):
        service.generate("web")
    assert store.dump() == before


def test_a_failed_commit_shows_no_plaintext_and_stores_nothing(service, store, monkeypatch):
    service.add_project("web")
    known = tokens.new_token()
    monkeypatch.setattr(tokens, "new_token", lambda: known)

    def failing_commit(self):
        raise peewee.OperationalError("disk I/O error")

    monkeypatch.setattr(type(service.storage.database), "commit", failing_commit)
    with pytest.raises(StorageError) as raised:
        service.generate("web")
    monkeypatch.undo()
    leaked = known in str(raised.value) or known[5:48] in repr(raised.value.__context__)
    assert not leaked
    assert store.table_counts() == {"project": 1, "deployment_token": 0, "audit_event": 0}


def test_a_failed_audit_write_rolls_the_token_back(service, store):
    service.add_project("web")
    database = service.storage.database
    # The audit insert itself fails, in the database, after the token's row was written.
    if store.backend == "postgresql":
        database.execute_sql(
            "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'database or disk is full'; END $$"
        )
        database.execute_sql(
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION refuse_audit()"
        )
    else:
        database.execute_sql(
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_event "
            "BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END"
        )
    # (A trigger's failure reads as a constraint on SQLite, as an error on PostgreSQL.)
    with pytest.raises(DeploymentTokensError, match="disk is full"):
        service.generate("web")
    assert store.table_counts()["deployment_token"] == 0
    assert service.list_tokens("web") == []


# Listing


def test_list_tokens_is_newest_first_and_never_holds_a_plaintext(service):
    service.add_project("web")
    service.add_project("api")
    first, _ = service.generate("web", "first")
    second, _ = service.generate("web", "second")
    service.generate("api", "elsewhere")
    listed = service.list_tokens("web")
    assert [t.id for t in listed] == [second.id, first.id]
    assert all(not hasattr(t, "plaintext") and "digest" not in vars_of(t) for t in listed)


def vars_of(record):
    return {field: getattr(record, field) for field in record.__slots__}


def test_list_tokens_of_an_unknown_project_is_refused(service):
    with pytest.raises(NotFoundError):
        service.list_tokens("nope")


# Revoking


def test_revoke_makes_verification_fail_at_once(service):
    service.add_project("web")
    record, plaintext = service.generate("web")
    other, other_plaintext = service.generate("web")
    assert service.verify(plaintext) == "web"
    revoked = service.revoke("web", record.id)
    assert revoked.id == record.id
    assert service.verify(plaintext) is None
    assert service.verify(other_plaintext) == "web"
    assert [t.id for t in service.list_tokens("web")] == [other.id]


def test_revoke_refuses_unknown_revoked_and_foreign_ids(service, store):
    service.add_project("web")
    service.add_project("api")
    record, _ = service.generate("web")
    foreign, _ = service.generate("api")
    service.revoke("web", record.id)
    before = store.dump()
    for token_id in (record.id, foreign.id, 999):
        with pytest.raises(NotFoundError, match=f"no token with id {token_id}"):
            service.revoke("web", token_id)
    for bad_id in (0, -1, True, "1"):
        with pytest.raises(ValidationError):
            service.revoke("web", bad_id)
    assert store.dump() == before


def test_every_generate_and_revoke_is_audited(service, store):
    service.add_project("web")
    record, _ = service.generate("web")
    service.revoke("web", record.id)
    events = service.audit_log("web")
    assert [(e.action, e.token_id, e.token_preview) for e in events] == [
        ("revoked", record.id, record.preview),
        ("generated", record.id, record.preview),
    ]
    assert {e.actor for e in events} == {store.actor}


# Pages, counts and renames: what the desktop table needs.


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


def test_a_token_page_can_be_searched_by_name_or_preview_ignoring_case(service):
    service.add_project("web")
    ci, _ = service.generate("web", "GitLab CI")
    service.generate("web", "deploy_bot")
    service.generate("web", "100% rollout")
    assert [r.name for r in service.token_page("web", search="gitlab")] == ["GitLab CI"]
    # Exactly the tokens holding those four characters: ci, and any other whose preview
    # shares them by chance.
    needle = ci.preview[-4:].lower()
    holding = [r.id for r in service.token_page("web") if needle in r.preview.lower()]
    assert ci.id in holding
    assert [r.id for r in service.token_page("web", search=needle)] == holding
    # Wildcards are literal: "%" and "_" match only themselves.
    assert [r.name for r in service.token_page("web", search="%")] == ["100% rollout"]
    assert [r.name for r in service.token_page("web", search="y_b")] == ["deploy_bot"]
    assert len(service.token_page("web", search="  ")) == 3


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
