"""Several clients on one database see each other's changes at once."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from app import open_service
from app.errors import NotFoundError

# A long-lived verifier in its own process, like a deployment service that keeps its
# connection open: it verifies each line it reads and answers with the project or "-".
VERIFIER = """
import sys
from app import open_service
service = open_service(sys.argv[1])
for line in sys.stdin:
    print(service.verify(line.strip()) or "-", flush=True)
"""


@pytest.fixture
def web(service):
    service.add_project("web")
    return "web"


def test_a_revoke_in_one_process_fails_verify_in_another_at_once(service, web, database_url):
    record, plaintext = service.generate(web)
    verifier = subprocess.Popen(
        [sys.executable, "-c", VERIFIER, database_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:

        def ask() -> str:
            verifier.stdin.write(plaintext + "\n")
            verifier.stdin.flush()
            return verifier.stdout.readline().strip()

        assert ask() == "web"
        service.revoke(web, record.id)
        # No wait, no retry: the very next verification in the other process fails.
        assert ask() == "-"
    finally:
        verifier.stdin.close()
        verifier.wait(timeout=30)
        verifier.stdout.close()
    assert verifier.returncode == 0


def test_the_revision_moves_with_every_change_from_any_client(service, web, database_url):
    with open_service(database_url) as other:
        seen = service.revision()
        record, plaintext = other.generate(web)
        assert service.revision() > seen

        seen = service.revision()
        other.rename_token(web, record.id, "renamed")
        assert service.revision() > seen

        seen = service.revision()
        assert other.verify(plaintext) == "web"  # records "last used"
        assert service.revision() > seen

        seen = service.revision()
        other.add_project("api")
        assert service.revision() > seen

        seen = service.revision()
        other.revoke(web, record.id)
        assert service.revision() > seen

        seen = service.revision()
        other.list_tokens(web)
        other.verify(plaintext)
        assert service.revision() == seen  # reads change nothing


def test_revoking_what_another_client_revoked_says_so_and_audits_once(service, web, database_url):
    record, _ = service.generate(web)
    with open_service(database_url) as other:
        other.revoke(web, record.id)
    with pytest.raises(NotFoundError, match="revoked already"):
        service.revoke(web, record.id)
    assert [e.action for e in service.audit_log(web)] == ["revoked", "generated"]


def test_two_clients_revoking_at_the_same_moment_leave_one_revoke(service, web):
    rounds = 15
    records = [service.generate(web)[0] for _ in range(rounds)]
    outcomes: list[str] = []
    for record in records:
        barrier = threading.Barrier(2)

        def revoke(record=record, barrier=barrier) -> None:
            # Each thread has a connection of its own: two clients of one database.
            try:
                barrier.wait()
                service.revoke(web, record.id)
                outcomes.append("revoked")
            except NotFoundError:
                outcomes.append("already")
            finally:
                service.close()

        threads = [threading.Thread(target=revoke) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert outcomes.count("revoked") == rounds
    assert outcomes.count("already") == rounds
    revokes = [e for e in service.audit_log(web) if e.action == "revoked"]
    assert sorted(e.token_id for e in revokes) == sorted(r.id for r in records)


@pytest.mark.only_backend("postgresql")
def test_verify_with_the_server_down_exits_2_in_one_line(own_cluster, cli_process):
    url = own_cluster.url("postgres")
    with open_service(url) as setup:
        setup.add_project("web")
        _, plaintext = setup.generate("web")
    own_cluster.stop()
    result = cli_process("verify", "--database", url, stdin=plaintext + "\n")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "cannot reach the database server" in result.stderr
    assert plaintext not in result.stderr
