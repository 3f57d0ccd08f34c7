"""The salt and database URL come from the environment, with clear errors."""

from __future__ import annotations

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


def test_salt_of_32_characters_is_the_utf8_key():
    value = "é" * 32
    assert config.load_salt({config.SALT_ENV: value}) == value.encode("utf-8")


def test_salt_of_31_characters_is_refused():
    assert config.salt_problem({config.SALT_ENV: "x" * 31}) is not None
    assert config.salt_problem({config.SALT_ENV: "x" * 32}) is None


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
