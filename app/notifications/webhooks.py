"""Webhooks: one signed JSON POST per event, retried with backoff, at least once.

Each POST carries ``X-Deployment-Tokens-Timestamp`` (Unix seconds) and
``X-Deployment-Tokens-Signature: sha256=<hex>``, the HMAC-SHA256, keyed by the webhook's
secret, of the timestamp, a full stop and the raw body: Stripe's documented construction
(``t.body``), so that a receiver that rejects timestamps older than a few minutes is safe
from replays, in the ``sha256=`` form of GitHub's ``X-Hub-Signature-256``. The body's
``id`` is the same on every attempt: receivers deduplicate on it.

The secret is never stored: the database keeps a random seed, and the secret is the HMAC
of it under ``ML_DEPLOYMENT_TOKEN_SALT`` (as a token's digest is), so a copy of the
database alone signs nothing. It is shown once, when the webhook is added.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from app import tokens
from app.notifications.addresses import is_loopback
from app.notifications.items import AuditItem, ExpiringToken, iso

SIGNATURE_HEADER = "X-Deployment-Tokens-Signature"
TIMESTAMP_HEADER = "X-Deployment-Tokens-Timestamp"
EVENT_HEADER = "X-Deployment-Tokens-Event"
ID_HEADER = "X-Deployment-Tokens-Id"
USER_AGENT = "deployment-tokens-notify/1"
TIMEOUT_SECONDS = 10.0
# The waits between the attempts of one run: three attempts, then the event waits for
# the next run (the webhook's cursor stays before it).
RETRY_DELAYS = (1.0, 4.0)
# Besides any 5xx: worth another attempt.
_RETRYABLE = {408, 425, 429}
_SECRET_LABEL = b"deployment-tokens webhook secret v1\x00"


class WebhookError(Exception):
    """An event was not accepted after every attempt of this run; the text says why."""

    def __init__(self, reason: str, attempts: int) -> None:
        super().__init__(f"{reason} (after {attempts} attempt{'s' * (attempts != 1)})")
        self.attempts = attempts


def new_seed() -> str:
    """What the database keeps of a new webhook's secret: 256 random bits, in hex."""
    return secrets.token_hex(32)


def secret(seed: str, salt: bytes) -> str:
    """The webhook's signing secret: ``mldw_`` and 43 base62 characters."""
    mac = hmac.digest(salt, _SECRET_LABEL + seed.encode("ascii"), "sha256")
    random_part = tokens.base62_encode(int.from_bytes(mac, "big"), tokens.RANDOM_LENGTH)
    return tokens.WEBHOOK_SECRET_PREFIX + random_part


def signature(key: str, timestamp: int, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``TIMESTAMP.BODY`` under the secret."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(key.encode("ascii"), signed, hashlib.sha256).hexdigest()


def audit_payload(event: AuditItem) -> dict[str, Any]:
    return {
        "id": event.event_id,
        "type": "audit." + event.action.replace(" ", "_"),
        "event": {
            "seq": event.seq,
            "hash": event.hash,
            "at": iso(event.at),
            "actor": event.actor,
            "action": event.action,
            "project": event.project,
            "token_id": event.token_id,
            "preview": event.preview,
            "detail": event.detail,
        },
    }


def expiry_payload(warning: ExpiringToken) -> dict[str, Any]:
    return {
        "id": warning.event_id,
        "type": "token.expiring",
        "threshold_days": warning.threshold_days,
        "token": {
            "project": warning.project,
            "token_id": warning.token_id,
            "name": warning.name,
            "preview": warning.preview,
            "created_at": iso(warning.created_at),
            "created_by": warning.created_by,
            "expires_at": iso(warning.expires_at),
        },
        "rotate": warning.rotate_command(),
    }


def encoded(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass
class Poster:
    """Sends a webhook's events, one POST each, signed with its secret."""

    url: str
    key: str
    sleep: Callable[[float], None] = time.sleep
    timeout: float = TIMEOUT_SECONDS

    def post(self, payload: dict[str, Any]) -> int:
        """Deliver one event, retrying; the attempts it took, or WebhookError."""
        body = encoded(payload)
        attempts = len(RETRY_DELAYS) + 1
        for attempt in range(1, attempts + 1):
            reason, retryable = self._attempt(body, str(payload["id"]), str(payload["type"]))
            if reason is None:
                return attempt
            if not retryable or attempt == attempts:
                raise WebhookError(reason, attempt)
            self.sleep(RETRY_DELAYS[attempt - 1])
        raise AssertionError("unreachable")

    def _attempt(self, body: bytes, event_id: str, event_type: str) -> tuple[str | None, bool]:
        """(None, _) when the receiver took it; else (why, whether to try again)."""
        timestamp = int(time.time())
        request = urllib.request.Request(  # noqa: S310 (https://, or http:// to loopback)
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                ID_HEADER: event_id,
                EVENT_HEADER: event_type,
                TIMESTAMP_HEADER: str(timestamp),
                SIGNATURE_HEADER: signature(self.key, timestamp, body),
            },
        )
        try:
            with _opener(self.url).open(request, timeout=self.timeout) as response:
                response.read(65536)
                status = int(response.status)
        except urllib.error.HTTPError as error:
            error.close()
            status = int(error.code)
        except (urllib.error.URLError, OSError) as error:
            return _unreachable(error, self.timeout), True
        if 200 <= status < 300:
            return None, False
        if 300 <= status < 400:
            return f"HTTP {status}: redirects are not followed", False
        return f"HTTP {status}", status >= 500 or status in _RETRYABLE


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: it could send the body elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(url: str) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_NoRedirects()]
    if is_loopback(urlsplit(url).hostname or ""):
        handlers.append(urllib.request.ProxyHandler({}))  # no proxy for this machine
    return urllib.request.build_opener(*handlers)


def _unreachable(error: BaseException, timeout: float) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, OSError) and reason.strerror:
        return f"cannot connect: {reason.strerror}"
    return f"cannot connect: {reason}"
