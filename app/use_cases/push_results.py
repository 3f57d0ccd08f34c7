"""What pushing hands back (``app.use_cases.pushing``): a token pushed, a dry run's plan,
rotate-due's outcome for each token, and the error of a failed step, in words that never
hold a token or a credential.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.destinations.targets import Receipt, Target
from app.errors import DeploymentTokensError
from app.issuing import describe_scope
from app.records import TokenRecord

# The four steps of a rotation with a push, as errors and the audit trail name them.
CREATE, PUSH, CONFIRM, FINISH = "create", "push", "confirm", "finish"


class PushFailedError(DeploymentTokensError):
    """A push (or a rotation's step) failed; the new token was revoked."""

    def __init__(self, message: str, step: str) -> None:
        super().__init__(message)
        self.step = step


@dataclass(frozen=True)
class Pushed:
    """A token pushed: which, where, and how the destination confirmed it. With a
    rotation, the token it replaced and when that one stops."""

    token: TokenRecord
    destination: str
    receipt: Receipt
    replaced: int | None = None
    old_stops_at: datetime | None = None


@dataclass(frozen=True)
class PushPlan:
    """What a ``--dry-run`` would do, step by step, in words."""

    steps: tuple[str, ...]


@dataclass(frozen=True)
class DueRotation:
    """One token rotate-due found due: ``outcome`` is "rotated", "failed", "skipped"
    (its lifetime is within the window: it would be rotated at every run) or, with
    ``--dry-run``, "due"."""

    project: str
    token: TokenRecord
    destination: str
    outcome: str
    detail: str
    successor: TokenRecord | None = field(default=None)


@dataclass(frozen=True)
class Where:
    """A destination as a push needs it."""

    id: int
    name: str
    target: Target


def metadata(record: TokenRecord) -> dict[str, str]:
    """What a destination keeps beside the value (Vault's custom metadata): never secret."""
    return {
        "project": record.project,
        "token_id": str(record.id),
        "preview": record.preview,
        "expires_at": "never" if record.expires_at is None else record.expires_at.isoformat(),
        "managed_by": "deployment-tokens",
    }


def reason(failed: BaseException) -> str:
    text = str(failed) or type(failed).__name__
    return text if isinstance(failed, DeploymentTokensError) else f"{type(failed).__name__}: {text}"


def failure(
    step: str, where: Where, failed: BaseException, record: TokenRecord, old: TokenRecord | None
) -> PushFailedError:
    number = {CREATE: 1, PUSH: 2, CONFIRM: 3, FINISH: 4}[step]
    kept = f"; token {old.id} is left as it was" if old is not None else ""
    prefix = f"step {number} ({step}) " if old is not None else f"{step} "
    return PushFailedError(
        f"{prefix}to {where.name} failed: {reason(failed)}; the new token {record.id} "
        f"was revoked{kept}",
        step,
    )


def rotation_plan(
    old: TokenRecord, grace: timedelta, push_step: str, confirm_step: str
) -> tuple[str, ...]:
    """A rotation's four steps in words, for ``--dry-run``."""
    scope = describe_scope(None, old.environments).split("; ", 1)[1]
    ending = "is revoked at once" if not grace else f"stops {in_words(grace)} later"
    return (
        f"1. create: a successor of token {old.id} '{old.name}' ({old.preview}): {scope}, "
        "the same lifetime",
        f"2. {push_step}",
        f"3. confirm: {confirm_step}",
        f"4. finish: token {old.id} {ending}",
    )


def in_words(duration: timedelta) -> str:
    from app.durations import describe_duration

    return describe_duration(duration)
