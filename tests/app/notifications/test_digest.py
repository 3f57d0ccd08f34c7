"""The e-mail digest: one message naming every token (project, name, preview, expiry, who
made it) with the commands that replace it, and never more than a preview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

from app.notifications import digest
from app.notifications.items import AuditItem, ExpiringToken

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def expiring(name: str, left: timedelta, token_id: int = 12) -> ExpiringToken:
    return ExpiringToken(
        warning_id=token_id, project_id=1, project="web", token_id=token_id, name=name,
        preview=f"mldt_\u2026{token_id:04}", created_at=NOW - timedelta(days=80),
        created_by="alice", expires_at=NOW + left, threshold_days=7,
    )  # fmt: skip


LEAKED = AuditItem(
    9, "cd" * 32, NOW, "bob", "revoked", "api", 2, 31, "mldt_\u20260031",
    "leaked: found in a GitLab job log",
)  # fmt: skip


def test_every_token_is_named_with_what_to_do():
    text = digest.body([expiring("ci deploy", timedelta(days=6, hours=2))], [LEAKED], NOW)
    assert "* web / ci deploy (mldt_\u20260012, id 12)" in text
    assert "expires 2026-03-07 11:00 UTC, in 6 days" in text
    assert "made by alice on 2025-12-11 09:00 UTC" in text
    assert "deployment-tokens tokens rotate --project web 12" in text
    assert "deployment-tokens tokens generate --project web --name 'ci deploy'" in text
    assert "deployment-tokens tokens revoke --project web 12" in text
    assert "* api: token 31 (mldt_\u20260031)" in text
    assert "revoked 2026-03-01 09:00 UTC by bob; leaked: found in a GitLab job log" in text
    assert "deployment-tokens tokens generate --project api" in text


def test_the_nearest_expiry_comes_first_and_hours_are_counted_near_the_end():
    text = digest.body(
        [expiring("later", timedelta(days=20), 1), expiring("sooner", timedelta(hours=5), 2)],
        [],
        NOW,
    )
    assert text.index("sooner") < text.index("later")
    assert "in 5 hours" in text
    assert "in 20 days" in text
    assert "revoked" not in text


def test_the_subject_counts_each_kind():
    one = [expiring("a", timedelta(days=3))]
    assert digest.subject(one, []) == "Deployment tokens: 1 expiring soon"
    assert digest.subject(one * 2, [LEAKED]) == (
        "Deployment tokens: 2 expiring soon and 1 revoked after a leak"
    )


def test_the_message_is_plain_text_from_the_sender_to_one_recipient():
    mail = digest.message(
        "dt@example.com", "ops@example.com", [expiring("ci", timedelta(days=3))], [], NOW
    )
    parsed = message_from_bytes(mail.as_bytes(), policy=policy.default)
    assert (parsed["From"], parsed["To"]) == ("dt@example.com", "ops@example.com")
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Message-ID"].endswith("@example.com>")
    assert parsed.get_content_type() == "text/plain"
    assert "ci" in parsed.get_content()
