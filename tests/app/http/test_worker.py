"""serve's worker keeps threads from waiting on clients: an answer a client does not
take is kept for the event loop to send. (Where a request ends: test_framing. Real
processes: tests/scenarios/test_serve_hardening.py.)"""

from __future__ import annotations

import socket

from app.http.worker import _Outbox


def test_an_answer_the_client_does_not_take_is_kept_not_waited_on():
    ours, theirs = socket.socketpair()
    try:
        ours.setblocking(False)
        pending = bytearray()
        outbox = _Outbox(ours, pending)
        answer = bytes(range(256)) * 40_000  # ~10 MB: more than any socket buffer
        outbox.sendall(answer)  # returns at once
        assert 0 < len(pending) < len(answer)
        outbox.sendall(b"and more")  # behind what is kept, never before it
        assert pending.endswith(answer[-1000:] + b"and more")
        outbox.setblocking(True)
        outbox.settimeout(5)
        assert ours.gettimeout() == 0.0  # still non-blocking
    finally:
        ours.close()
        theirs.close()
