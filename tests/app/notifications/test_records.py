"""What a run of notify reports."""

from __future__ import annotations

from datetime import UTC, datetime

from app.notifications.records import (
    FAILED,
    SENT,
    WOULD_SEND,
    Delivery,
    NotificationRecord,
    NotifyReport,
)

TARGET = NotificationRecord(1, "web", "email", "ops@example.com", datetime.now(UTC), "alice")


def test_a_run_failed_when_any_delivery_did():
    assert not NotifyReport((), ()).failed
    assert not NotifyReport((), (Delivery(TARGET, SENT, 2), Delivery(TARGET, WOULD_SEND, 1))).failed
    assert NotifyReport((), (Delivery(TARGET, SENT, 2), Delivery(TARGET, FAILED, 0))).failed
