"""Test data made through the service, as a user would make it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app import open_service, tokens
from app.service import TokenService
from tests.support.backends import TestStore


def filled(service: TokenService, count: int) -> None:
    """A project "web" with ``count`` tokens named "token 00", "token 01", ..."""
    service.add_project("web")
    for index in range(count):
        service.generate("web", f"token {index:02}")


def generated_at_once(service: TokenService, project: str, names: list[str]) -> dict:
    """Tokens of ``project`` by these names, written as generate writes them (the
    issuer's statements, audited) but in one transaction: hundreds in a fraction of the
    time a commit each takes. By name: (the issued record, its plaintext)."""
    context = service.context
    made = {}
    with context.writing():
        connection = context.storage.raw_connection()
        for name in names:
            plaintext = tokens.new_token()
            issued = context.issuer.generate(
                connection,
                salt=context.salt(),
                plaintext=plaintext,
                project_name=project,
                name=name,
                expiry=None,
                environments=[],
                actor=context.actor,
                now=context.clock(),
            )
            made[name] = (issued, plaintext)
    return made


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
