"""gunicorn's logger for a service whose requests carry secrets: every line it writes
(its errors, which quote a request line it refused; tracebacks; the access log; the
application's own log) has anything shaped like one of our secrets cut to its prefix."""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

from app import tokens

# The access log: method, path, status, size and time; never a header or a query string
# (tokens travel in headers, but a misconfigured client could put one in a URL).
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# Our secrets, whole or cut short, with the prefix in any case and its "_" perhaps
# percent-encoded (as in a URL).
_SECRET = re.compile(
    "("
    + "|".join(re.escape(prefix[:-1]) for prefix in (tokens.PREFIX, *tokens.SECRET_KINDS))
    + r")(?:_|%5f)[0-9a-z%]+",
    re.IGNORECASE,
)


def redact_secrets(text: str) -> str:
    """``text`` with every token, client secret or revocation key (or the start of one)
    cut down to its prefix: ``mldt_…``."""
    return _SECRET.sub(lambda found: f"{found.group(1)}_\u2026", text)


class RedactingFormatter(logging.Formatter):
    """Another formatter's lines, with our secrets cut out (redact_secrets)."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self._inner = inner if inner is not None else logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return redact_secrets(self._inner.format(record))


class RedactingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with every line redacted: gunicorn's errors (which quote a
    request line it refused), tracebacks, the access log, and the app's own log."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        handlers = [
            *self.error_log.handlers,
            *self.access_log.handlers,
            *logging.getLogger().handlers,
        ]
        for handler in handlers:
            if not isinstance(handler.formatter, RedactingFormatter):
                handler.setFormatter(RedactingFormatter(handler.formatter))
