"""Load with nothing lost: verifiers in threads and processes while tokens come and go.

Every verification is recorded with when it started and ended (CLOCK_MONOTONIC, shared by
all processes on Linux) and every revoke with when its commit returned; some tokens expire
during the run and some are rotated with a short grace. Afterwards the records must show
that no live token was ever refused, no token was accepted by a verification that started
after its revoke committed, its expiry or the end of its grace, and the database and its
audit trail hold exactly what was done.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest

from app import open_service, tokens
from app.lifecycle import Expiry
from app.service import TokenService

SEED_TOKENS = 40
# Tokens made to expire while the verifiers run, at these many seconds after they are made
# (just before the verifiers start).
EXPIRING_AFTER = (0.75, 1.0, 1.25, 1.5)
# Tokens rotated during the run, and how long their grace lasts.
ROTATED = 4
GRACE = timedelta(seconds=0.8)
# Around each stop: the stored time and the service's comparison may round.
CLOCK_SLACK = 0.01
VERIFIER_THREADS = 4
VERIFIER_PROCESSES = 3
# Between one revoke and the next.
PAUSE = 0.03
# Each verifier walks the tokens in steps of STRIDE, prime to their number: every token.
STRIDE = 5

# A verifier runs until told to stop: a first pass over every token (before the writer
# starts), then tokens in steps of STRIDE while tokens are revoked, rotated and expire,
# then, once told to stop (after the last of them stopped), a last pass over every token.
# So each token is verified before and after everything that happened to it, however
# fast or slow the machine; the run lasts as long as that takes, and no longer.
VERIFIER_PROCESS = """
import json, sys, threading, time
from app import open_service
url, stride = sys.argv[1], int(sys.argv[2])
service = open_service(url)
print("ready", flush=True)
plaintexts = json.loads(sys.stdin.readline())
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
records = []
def verify(plaintext):
    started, started_wall = time.monotonic(), time.time()
    accepted = service.verify(plaintext, "web") == "web"
    records.append((plaintext, started, time.monotonic(), accepted, started_wall, time.time()))
for plaintext in plaintexts:
    verify(plaintext)
print("going", flush=True)
i = 0
while not stop.is_set():
    verify(plaintexts[(i * stride) % len(plaintexts)])
    i += 1
for plaintext in plaintexts:
    verify(plaintext)
