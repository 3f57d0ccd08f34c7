"""Leak response in the service: one audited step, idempotent, never a plaintext out."""

from __future__ import annotations

import pytest

from app import tokens
from app.errors import ValidationError
from app.use_cases.leak_response import ALREADY_REVOKED, REVOKED, UNKNOWN, WOULD_BE_REVOKED


@pytest.fixture
def web(service):
    service.add_project("web")
    return service


def test_live_tokens_are_revoked_and_audited_with_the_source(web):
    record, plaintext = web.generate("web", "ci")
    [finding] = web.revoke_leaked([plaintext], source="ticket #42")
    assert (finding.outcome, finding.project, finding.name, finding.token_id) == (
        REVOKED,
        "web",
        "ci",
        record.id,
    )
    assert finding.preview == record.preview
    assert web.verify(plaintext) is None
    [event, _] = web.audit_log("web")
    assert (event.action, event.token_id, event.detail) == (
        "revoked",
        record.id,
        "leaked: found in ticket #42",
    )


def test_a_second_report_changes_nothing_and_says_already_revoked(web, store):
    _, plaintext = web.generate("web", "ci")
    web.revoke_leaked([plaintext])
    before = store.dump()
    [finding] = web.revoke_leaked([plaintext])
    assert (finding.outcome, finding.name) == (ALREADY_REVOKED, "ci")
    assert store.dump() == before


def test_a_token_revoked_by_hand_is_already_revoked_too(web):
    record, plaintext = web.generate("web", "ci")
    web.revoke("web", record.id)
    [finding] = web.revoke_leaked([plaintext])
    assert (finding.outcome, finding.project, finding.token_id) == (
        ALREADY_REVOKED,
        "web",
        record.id,
    )


def test_a_dry_run_writes_nothing(web, store):
    _, plaintext = web.generate("web")
    before = store.dump()
    [finding] = web.revoke_leaked([plaintext], dry_run=True)
    assert finding.outcome == WOULD_BE_REVOKED
    assert store.dump() == before
    assert web.verify(plaintext) == "web"


def test_unknown_tokens_are_reported_without_a_project(web):
    stranger = tokens.new_token()
    [finding] = web.revoke_leaked([stranger])
    assert (finding.outcome, finding.project, finding.name) == (UNKNOWN, None, None)
    assert stranger not in repr(finding)


@pytest.mark.parametrize("source", ["a\x1b[2Kb", "x" * 201])
def test_a_source_that_cannot_be_shown_safely_is_refused_before_anything_changes(
    web, store, source
):
    _, plaintext = web.generate("web")
    before = store.dump()
    with pytest.raises(ValidationError):
        web.revoke_leaked([plaintext], source=source)
    assert store.dump() == before


def test_a_token_as_the_source_is_refused_without_being_quoted(web):
    _, plaintext = web.generate("web")
    with pytest.raises(ValidationError) as refused:
        web.revoke_leaked([plaintext], source=f"found {plaintext}")
    assert plaintext not in str(refused.value)
