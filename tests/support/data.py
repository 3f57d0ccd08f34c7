"""Test data made through the service, as a user would make it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app import open_service
from app.service import TokenService
from tests.support.backends import TestStore


def filled(service: TokenService, count: int) -> None:
    """A project "web" with ``count`` tokens named "token 00", "token 01", ..."""
    service.add_project("web")
    for index in range(count):
        service.generate("web", f"token {index:02}")


def used_ago(store: TestStore, plaintext: str, ago: timedelta) -> None:
    """A pipeline presented the token ``ago`` before now: it is verified, and its use is
    then dated back in the store. (On PostgreSQL the server stamps a use with its own
    clock, so a verifier with a clock set back cannot make a past use.)"""
    with open_service(store.url) as pipeline:
        token_id = pipeline.check(plaintext).token_id
    assert token_id is not None, "the token does not verify"
    naive = (datetime.now(UTC) - ago).replace(tzinfo=None)
    stored: object = naive.isoformat(" ") if store.backend == "sqlite" else naive
    store.execute("UPDATE deployment_token SET last_used_at = %s WHERE id = %s", stored, token_id)
