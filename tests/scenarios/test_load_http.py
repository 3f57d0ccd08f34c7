"""Load over HTTP: concurrent clients ask the verification service (a real serve process,
two workers) while tokens are generated, rotated and revoked. Nothing is allowed after its
revoke committed, no live token is refused, and no request gets a 5xx while the database
is up."""

from __future__ import annotations

import http.client
import math
import threading
import time

from app import open_service, tokens
from tests.support.serving import request

CLIENTS = 8
SEED_TOKENS = 24
# Between one change and the next.
PAUSE = 0.05


def ask_repeatedly(
    port: int,
    plaintexts: list[str],
    going: threading.Event,
    stop: threading.Event,
    records: list,
) -> None:
    """One client on one keep-alive connection: (token, started, ended, status) per ask.
    It asks about every token once (then says it is going), then walks the list in steps
    of 7 until told to stop, then asks about every token once more: each is asked about
    before and after every change, however fast or slow the machine."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def ask(plaintext: str) -> None:
        started = time.monotonic()
        connection.request(
            "GET",
            "/v1/authorize",
            headers={"Authorization": f"Bearer {plaintext}", "X-Deployment-Project": "web"},
        )
        response = connection.getresponse()
        response.read()
        records.append((plaintext, started, time.monotonic(), response.status))

    try:
        for plaintext in plaintexts:
            ask(plaintext)
        going.set()
        i = 0
        while not stop.is_set():
            # 7 is prime to the list's length: every token, the unknown one included.
            ask(plaintexts[(i * 7) % len(plaintexts)])
            i += 1
        for plaintext in plaintexts:
            ask(plaintext)
    finally:
        connection.close()


def test_http_clients_while_tokens_come_and_go(server, service, database_url):
    port, _ = server
    seeded = [service.generate("web") for _ in range(SEED_TOKENS)]
    plaintexts = [plaintext for _, plaintext in seeded]
    never_stored = tokens.new_token()
    plaintexts.append(never_stored)
    assert math.gcd(7, len(plaintexts)) == 1  # each client walks the list in steps of 7

    per_client: list[list] = [[] for _ in range(CLIENTS)]
    going = [threading.Event() for _ in range(CLIENTS)]
    stop = threading.Event()
    clients = [
        threading.Thread(target=ask_repeatedly, args=(port, plaintexts, started, stop, records))
        for started, records in zip(going, per_client, strict=True)
    ]
    for client in clients:
        client.start()

    stopped_at: dict[str, float] = {}
    replacements = []
    with open_service(database_url) as writer:
        assert all(started.wait(60) for started in going)
        for index, (record, plaintext) in enumerate(seeded[::2]):
            if index % 3 == 0:
                # Rotation with no grace: the old token stops when the commit returns.
                replacements.append(writer.rotate("web", record.id))
            else:
                writer.revoke("web", record.id)
                replacements.append(writer.generate("web", "during the load"))
            stopped_at[plaintext] = time.monotonic()
            time.sleep(PAUSE)
    stop.set()
    for client in clients:
        client.join()

    records = [r for per in per_client for r in per]
    assert len(records) > 300, "the clients hardly ran"
    assert [r for r in records if r[3] >= 500] == []
    allowed_after_stop = [
        r for r in records if r[3] == 204 and r[0] in stopped_at and r[1] > stopped_at[r[0]]
    ]
    assert allowed_after_stop == []
    refused_while_live = [
        r for r in records if r[3] != 204 and r[0] != never_stored and r[0] not in stopped_at
    ]
    assert refused_while_live == []
    assert {r[3] for r in records if r[0] == never_stored} == {401}
    for _, plaintext in replacements:
        status, _, _ = request(
            port,
            "GET",
            "/v1/authorize",
            {"Authorization": f"Bearer {plaintext}", "X-Deployment-Project": "web"},
        )
        assert status == 204
