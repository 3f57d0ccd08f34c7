"""Verifying (``app/use_cases/verifying.py``) through the service: verify and check, the
one indexed query a token costs, its last use, and whether the salt can be used here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import app
from app import config, tokens
from app.errors import ConfigurationError
from app.service import TokenService
from app.store import db
from app.store.storage import open_storage


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


def test_salt_problem_reports_the_environment(service, monkeypatch):
    assert service.salt_problem() is None
    monkeypatch.setenv(config.SALT_ENV, "short")
    assert config.SALT_ENV in (service.salt_problem() or "")
    monkeypatch.delenv(config.SALT_ENV)
    assert "not configured" in (service.salt_problem() or "")


def test_check_says_why_and_which_token_it_found_and_hides_a_revoked_one(service):
    service.add_project("web")
    record, plaintext = service.generate("web")
    allowed = service.check(plaintext, "web")
    assert (allowed.project, allowed.code, allowed.token_id) == ("web", None, record.id)
    service.revoke("web", record.id)
    # A revoked token reads as one never made: the answer does not tell them apart.
    refused = service.check(plaintext)
    never_made = service.check(tokens.new_token())
    assert refused == never_made
    assert (refused.project, refused.code, refused.token_id) == (None, "unknown", None)
    assert service.check("mldt_").code == "malformed"


def test_introspection_may_check_a_limited_token_without_naming_an_environment(service):
    service.add_project("web")
    service.add_environment("web", "staging")
    record, plaintext = service.generate("web", environments=["staging"])
    assert service.check(plaintext, "web").code == "wrong_environment"
    described = service.check(plaintext, "web", environment_required=False)
    assert (described.project, described.token_id) == ("web", record.id)
    assert described.environments == ("staging",)


def test_salt_problem_catches_a_salt_other_than_the_tokens_were_made_with(service, monkeypatch):
    service.add_project("web")
    service.generate("web")
    assert service.salt_problem() is None
    monkeypatch.setenv(config.SALT_ENV, "a-completely-different-salt-of-enough-length")
    assert "the salt changed" in (service.salt_problem() or "")


def test_verify_reads_the_salt_of_the_service_environment_when_given(database_url):
    """A service opened over its own environment (``environ``) takes the salt from it,
    not from the process."""
    with app.open_service(database_url) as service:
        service.add_project("web")
        _, plaintext = service.generate("web")
    elsewhere = TokenService(
        open_storage(database_url),
        environ={config.SALT_ENV: "a-completely-different-salt-of-enough-length"},
    )
    with elsewhere, pytest.raises(ConfigurationError, match="the salt changed"):
        elsewhere.verify(plaintext)
