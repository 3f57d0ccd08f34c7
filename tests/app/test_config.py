"""The salt and database URL come from the environment, with clear errors."""

from __future__ import annotations

import secrets

import pytest

from app import config
from app.errors import ConfigurationError


@pytest.mark.parametrize("value", [None, "", "   ", "\t\n"])
def test_missing_salt_is_not_configured(value):
    environ = {} if value is None else {config.SALT_ENV: value}
    with pytest.raises(ConfigurationError) as raised:
        config.load_salt(environ)
    message = str(raised.value)
    assert message.startswith("ML_DEPLOYMENT_TOKEN_SALT is not configured")
    assert "secrets.token_urlsafe" in message  # how to fix it


def test_short_salt_says_so_without_quoting_it():
    secret = "s3cr3t-but-too-short"
    with pytest.raises(ConfigurationError) as raised:
        config.load_salt({config.SALT_ENV: secret})
    message = str(raised.value)
    assert "ML_DEPLOYMENT_TOKEN_SALT is too short" in message
    assert "at least 32" in message
    assert secret not in message


def test_salt_is_the_utf8_key():
    value = "é-0123456789abcdefghijklmnopqrstuvwxyz"
    assert config.load_salt({config.SALT_ENV: value}) == value.encode("utf-8")


def test_salt_of_31_visible_characters_is_refused():
    varied = "0123456789abcdefghijklmnopqrstuvwxyzABCDEF"
    assert "too short" in config.salt_problem({config.SALT_ENV: varied[:31]})
    assert config.salt_problem({config.SALT_ENV: varied[:32]}) is None


@pytest.mark.parametrize(
    "weak",
    [
        "x" + " " * 31,  # one visible character
        "0123456789abcdefghijklmnopqrstu ",  # 31 visible and a space
        "\u200b" * 32,  # zero-width spaces
        "\t" * 16 + "0123456789abcdefghijklmnopqrstu",  # white space counts for nothing
    ],
)
def test_salt_is_counted_in_visible_characters(weak):
    problem = config.salt_problem({config.SALT_ENV: weak})
    assert problem is not None
    assert "visible characters" in problem or "not configured" in problem


@pytest.mark.parametrize("weak", ["x" * 64, "ab" * 32, "0000000000000000000000000000000001"])
def test_salt_with_too_little_variety_is_refused_without_quoting_it(weak):
    with pytest.raises(ConfigurationError, match="too predictable") as raised:
        config.load_salt({config.SALT_ENV: weak})
    assert weak not in str(raised.value)


@pytest.mark.parametrize(
    "strong",
    [
        secrets.token_urlsafe(48),  # what the message suggests
        secrets.token_hex(16),  # 128 random bits, the least the estimate is meant to pass
        "a-salt-that-is-long-enough-for-the-rule-123",
    ],
    # Named, not shown: a random salt in a test's id differs between pytest-xdist's
    # workers, which must collect the same tests.
    ids=["token_urlsafe", "token_hex", "varied"],
)
def test_random_and_varied_salts_pass(strong):
    assert config.salt_problem({config.SALT_ENV: strong}) is None


def test_database_url_prefers_explicit_then_environment_then_default(tmp_path):
    environ = {config.DATABASE_URL_ENV: "sqlite:///from-env.db"}
    assert config.database_url("sqlite:///explicit.db", environ) == "sqlite:///explicit.db"
    assert config.database_url(None, environ) == "sqlite:///from-env.db"
    assert config.database_url(None, {}) == config.default_database_url()


def test_default_database_lives_in_the_user_data_directory(tmp_path):
    # conftest points XDG_DATA_HOME at the test's own directory.
    expected = tmp_path / "xdg-data" / "deployment-tokens" / "deployment-tokens.db"
    assert config.default_database_path() == expected
    assert config.default_database_url() == f"sqlite:///{expected}"


def test_salt_that_is_not_utf8_is_a_configuration_error():
    # What os.environ holds for bytes that do not decode as UTF-8.
    undecodable = "x" * 40 + "\udcff"
    with pytest.raises(ConfigurationError, match="not valid UTF-8"):
        config.load_salt({config.SALT_ENV: undecodable})


def test_the_smtp_url_is_read_from_the_environment_each_time():
    assert config.smtp_url({}) is None
    assert config.smtp_url({config.SMTP_URL_ENV: "   "}) is None
    assert config.smtp_url({config.SMTP_URL_ENV: " smtps://relay.example.com \n"}) == (
        "smtps://relay.example.com"
    )
