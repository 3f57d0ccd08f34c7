"""serve's logger (``app.http.server_log``): every line it writes has anything shaped
like one of our secrets cut to its prefix, and nothing else changed."""

from __future__ import annotations

import io
import logging

import pytest
from gunicorn.config import Config

from app import tokens
from app.http.server_log import RedactingFormatter, RedactingLogger, redact_secrets

SECRETS = {
    "token": tokens.new_token(),
    "client secret": tokens.new_client_secret(),
    "revocation key": tokens.new_client_secret(tokens.REVOCATION_KEY_PREFIX),
}


@pytest.mark.parametrize("secret", SECRETS.values(), ids=SECRETS.keys())
def test_each_of_our_secrets_is_cut_to_its_prefix_whole_short_or_encoded(secret):
    prefix, body = secret[:4], secret[5:]
    for sent, cut in (
        (secret, f"{prefix}_\u2026"),
        (f"{prefix}_{body[:12]}", f"{prefix}_\u2026"),  # cut short
        (f"{prefix.upper()}_{body}", f"{prefix.upper()}_\u2026"),
        (f"{prefix}%5F{body}", f"{prefix}_\u2026"),  # percent-encoded, as in a URL
    ):
        line = f'invalid request line: "GET /v1/authorize?t={sent} HTTP/1.1"'
        assert redact_secrets(line) == f'invalid request line: "GET /v1/authorize?t={cut} HTTP/1.1"'


def test_a_line_without_a_secret_is_left_as_it_is():
    line = '192.0.2.1 "GET /healthz" 200 3 1ms mldt mldx_abc'
    assert redact_secrets(line) == line


def test_the_formatter_redacts_what_the_formatter_it_wraps_wrote():
    token = SECRETS["token"]
    record = logging.LogRecord("app", logging.WARNING, __file__, 1, "refused %s", (token,), None)
    wrapped = RedactingFormatter(logging.Formatter("%(levelname)s %(message)s"))
    assert wrapped.format(record) == "WARNING refused mldt_\u2026"
    assert RedactingFormatter(None).format(record) == "refused mldt_\u2026"


@pytest.fixture
def application_log():
    """A handler of the root logger, as the application's log has; the root's handlers'
    formatters are put back afterwards, and gunicorn's loggers emptied."""
    root = logging.getLogger()
    formatters = {handler: handler.formatter for handler in root.handlers}
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        for kept, formatter in formatters.items():
            kept.setFormatter(formatter)
        for name in ("gunicorn.error", "gunicorn.access"):
            for added in list(logging.getLogger(name).handlers):
                logging.getLogger(name).removeHandler(added)


def test_gunicorns_errors_and_the_applications_log_are_redacted(application_log, capsys):
    token = SECRETS["token"]
    logger = RedactingLogger(Config())
    logger.error("Invalid request from ip=192.0.2.1: %s", f"GET /?t={token}")
    logging.getLogger("app.http").warning("cannot verify %s", token)
    errors = capsys.readouterr().err
    assert "Invalid request from ip=192.0.2.1: GET /?t=mldt_\u2026" in errors
    assert "cannot verify mldt_\u2026" in application_log.getvalue()
    assert token[5:] not in errors + application_log.getvalue()
