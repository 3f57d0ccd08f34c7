"""Several processes generating, verifying and revoking at once lose nothing on SQLite."""

from __future__ import annotations

import json
import subprocess
import sys

from app import open_service

WORKER = """
import json, sys
from app import open_service

service = open_service(sys.argv[1])
rounds = int(sys.argv[2])
generated, revoked, wrong = [], [], 0
for number in range(rounds):
    record, plaintext = service.generate("web", name=f"worker token {number}")
    generated.append(record.id)
    wrong += service.verify(plaintext, "web") != "web"
    if number % 2:
        service.revoke("web", record.id)
        revoked.append(record.id)
        wrong += service.verify(plaintext) is not None
service.close()
print(json.dumps({"generated": generated, "revoked": revoked, "wrong": wrong}))
"""


def test_concurrent_writers_and_verifiers_lose_nothing(database_url):
    with open_service(database_url) as service:
        service.add_project("web")
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, database_url, "30"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outcomes.append(json.loads(out))

    generated = [token_id for o in outcomes for token_id in o["generated"]]
    revoked = {token_id for o in outcomes for token_id in o["revoked"]}
    assert sum(o["wrong"] for o in outcomes) == 0
    assert len(generated) == len(set(generated)) == 120
    with open_service(database_url) as service:
        live = {token.id for token in service.list_tokens("web")}
        events = service.audit_log("web")
    assert live == set(generated) - revoked
    assert sorted(e.token_id for e in events if e.action == "generated") == sorted(generated)
    assert {e.token_id for e in events if e.action == "revoked"} == revoked
