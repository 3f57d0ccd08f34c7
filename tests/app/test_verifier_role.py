"""db grant-verifier: the role the verification service runs as can verify, and nothing
else (PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest

from app import open_service
from app.errors import StorageError


@pytest.fixture
def verifier_url(store, cli, service):
    """A login role granted by the command, and the URL that connects as it."""
    role = f"verifier_{store.name}"  # roles are per cluster: one per test database
    store.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        service.add_project("web")
        granted = cli("db", "grant-verifier", role)
        assert granted.code == 0, granted.err
        assert 'GRANT UPDATE ("last_used_at")' in granted.out
        parts = urlsplit(store.url)
        host = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
        yield urlunsplit((parts.scheme, f"{role}@{host}", parts.path, "", ""))
    finally:
        store.execute(f'DROP OWNED BY "{role}"')
        store.execute(f'DROP ROLE "{role}"')


@pytest.mark.only_backend("postgresql")
def test_the_verifier_role_verifies_and_records_use(verifier_url, service):
    _, plaintext = service.generate("web")
    with open_service(verifier_url, create=False) as verifier:
        assert verifier.verify(plaintext, "web") == "web"
        assert verifier.salt_problem() is None
        assert verifier.revision() > 0
    assert service.list_tokens("web")[0].last_used_at is not None


@pytest.mark.parametrize(
    "change",
    [
        lambda s, r: s.generate("web"),
        lambda s, r: s.revoke("web", r.id),
        lambda s, r: s.rename_token("web", r.id, "renamed"),
        lambda s, r: s.add_project("api"),
        lambda s, r: s.add_client("gateway"),
    ],
    ids=["generate", "revoke", "rename", "add a project", "add a client"],
)
@pytest.mark.only_backend("postgresql")
def test_the_verifier_role_cannot_change_tokens_or_projects(verifier_url, service, store, change):
    record, _ = service.generate("web")
    before = store.dump()
    with (
        open_service(verifier_url, create=False) as verifier,
        pytest.raises(StorageError, match="permission denied"),
    ):
        change(verifier, record)
    assert store.dump() == before


@pytest.mark.only_backend("sqlite")
def test_an_sqlite_file_has_no_roles_to_grant(cli, service):
    result = cli("db", "grant-verifier", "verifier")
    assert result.code == 2
    assert "is for PostgreSQL" in result.err


@pytest.mark.only_backend("postgresql")
def test_serve_runs_as_the_verifier_role(verifier_url, service, tmp_path):
    """The service itself, started with the verify-only role's URL, answers."""
    from tests.support.serving import free_port, request

    _, plaintext = service.generate("web")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--database", verifier_url, "serve",
         "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                ready = request(port, "GET", "/readyz")
                break
            except OSError:
                assert process.poll() is None, "serve did not start as the verifier role"
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert ready[0] == 200, ready[2]
        headers = {"Authorization": f"Bearer {plaintext}", "X-Deployment-Project": "web"}
        assert request(port, "GET", "/v1/authorize", headers)[0] == 204
    finally:
        process.terminate()
        process.wait(timeout=30)
