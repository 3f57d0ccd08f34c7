"""Where the data lives, read from a URL without peewee: the verify path's own parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from playhouse.db_url import parse

from app import locations
from app.errors import ConfigurationError

# What people put in file names, and the characters a URL treats specially.
PATH_CHARACTERS = st.sampled_from([*"abcXYZ019._-/ %~+:@=,", "é", "?", "#", ";"])


@given(
    path=st.text(PATH_CHARACTERS, min_size=1, max_size=40),
    slashes=st.sampled_from(["sqlite:///", "sqlite:////", "SQLite:///"]),
)
def test_sqlite_urls_name_the_file_playhouse_would_open(path, slashes):
    """The verify path reads SQLite URLs itself; it must open the file the store opens."""
    url = slashes + path
    expected = parse(url)["database"]
    try:
        ours = locations.sqlite_target(url)
    except ConfigurationError:
        # Where playhouse would fall back to an in-memory database or name the root
        # directory, we refuse: a verifier must never answer from a database it made up.
        assert expected == ":memory:" or not expected.strip("/")
        return
    assert ours == expected


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("sqlite:///tokens.db", "tokens.db"),
        ("sqlite:////srv/tokens/tokens.db", "/srv/tokens/tokens.db"),
        ("sqlite:///:memory:", ":memory:"),
        ("sqlite:///a.db?mode=ro", "a.db"),
    ],
)
def test_the_documented_forms(url, target):
    assert locations.sqlite_target(url) == target


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:"])
def test_a_url_that_names_no_file_is_refused(url):
    with pytest.raises(ConfigurationError, match="names no file"):
        locations.sqlite_target(url)


@pytest.mark.parametrize("url", ["mysql://x/y", "tokens.db", "", "http://host/db"])
def test_unsupported_schemes_say_which_forms_work(url):
    with pytest.raises(ConfigurationError, match=r"sqlite:///relative\.db"):
        locations.scheme(url)


def test_postgresql_is_no_sqlite_file():
    assert locations.sqlite_file("postgresql://u@h/db") is None
    assert locations.sqlite_file("sqlite:///:memory:") is None
    assert locations.sqlite_file("sqlite:////srv/t.db") is not None


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://alice:S3cret@db.example.com:5432/tokens",
            "postgresql://alice@db.example.com:5432/tokens",
        ),
        ("postgresql://db/tokens?sslmode=verify-full", "postgresql://db/tokens"),
        ("sqlite:////srv/t.db", "/srv/t.db"),
    ],
)
def test_a_location_is_shown_without_its_password_or_options(url, shown):
    assert locations.describe_location(url) == shown


@pytest.mark.parametrize(
    ("driver_message", "said"),
    [
        ("database is locked", "locked by another program"),
        ("file is not a database", "not a usable database"),
        ("attempt to write a readonly database", "read-only"),
        ("database or disk is full", "the disk is full"),
        ("unable to open database file", "cannot be opened"),
    ],
)
def test_driver_errors_become_one_plain_line(driver_message, said):
    described = locations.describe_error(Exception(driver_message + "\nSQL: SELECT ..."))
    assert said in described
    assert "SELECT" not in described
