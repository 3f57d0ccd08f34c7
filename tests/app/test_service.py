"""The Python API of DESIGN.md: open_service and its use cases, each in one transaction."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import peewee
import pytest

import app
from app import config, tokens
from app.errors import (
    ConfigurationError,
    ConflictError,
    DeploymentTokensError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from app.records import TokenOrder
from app.service import DEFAULT_TOKEN_NAME, TokenService
from app.store import db


def test_open_service_is_the_package_api(database_url):
    with app.open_service(database_url) as service:
        assert isinstance(service, TokenService)


def test_projects_are_added_and_listed_by_name_ignoring_case(service):
    service.add_project("web")
    service.add_project("  Api  ")
    service.add_project("Billing")
    assert [p.name for p in service.list_projects()] == ["Api", "Billing", "web"]


def test_find_project_gives_one_project_with_its_counts_or_none(service):
    service.add_project("web")
    service.add_project("api")
    service.generate("web", "ci")
    service.generate("web", "cd")
    service.generate("api", "ci")
    [listed_web] = [p for p in service.list_projects() if p.name == "web"]
    assert service.find_project("web") == listed_web
    assert listed_web.token_count == 2
    assert service.find_project("WEB") == listed_web  # names ignore case, as everywhere
    assert service.find_project("gone") is None


@pytest.mark.parametrize("duplicate", ["web", "WEB", " Web ", "wEb"])
def test_duplicate_project_names_are_refused_in_any_case(service, store, duplicate):
    service.add_project("Web")
    before = store.dump()
    with pytest.raises(ConflictError, match="a project named 'Web' already exists"):
        service.add_project(duplicate)
    assert store.dump() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "cannot be empty"),
        ("   \t ", "cannot be empty"),
        ("x" * 101, "101 characters long; at most 100"),
        ("line\nbreak", "control characters"),
        ("evil\u202etxt.exe", "control characters"),
    ],
)
def test_bad_project_names_are_refused_and_change_nothing(service, store, name, message):
    before = store.dump()
    with pytest.raises(ValidationError, match=message):
        service.add_project(name)
    assert store.dump() == before


def test_a_name_of_exactly_100_characters_is_fine(service):
    assert service.add_project("x" * 100).name == "x" * 100


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


def test_verify_returns_the_project_name(service):
    service.add_project("Web")
    _, plaintext = service.generate("web")
    assert service.verify(plaintext) == "Web"
    assert service.verify(plaintext, "WEB") == "Web"
    assert service.verify(plaintext, "web ") == "Web"


def test_verify_refuses_a_token_of_another_project(service):
    service.add_project("web")
    service.add_project("api")
    _, plaintext = service.generate("web")
    assert service.verify(plaintext, "api") is None
    assert service.verify(plaintext, "no-such-project") is None
    assert service.check(plaintext, "api").reason == "the token does not belong to project 'api'"


def test_verify_refuses_unknown_and_malformed_tokens(service):
    service.add_project("web")
    service.generate("web")
    assert service.verify(tokens.new_token()) is None
    assert service.verify("") is None
    assert service.verify("mldt_") is None


class RecordingConnection:
    """The service's DB-API connection, with every statement it runs written down."""

    def __init__(self, connection, statements):
        self._connection = connection
        self._statements = statements

    def execute(self, sql, parameters=()):
        self._statements.append((sql, parameters))
        return self._connection.execute(sql, parameters)


@pytest.fixture
def statements(monkeypatch):
    recorded: list[tuple[str, tuple]] = []
    real = db.raw_connection
    monkeypatch.setattr(
        db, "raw_connection", lambda database: RecordingConnection(real(database), recorded)
    )
    return recorded


def test_a_malformed_token_is_refused_without_a_query(service, statements):
    service.add_project("web")
    _, plaintext = service.generate("web")
    assert service.verify(plaintext) == "web"  # the salt is now known to match
    statements.clear()
    typo = plaintext[:10] + ("a" if plaintext[10] != "a" else "b") + plaintext[11:]
    assert service.verify(typo) is None
    assert statements == []
    assert service.verify(plaintext) == "web"
    assert [sql.split()[0] for sql, _ in statements] == ["SELECT"]


