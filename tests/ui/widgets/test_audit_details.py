"""The selected audit event whole (ui/widgets/audit_details.py): every field, wrapped
details, and the hash once read, for that event only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.records import AuditRecord
from ui.widgets.audit_details import ACTION, BY, DETAILS, EVENT, HASH, TOKEN, WHEN, AuditDetails

NOW = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
LONG = "leaked: found in " + "a very long build log line that no column could hold " * 3


def record(**changes: object) -> AuditRecord:
    fields: dict[str, object] = {
        "id": 7,
        "project": "web",
        "action": "revoked",
        "token_id": 12,
        "token_preview": "mldt_…a9Zq",
        "actor": "maria",
        "occurred_at": NOW - timedelta(hours=2),
        "detail": LONG,
        "token_name": "GitHub Actions: production deploy",
        "seq": 311,
    }
    fields.update(changes)
    return AuditRecord(**fields)  # type: ignore[arg-type]


def test_nothing_selected_says_what_the_panel_is_for(qtbot):
    details = AuditDetails()
    qtbot.addWidget(details)
    details.show()
    details.show_event(None, NOW)
    assert details.hint().isVisible()
    assert "its hash" in details.hint().text()
    assert details.record() is None


def test_an_event_is_shown_whole(qtbot):
    details = AuditDetails()
    qtbot.addWidget(details)
    details.resize(500, 200)
    details.show()
    event = record()
    details.show_event(event, NOW)
    assert not details.hint().isVisible()
    assert details.value(EVENT) == "311"
    assert details.value(ACTION) == "Revoked"
    assert details.value(BY) == "maria"
    assert details.value(WHEN).endswith("(2 hours ago)")
    assert details.value(TOKEN) == "mldt_…a9Zq (id 12), named “GitHub Actions: production deploy”"
    assert details.value(DETAILS) == LONG  # whole, wrapped: never cut
    assert details.value(HASH) == "…"  # read apart
    assert details.width() <= 500  # a long text wraps; it does not widen the panel
    details.show_hash(311, "ab" * 32)
    assert details.value(HASH) == "ab" * 32
    assert "Hash: " + "ab" * 32 in details.accessibleDescription()
    assert "Details: " + LONG in details.accessibleDescription()


def test_a_hash_read_for_another_event_is_not_shown(qtbot):
    details = AuditDetails()
    qtbot.addWidget(details)
    details.show_event(record(), NOW)
    details.show_hash(310, "cd" * 32)
    assert details.value(HASH) == "…"
    details.show_hash(311, None)
    assert details.value(HASH) == "not found in the chain"
    details.show_hash(311, None, failed=True)
    assert details.value(HASH) == "could not be read"


def test_the_project_s_own_events_and_unnamed_tokens(qtbot):
    details = AuditDetails()
    qtbot.addWidget(details)
    details.show_event(record(token_id=None, token_preview=None, detail=""), NOW)
    assert details.value(TOKEN) == "None: the project's own settings"
    assert details.value(DETAILS) == "—"
    details.show_event(record(token_name=None), NOW)
    assert details.value(TOKEN) == "mldt_…a9Zq (id 12)"
