"""Webhooks: the secret derived from a stored seed and the salt, the signature a receiver
checks (Stripe's "timestamp.body" construction), the payloads, and delivery with bounded
retries against a local HTTP receiver."""

from __future__ import annotations

import json
import socket
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app import shown, tokens
from app.notifications import webhooks
from app.notifications.items import AuditItem, ExpiringToken
from tests.support.receivers import Receiver, receiving, signature_valid
from tests.support.serving import free_port

SALT = b"test-salt-0123456789-abcdefghijklmnopqrstuvwxyz"
AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
EVENT = AuditItem(
    7, "ab" * 32, AT, "alice", "expiry changed", "web", 1, 12, "mldt_\u2026a9Zq", "to 2026-04-01"
)
WARNING = ExpiringToken(
    4, 1, "web", 12, "ci", "mldt_\u2026a9Zq", AT, "alice", AT, 7
)  # fmt: skip


def test_the_secret_is_derived_from_the_seed_under_the_salt():
    seed = webhooks.new_seed()
    secret = webhooks.secret(seed, SALT)
    assert secret == webhooks.secret(seed, SALT)
    assert secret != webhooks.secret(seed, SALT + b"x")
    assert secret != webhooks.secret(webhooks.new_seed(), SALT)
    assert len(seed) == 64
    assert secret.startswith("mldw_")
    assert len(secret) == 48
    assert tokens.secret_kind(secret) == "a webhook's signing secret"
    assert secret[5:] not in shown.for_display(f"oops: {secret}")


def test_the_signature_covers_the_timestamp_and_the_body():
    body = b'{"id":"x"}'
    signed = webhooks.signature("mldw_key", 1767225600, body)
    assert signed.startswith("sha256=")
    assert len(signed) == 7 + 64
    assert signed != webhooks.signature("mldw_key", 1767225601, body)
    assert signed != webhooks.signature("mldw_key", 1767225600, body + b" ")
    assert signed != webhooks.signature("mldw_other", 1767225600, body)


def test_payloads_carry_an_id_a_type_and_the_event():
    assert webhooks.audit_payload(EVENT) == {
        "id": "ab" * 32,
        "type": "audit.expiry_changed",
        "event": {
            "seq": 7, "hash": "ab" * 32, "at": "2026-03-01T09:30:00Z", "actor": "alice",
            "action": "expiry changed", "project": "web", "token_id": 12,
            "preview": "mldt_\u2026a9Zq", "detail": "to 2026-04-01",
        },
    }  # fmt: skip
    expiring = webhooks.expiry_payload(WARNING)
    assert (expiring["id"], expiring["type"], expiring["threshold_days"]) == (
        "expiry-12-7d",
        "token.expiring",
        7,
    )
    assert expiring["token"]["expires_at"] == "2026-03-01T09:30:00Z"
    assert expiring["rotate"] == "deployment-tokens tokens rotate --project web 12"
    assert json.loads(webhooks.encoded(expiring)) == expiring


def test_a_receiver_gets_a_signed_post():
    with receiving(Receiver(secret="mldw_key")) as receiver:
        attempts = webhooks.Poster(receiver.url, "mldw_key").post(webhooks.audit_payload(EVENT))
    [delivered] = receiver.received
    assert attempts == 1
    assert delivered.valid
    assert delivered.headers["Content-Type"] == "application/json"
    assert delivered.headers["X-Deployment-Tokens-Event"] == "audit.expiry_changed"
    assert delivered.headers["X-Deployment-Tokens-Id"] == "ab" * 32
    assert delivered.payload["event"]["seq"] == 7


def test_a_receiver_with_another_secret_refuses_it():
    with (
        receiving(Receiver(secret="mldw_theirs")) as receiver,
        pytest.raises(webhooks.WebhookError, match=r"HTTP 401 \(after 1 attempt\)"),
    ):
        webhooks.Poster(receiver.url, "mldw_ours", sleep=pytest.fail).post(
            webhooks.audit_payload(EVENT)
        )
    assert not signature_valid(
        "mldw_theirs", receiver.received[0].headers, receiver.received[0].body
    )


def test_a_receiver_that_fails_twice_gets_it_on_the_third_attempt():
    waits: list[float] = []
    with receiving(Receiver(secret="k", failures=[503, 429])) as receiver:
        attempts = webhooks.Poster(receiver.url, "k", sleep=waits.append).post(
            webhooks.expiry_payload(WARNING)
        )
    assert attempts == 3
    assert waits == list(webhooks.RETRY_DELAYS)
    assert [d.headers["answered"] for d in receiver.received] == ["503", "429", "204"]
    assert {d.payload["id"] for d in receiver.received} == {"expiry-12-7d"}


def test_retries_are_bounded():
    waits: list[float] = []
    with (
        receiving(Receiver(secret="k", failures=[500] * 5)) as receiver,
        pytest.raises(webhooks.WebhookError, match=r"^HTTP 500 \(after 3 attempts\)$"),
    ):
        webhooks.Poster(receiver.url, "k", sleep=waits.append).post(webhooks.audit_payload(EVENT))
    assert len(receiver.received) == 3
    assert len(waits) == 2


def test_a_client_error_is_not_retried_in_the_same_run():
    with (
        receiving(Receiver(secret="k", failures=[400])) as receiver,
        pytest.raises(webhooks.WebhookError, match=r"HTTP 400 \(after 1 attempt\)"),
    ):
        webhooks.Poster(receiver.url, "k", sleep=pytest.fail).post(webhooks.audit_payload(EVENT))
    assert len(receiver.received) == 1


def test_a_receiver_that_is_down_is_tried_three_times():
    url = f"http://127.0.0.1:{free_port()}/hook"
    with pytest.raises(webhooks.WebhookError) as down:
        webhooks.Poster(url, "k", sleep=lambda _: None).post(webhooks.audit_payload(EVENT))
    assert str(down.value) == "cannot connect: Connection refused (after 3 attempts)"
    assert down.value.attempts == 3


def test_a_redirect_is_not_followed():
    hits: list[str] = []

    class Redirecting(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            hits.append(self.path)
            self.send_response(307)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        with pytest.raises(webhooks.WebhookError, match="HTTP 307: redirects are not followed"):
            webhooks.Poster(url, "k", sleep=pytest.fail).post(webhooks.audit_payload(EVENT))
    finally:
        server.shutdown()
        server.server_close()
    assert hits == ["/hook"]


def test_a_receiver_that_never_answers_times_out():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/hook"
        poster = webhooks.Poster(url, "k", sleep=lambda _: None, timeout=0.2)
        with pytest.raises(webhooks.WebhookError, match=r"no answer within 0.2 s \(after 3"):
            poster.post(webhooks.audit_payload(EVENT))