def test_verify_under_another_salt_says_the_salt_changed(service, monkeypatch):
    service.add_project("web")
    _, plaintext = service.generate("web")
    monkeypatch.setenv(config.SALT_ENV, "a-completely-different-salt-of-enough-length")
    with pytest.raises(ConfigurationError, match="the salt changed"):
        service.verify(plaintext)


def test_verify_without_a_salt_is_a_configuration_error(service, monkeypatch):
    service.add_project("web")
    _, plaintext = service.generate("web")
    monkeypatch.delenv(config.SALT_ENV)
    with pytest.raises(ConfigurationError, match="not configured"):
        service.verify(plaintext)


# On PostgreSQL the server stamps the use with its own clock (record_token_use), so an
# injected clock cannot be checked there: tests/app/store/test_verifier_role.py covers it.
@pytest.mark.only_backend("sqlite")
def test_verify_records_last_use_at_most_once_a_minute(database_url):
    now = [datetime(2026, 5, 1, 12, 0, tzinfo=UTC)]
    with app.open_service(database_url, clock=lambda: now[0]) as service:
        service.add_project("web")
        _, plaintext = service.generate("web")
        assert service.verify(plaintext) == "web"
        assert service.list_tokens("web")[0].last_used_at == now[0]
        first_use = now[0]
        now[0] += timedelta(seconds=30)
        service.verify(plaintext)
        assert service.list_tokens("web")[0].last_used_at == first_use
        now[0] += timedelta(seconds=31)
        service.verify(plaintext)
        assert service.list_tokens("web")[0].last_used_at == now[0]


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


def test_records_are_read_only(service):
    record = service.add_project("web")
    with pytest.raises(AttributeError):
        record.name = "other"  # type: ignore[misc]


def test_the_plaintext_is_not_in_the_record(service):
    service.add_project("web")
    record, plaintext = service.generate("web")
    leaked = [field for field, value in vars_of(record).items() if plaintext in str(value)]
    assert leaked == []


def test_digests_are_unique_and_verify_looks_them_up_by_index(service, store, statements):
    service.add_project("web")
    _, plaintext = service.generate("web")
    database = service.storage.database
    unique_columns = [
        list(index.columns) for index in database.get_indexes("deployment_token") if index.unique
    ]
    assert ["digest"] in unique_columns

    service.verify(plaintext)
    [(sql, params)] = [(sql, p) for sql, p in statements if "WHERE t.digest" in sql]
    if store.backend == "postgresql":
        # A table of one row is read whole unless the planner is told not to.
        database.execute_sql("SET enable_seqscan = off")
        rows = database.execute_sql("EXPLAIN " + sql, params).fetchall()
        database.execute_sql("RESET enable_seqscan")
        plan = " ".join(str(row) for row in rows)
        assert "Index Scan using deployment_token_digest" in plan
    else:
        rows = database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        plan = " ".join(str(row) for row in rows)
        assert "USING INDEX" in plan
        assert "digest" in plan
        # The project's name comes by its primary key, not by reading the projects.
        assert "SCAN" not in plan


def test_the_same_digest_cannot_be_stored_twice(service, salt):
    service.add_project("web")
    _, plaintext = service.generate("web")
    database = service.storage.database
    placeholder = database.param
    with pytest.raises(peewee.IntegrityError):
        database.execute_sql(
            "INSERT INTO deployment_token (project_id, name, digest, preview, created_at, "
            f"created_by) VALUES (1, 'copy', {placeholder}, 'p', '2026-01-01', 'x')",
            (tokens.digest(plaintext, salt),),
        )


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


def test_a_token_page_can_be_searched_by_name_or_preview_ignoring_case(service):
    service.add_project("web")
    ci, _ = service.generate("web", "GitLab CI")
    service.generate("web", "deploy_bot")
    service.generate("web", "100% rollout")
    assert [r.name for r in service.token_page("web", search="gitlab")] == ["GitLab CI"]
    assert [r.id for r in service.token_page("web", search=ci.preview[-4:])] == [ci.id]
    # Wildcards are literal: "%" and "_" match only themselves.
    assert [r.name for r in service.token_page("web", search="%")] == ["100% rollout"]
    assert [r.name for r in service.token_page("web", search="y_b")] == ["deploy_bot"]
    assert len(service.token_page("web", search="  ")) == 3


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
