"""Verifying in plain SQL: the reasons given, the SQLite fast path, and property tests
that verify never raises and never accepts what it was not given."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import tokens
from app.service import TokenService
from app.store.storage import open_storage

BASE62 = st.sampled_from(tokens.ALPHABET)


@pytest.fixture(scope="module")
def populated(tmp_path_factory):
    """One database with live tokens, shared by the examples (hypothesis reruns a lot)."""
    from app import config

    path = tmp_path_factory.mktemp("properties") / "tokens.db"
    environ = {config.SALT_ENV: "property-test-salt-0123456789abcdefghijkl"}
    service = TokenService(open_storage(f"sqlite:///{path}"), environ=environ)
    service.add_project("web")
    live = [service.generate("web")[1] for _ in range(5)]
    yield service, live
    service.close()


def well_formed_tokens():
    random_part = st.text(BASE62, min_size=43, max_size=43)
    return random_part.map(lambda r: tokens.PREFIX + r + tokens.checksum(r))


# No deadline: a loaded CI machine must not turn a slow example into a failure.
quick = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@quick
@given(st.text())
def test_arbitrary_text_is_never_accepted(populated, text):
    service, live = populated
    assert text in live or service.verify(text) is None


@quick
@given(st.text(alphabet=st.characters(), min_size=54, max_size=54))
def test_text_of_token_length_is_never_accepted(populated, text):
    service, live = populated
    assert text in live or service.verify(text) is None


@quick
@given(well_formed_tokens())
def test_well_formed_but_unknown_tokens_are_refused(populated, text):
    service, live = populated
    assert tokens.is_well_formed(text)
    assert text in live or service.verify(text) is None


@quick
@given(st.data())
def test_any_one_character_change_to_a_live_token_is_refused(populated, data):
    service, live = populated
    original = data.draw(st.sampled_from(live))
    position = data.draw(st.integers(0, len(original) - 1))
    replacement = data.draw(st.characters().filter(lambda c: c != original[position]))
    changed = original[:position] + replacement + original[position + 1 :]
    assert service.verify(changed) is None


@quick
@given(st.one_of(st.binary(), st.integers(), st.none(), st.lists(st.text())))
def test_values_that_are_not_text_are_refused(populated, value):
    service, _ = populated
    assert service.verify(value) is None  # type: ignore[arg-type]


@quick
@given(st.text(), st.text())
def test_a_project_filter_never_raises(populated, text, project):
    service, live = populated
    assert service.verify(live[0], project) in (None, "web")
    assert service.verify(text, project) is None or text in live


# The SQLite fast path of the verify command


@pytest.mark.only_backend("sqlite")
def test_the_fast_path_answers_from_the_file_with_the_same_verdicts(service, sqlite_url):
    from app import verification

    service.add_project("web")
    service.add_project("api")
    _, plaintext = service.generate("web")
    assert verification.check_sqlite_file(sqlite_url, plaintext).project == "web"
    elsewhere = verification.check_sqlite_file(sqlite_url, plaintext, "api")
    assert elsewhere.project is None
    assert "does not belong to project 'api'" in elsewhere.reason
    unknown = verification.check_sqlite_file(sqlite_url, tokens.new_token())
    assert (unknown.project, unknown.reason) == (None, verification.UNKNOWN)
    garbage = verification.check_sqlite_file(sqlite_url, "mldt_short")
    assert garbage.project is None
    assert garbage.reason


def test_the_fast_path_leaves_another_schema_version_to_the_service(tmp_path):
    """PostgreSQL, or a file of ours at another version: None, so the service answers."""
    import sqlite3
    from contextlib import closing

    from app import verification
    from app.store import schema

    older = tmp_path / "older.db"
    with closing(sqlite3.connect(older)) as connection, connection:
        connection.execute(f"CREATE TABLE {schema.SCHEMA_VERSION_TABLE} (version INTEGER)")
        connection.execute(f"INSERT INTO {schema.SCHEMA_VERSION_TABLE} VALUES (1)")
    assert verification.check_sqlite_file(f"sqlite:///{older}", tokens.new_token()) is None
    assert verification.check_sqlite_file("postgresql://u@h/db", tokens.new_token()) is None


def test_verifying_never_sets_up_an_empty_file_or_another_applications(tmp_path):
    """The service would create the schema there: verifying must change nothing."""
    import sqlite3
    from contextlib import closing

    from app import verification
    from app.errors import StorageError

    empty = tmp_path / "empty.db"
    empty.touch(mode=0o600)
    with pytest.raises(StorageError, match="is empty, not a Deployment Tokens database"):
        verification.check_sqlite_file(f"sqlite:///{empty}", tokens.new_token())
    assert empty.stat().st_size == 0
    theirs = tmp_path / "theirs.db"
    with closing(sqlite3.connect(theirs)) as connection, connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    before = theirs.read_bytes()
    with pytest.raises(StorageError, match="is not a Deployment Tokens database"):
        verification.check_sqlite_file(f"sqlite:///{theirs}", tokens.new_token())
    assert theirs.read_bytes() == before


def test_the_fast_path_never_creates_a_file(tmp_path):
    from app import verification
    from app.errors import StorageError

    missing = tmp_path / "typo.db"
    with pytest.raises(StorageError, match="there is no database"):
        verification.check_sqlite_file(f"sqlite:///{missing}", tokens.new_token())
    assert not missing.exists()


# What makes a token unusable, and its scopes


def test_an_expired_token_is_expired_whatever_project_is_named(service):
    """Refused as expired for every project: "not this project" would confirm it exists."""
    from datetime import timedelta

    from app.lifecycle import Expiry

    service.add_project("web")
    service.add_project("api")
    _, expired = service.generate("web", expiry=Expiry.after(timedelta(microseconds=1)))
    for project in ("api", "web", None):
        assert service.check(expired, project).code == "expired"


def test_a_token_limited_to_environments_needs_one_of_them_named(service):
    service.add_project("web")
    for name in ("staging", "production", "qa"):
        service.add_environment("web", name)
    _, limited = service.generate("web", environments=["staging", "production"])
    assert service.verify(limited) is None
    assert service.verify(limited, "web") is None
    refused = service.check(limited, "web")
    assert refused.code == "wrong_environment"
    assert refused.reason == (
        "the token is limited to environments 'production', 'staging' and none was named"
    )
    assert service.check(limited, "web", "qa").code == "wrong_environment"
    assert service.verify(limited, "web", "Staging") == "web"


def test_an_allowed_verdict_says_what_was_checked_as_stored(service):
    service.add_project("web")
    service.add_environment("web", "Staging")
    service.add_environment("web", "production")
    _, limited = service.generate("web", environments=["production", "staging"])
    _, anywhere = service.generate("web")
    verdict = service.check(limited, "web", " STAGING ")
    assert (verdict.project, verdict.environment) == ("web", "Staging")
    assert verdict.environments == ("production", "Staging")
    verdict = service.check(anywhere, "web", "PRODUCTION")
    assert (verdict.environment, verdict.environments) == ("production", ())
    verdict = service.check(anywhere)
    assert (verdict.project, verdict.environment, verdict.environments) == ("web", None, ())


@pytest.mark.only_backend("sqlite")
def test_introspection_may_ask_without_an_environment_and_hear_the_tokens(service, sqlite_url):
    """Introspection reports where a token may deploy rather than checking one place."""
    from app import config, verification

    service.add_project("web")
    service.add_environment("web", "staging")
    record, limited = service.generate("web", environments=["staging"])
    opened = verification.open_current_sqlite_file(sqlite_url)
    assert opened is not None
    connection, _ = opened
    try:
        verdict = verification.TokenVerifier(verification.SQLITE).check(
            connection, config.load_salt(), limited, environment_required=False
        )
    finally:
        connection.close()
    assert (verdict.project, verdict.token_id, verdict.environments) == (
        "web",
        record.id,
        ("staging",),
    )
