"""app.records: what the service hands out, and the token the plain-SQL issuer describes.

``app.issuing.Issued`` and ``TokenRecord`` describe one token: the first on the
``tokens generate`` path, where ``dataclasses`` may not load; the second everywhere else.
These tests keep the two from drifting apart while both exist.
"""

from __future__ import annotations

import ast
import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app import issuing
from app.records import TokenRecord

ISSUING = Path(issuing.__file__)
# What a token cannot have yet when it is issued (an exchanged token's binding, and where
# it was pushed, are set by the exchange and the push, not the issuer).
ONLY_ONCE_LISTED = {"last_used_at", "replaced_by", "deployer_id", "destination_id"}


def issued_annotations() -> dict[str, str]:
    """``Issued``'s fields and their annotations, as declared for the type checker."""
    for node in ast.walk(ast.parse(ISSUING.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef) and node.name == "Issued":
            return {
                statement.target.id: ast.unparse(statement.annotation)
                for statement in node.body
                if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
            }
    pytest.fail("app/issuing.py declares no Issued: update this test")


def test_an_issued_token_has_a_token_records_fields_and_types():
    issued = issued_annotations()
    listed = {field.name: field.type for field in dataclasses.fields(TokenRecord)}
    assert {name: listed.get(name) for name in issued} == issued
    assert set(listed) - set(issued) == ONLY_ONCE_LISTED


def test_what_either_path_issues_is_what_the_list_shows(service, database_url):
    service.add_project("web")
    service.add_environment("web", "production")
    record, _ = service.generate("web", "service")
    if database_url.startswith("sqlite"):
        outcome = issuing.generate_in_sqlite_file(database_url, "web", "fast", None, ["production"])
        assert outcome is not None
        issued, _ = outcome
    else:
        issued = None
    listed = {token.name: token for token in service.list_tokens("web")}
    assert record == listed["service"]
    if issued is not None:
        token = listed["fast"]
        assert {name: getattr(token, name) for name in issued._fields} == issued._asdict()
        assert (token.last_used_at, token.replaced_by) == (None, None)


def test_a_token_records_status_and_lifetime():
    created = datetime(2026, 1, 1, tzinfo=UTC)
    record = TokenRecord(1, "web", "ci", "mldt_…abcd", created, "me", None, created + timedelta(30))
    assert record.lifetime() == timedelta(30)
    assert record.status(created) == "active"
    assert record.status(created + timedelta(25)) == "expiring"
    assert record.status(created + timedelta(30)) == "expired"
    forever = dataclasses.replace(record, expires_at=None)
    assert (forever.lifetime(), forever.status(created + timedelta(3650))) == (None, "active")
    retiring = dataclasses.replace(record, replaced_by=2)
    assert retiring.status(created + timedelta(1)) == "retiring"