service.close()
json.dump(records, sys.stdout)
"""


def verify_in_thread(
    service: TokenService,
    plaintexts: list[str],
    going: threading.Event,
    stop: threading.Event,
    records: list,
) -> None:
    def verify(plaintext: str) -> None:
        started, started_wall = time.monotonic(), time.time()
        accepted = service.verify(plaintext, "web") == "web"
        ended, ended_wall = time.monotonic(), time.time()
        records.append((plaintext, started, ended, accepted, started_wall, ended_wall))

    try:
        for plaintext in plaintexts:
            verify(plaintext)
        going.set()
        i = 0
        while not stop.is_set():
            verify(plaintexts[(i * STRIDE) % len(plaintexts)])
            i += 1
        for plaintext in plaintexts:
            verify(plaintext)
    finally:
        service.close()  # this thread's connection


def test_concurrent_verifiers_while_generating_and_revoking_lose_nothing(
    service: TokenService, database_url: str, request: pytest.FixtureRequest
):
    service.add_project("web")
    # Started first, so that they load the app while the tokens are made.
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", VERIFIER_PROCESS, database_url, str(STRIDE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(VERIFIER_PROCESSES)
    ]
    request.addfinalizer(lambda: [process.kill() for process in processes])
    seeded = [service.generate("web") for _ in range(SEED_TOKENS)]
    to_rotate = [service.generate("web", "rotated") for _ in range(ROTATED)]
    # When each expiring or rotated token stops, on the wall clock (the service's own, so
    # a clock being slewed, as a virtual machine's catching up is, moves both alike): no
    # earlier than the first moment and no later than the second.
    stops_at: dict[str, tuple[float, float]] = {}
    expiring = []
    for seconds in EXPIRING_AFTER:
        record, plaintext = service.generate(
            "web", "expiring", expiry=Expiry.after(timedelta(seconds=seconds))
        )
        expiring.append((record, plaintext))
        assert record.expires_at is not None
        stop = record.expires_at.timestamp()
        stops_at[plaintext] = (stop - CLOCK_SLACK, stop + CLOCK_SLACK)
    plaintexts = [plaintext for _, plaintext in seeded + expiring + to_rotate]
    plaintexts.append(tokens.new_token())  # never stored: must always be refused
    assert math.gcd(STRIDE, len(plaintexts)) == 1

    for process in processes:
        assert process.stdin is not None
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n"
        process.stdin.write(json.dumps(plaintexts) + "\n")
        process.stdin.flush()
    stop_verifying = threading.Event()
    thread_records: list[list] = [[] for _ in range(VERIFIER_THREADS)]
    thread_going = [threading.Event() for _ in range(VERIFIER_THREADS)]
    threads = [
        threading.Thread(
            target=verify_in_thread,
            args=(service, plaintexts, going, stop_verifying, records),
        )
        for going, records in zip(thread_going, thread_records, strict=True)
    ]
    for thread in threads:
        thread.start()

    # The writer: revoke every other seeded token, generating a new one after each, and
    # rotate a few tokens on the way; once every verifier has seen every token.
    with open_service(database_url) as writer:
        revoked_at: dict[str, float] = {}
        generated: list[tuple[int, str]] = []
        successors: list[tuple[int, str]] = []
        for process in processes:
            assert process.stdout is not None
            assert process.stdout.readline() == "going\n"
        assert all(going.wait(60) for going in thread_going)
        for index, (record, plaintext) in enumerate(seeded[::2]):
            writer.revoke("web", record.id)
            revoked_at[plaintext] = time.monotonic()
            new, new_plaintext = writer.generate("web", "during the load")
            generated.append((new.id, new_plaintext))
            if index < ROTATED:
                old, old_plaintext = to_rotate[index]
                asked = time.time()
                successor, successor_plaintext = writer.rotate("web", old.id, grace=GRACE)
                # The grace ends GRACE after the service read its clock, in between.
                grace = GRACE.total_seconds()
                stops_at[old_plaintext] = (asked + grace, time.time() + grace)
                successors.append((successor.id, successor_plaintext))
            time.sleep(PAUSE)

    # Every token that stops has stopped: the verifiers make their last pass.
    time.sleep(max(0.0, max(last for _, last in stops_at.values()) - time.time()))
    stop_verifying.set()
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("stop\n")
        process.stdin.flush()
    for thread in threads:
        thread.join()
    outputs = [process.communicate(timeout=60)[0] for process in processes]
    assert [process.returncode for process in processes] == [0] * VERIFIER_PROCESSES
    records = [tuple(r) for output in outputs for r in json.loads(output)]
    records += [r for per_thread in thread_records for r in per_thread]

    never_stored = plaintexts[-1]
    assert len(records) > 500, "the verifiers hardly ran"
    wrongly_refused = [
        r
        for r in records
        if not r[3]
        and r[0] != never_stored
        and r[0] not in revoked_at
        and not (r[0] in stops_at and r[5] >= stops_at[r[0]][0])
    ]
    accepted_after_revoke = [
        r for r in records if r[3] and r[0] in revoked_at and r[1] > revoked_at[r[0]]
    ]
    accepted_after_stop = [
        r for r in records if r[3] and r[0] in stops_at and r[4] > stops_at[r[0]][1]
    ]
    unknown_accepted = [r for r in records if r[3] and r[0] == never_stored]
    assert wrongly_refused == []
    assert accepted_after_revoke == []
    assert accepted_after_stop == []
    assert unknown_accepted == []
    # Expiry and grace did happen during the run: each such token was seen both ways.
    for plaintext in stops_at:
        outcomes = {r[3] for r in records if r[0] == plaintext}
        assert outcomes == {True, False}, "a token did not expire while verifiers ran"
    # The verifications did overlap the revokes: each revoked token was seen both ways.
    seen_both_ways = {r[0] for r in records if r[0] in revoked_at and r[3]} & {
        r[0] for r in records if r[0] in revoked_at and not r[3]
    }
    assert len(seen_both_ways) >= len(revoked_at) // 2

    # The final state: nothing lost, nothing extra, every action audited once.
    live = {t.id for t in service.list_tokens("web")}
    kept_ids = {record.id for record, _ in seeded[1::2] + expiring + to_rotate}
    assert live == kept_ids | {token_id for token_id, _ in generated + successors}
    for _, plaintext in generated + successors:
        assert service.verify(plaintext, "web") == "web"
    for plaintext in stops_at:
        assert service.check(plaintext).code == "expired"
    for plaintext in revoked_at:
        assert service.verify(plaintext) is None
    events = service.audit_log("web")
    generated_events = sorted(e.token_id for e in events if e.action == "generated")
    revoked_events = sorted(e.token_id for e in events if e.action == "revoked")
    all_ids = [record.id for record, _ in seeded + expiring + to_rotate] + [
        token_id for token_id, _ in generated + successors
    ]
    assert generated_events == sorted(all_ids)
    assert revoked_events == sorted(record.id for record, _ in seeded[::2])
    rotated_events = sorted(e.token_id for e in events if e.action == "rotated")
    assert rotated_events == sorted(record.id for record, _ in to_rotate)
