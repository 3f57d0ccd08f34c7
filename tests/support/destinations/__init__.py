"""What the destination tests push to: a real OpenBao dev server, and fakes of GitHub's
and GitLab's APIs that follow their documentation to the letter and refuse anything else.

The fakes answer on 127.0.0.1 in a thread, record every request (without its
credential), can fail the next requests with a given status, and can go down. The GitHub
fake holds the private keys of its repositories and environments and opens every sealed
secret, so a test sees the plaintext that arrived.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from tests.support.destinations.github_fake import GitHubFake, StoredSecret
from tests.support.destinations.gitlab_fake import GitLabFake
from tests.support.destinations.http_fake import Recorded
from tests.support.destinations.openbao import POLICY_TEMPLATE, BaoServer, OpenBao

__all__ = [
    "POLICY_TEMPLATE",
    "BaoServer",
    "GitHubFake",
    "GitLabFake",
    "OpenBao",
    "Recorded",
    "StoredSecret",
]


@pytest.fixture(autouse=True)
def no_waits_between_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A destination's retries wait a second in all (app.destinations.transport): tests
    take the waits out (a test that counts them patches it again)."""
    from app.destinations import transport

    monkeypatch.setattr(transport, "sleep", lambda _: None)


@pytest.fixture(scope="session")
def _bao_server() -> Iterator[BaoServer]:
    server = BaoServer()
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def openbao(_bao_server: BaoServer) -> OpenBao:
    """The real OpenBao (started again if an earlier test stopped it), and a path prefix
    under secret/ no other test uses."""
    _bao_server.start()
    return OpenBao(_bao_server, f"secret/t-{secrets.token_hex(6)}")


@pytest.fixture
def openbao_tls() -> Iterator[BaoServer]:
    """A server of its own with ``-dev-tls``: a private CA, as a company's vault has."""
    server = BaoServer(tls=True)
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def github_fake() -> Iterator[GitHubFake]:
    """GitHub's Actions secrets API on 127.0.0.1 (its ``url`` as GITHUB_API_URL), with
    acme/web and its environments production and "staging eu"."""
    fake = GitHubFake()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def gitlab_fake() -> Iterator[GitLabFake]:
    """GitLab's project variables API on 127.0.0.1 (``url`` is the instance), project 42."""
    fake = GitLabFake()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
