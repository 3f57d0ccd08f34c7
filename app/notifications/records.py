"""What the service hands out about notifications: the targets with their last delivery,
and what a run of notify did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.notifications.items import ExpiringToken

SENT = "sent"
FAILED = "failed"
WOULD_SEND = "would send"


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One line of the delivery log: what a run did for one target."""

    at: datetime
    outcome: str  # SENT or FAILED
    items: int
    detail: str = ""


@dataclass(frozen=True, slots=True)
class NotificationRecord:
    """An e-mail recipient or a webhook; ``project`` None: of every project."""

    id: int
    project: str | None
    kind: str
    address: str
    created_at: datetime
    created_by: str
    last_delivery: DeliveryRecord | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one run did, or would do (a dry run), for one target."""

    target: NotificationRecord
    outcome: str  # SENT, FAILED or WOULD_SEND
    items: int
    detail: str = ""


@dataclass(frozen=True, slots=True)
class NotifyReport:
    """A run of notify: the expiry warnings it recorded, and each delivery it made."""

    warnings: tuple[ExpiringToken, ...]
    deliveries: tuple[Delivery, ...]
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        return any(delivery.outcome == FAILED for delivery in self.deliveries)
