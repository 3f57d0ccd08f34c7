"""The plain records the service hands out, and the orders a token list comes in.

Free of peewee: the desktop app imports these while its window first paints, and opens
the store only afterwards.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime


class TokenOrder(enum.Enum):
    """The orders a token list can be read in; each is a column people sort by."""

    NAME = "name"
    PREVIEW = "preview"
    CREATED = "created_at"
    LAST_USED = "last_used_at"
    CREATED_BY = "created_by"


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    id: int
    name: str
    created_at: datetime
    token_count: int


@dataclass(frozen=True, slots=True)
class TokenRecord:
    id: int
    project: str
    name: str
    preview: str
    created_at: datetime
    created_by: str
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    project: str
    action: str
    token_id: int
    token_preview: str
    actor: str
    occurred_at: datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
