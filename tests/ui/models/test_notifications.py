"""The Notifications pane's model: Qt's own consistency checks, the project's own before
those of all projects (marked), and each last delivery said in words, a failure marked
by an icon and its accessible description as well as its text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from app.notifications.records import FAILED, SENT, DeliveryRecord, NotificationRecord
from ui.models.notifications import NotificationColumn, NotificationsModel

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def record(id_, project="web", kind="email", address="ops@example.com", last=None):
    return NotificationRecord(id_, project, kind, address, NOW - timedelta(days=3), "alice", last)


def shown(model, row, column, role=Qt.ItemDataRole.DisplayRole):
    return model.index(row, column).data(role)


def test_the_model_passes_qt_model_tests(qtmodeltester):
    model = NotificationsModel(clock=lambda: NOW)
    qtmodeltester.check(model, force_py=True)
    model.set_notifications([record(1), record(2, None, "webhook", "https://hooks.example/x")])
    qtmodeltester.check(model, force_py=True)


def test_rows_say_kind_address_when_who_and_the_last_delivery(qtbot):
    model = NotificationsModel(clock=lambda: NOW)
    delivered = DeliveryRecord(NOW - timedelta(minutes=5), SENT, 3, "3 events, 0 warnings")
    failed = DeliveryRecord(
        NOW - timedelta(hours=2),
        FAILED,
        0,
        "HTTP 503 (after 3 attempts); 2 waiting for the next run",
    )
    model.set_notifications(
        [
            record(4, None, "webhook", "https://all.example/hook", failed),
            record(2, last=delivered),
            record(3, kind="webhook", address="https://hooks.example/x", last=failed),
            record(1, address="never@example.com"),
        ]
    )
    rows = [[shown(model, r, c) for c in NotificationColumn] for r in range(model.rowCount())]
    # The project's own first (oldest first), then those of all projects.
    assert [r[:2] for r in rows] == [
        ["E-mail", "never@example.com"],
        ["E-mail", "ops@example.com"],
        ["Webhook", "https://hooks.example/x"],
        ["Webhook, all projects", "https://all.example/hook"],
    ]
    assert {r[2] for r in rows} == {"3 days ago"}
    assert {r[3] for r in rows} == {"alice"}
    assert [r[4] for r in rows] == [
        "Never",
        "Delivered 5 minutes ago",
        "Failed 2 hours ago: HTTP 503",
        "Failed 2 hours ago: HTTP 503",
    ]
    last = NotificationColumn.LAST_DELIVERY
    # A failure is marked by more than colour: an icon, and said to screen readers.
    assert shown(model, 2, last, Qt.ItemDataRole.DecorationRole) is not None
    assert shown(model, 2, last, Qt.ItemDataRole.AccessibleDescriptionRole) == (
        "The last delivery failed"
    )
    assert shown(model, 1, last, Qt.ItemDataRole.DecorationRole) is None
    # The whole reason, and the exact time, in the tooltips.
    assert "2 waiting for the next run" in shown(model, 2, last, Qt.ItemDataRole.ToolTipRole)
    assert "notify" in shown(model, 0, last, Qt.ItemDataRole.ToolTipRole)
    added = shown(model, 0, NotificationColumn.ADDED, Qt.ItemDataRole.ToolTipRole)
    assert (NOW - timedelta(days=3)).astimezone().strftime("%Y-%m-%d") in added
    # Of all projects: italic, and said why it is not removed from here.
    kind = NotificationColumn.KIND
    assert shown(model, 3, kind, Qt.ItemDataRole.FontRole).italic()
    assert "--all-projects" in shown(model, 3, kind, Qt.ItemDataRole.ToolTipRole)
    assert shown(model, 0, kind, Qt.ItemDataRole.FontRole) is None


def test_the_same_rows_again_keep_the_model_as_it_was(qtbot):
    model = NotificationsModel(clock=lambda: NOW)
    model.set_notifications([record(1)])
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_notifications([record(1)])
    assert model.row_of(1) == 0
    assert model.row_of(9) is None
