"""Destinations: where a project's tokens are pushed (``destinations add|list|remove``,
the Destinations page, its Test), and the project's rotation policy (``rotate-due``).

A destination says where, never with what credential: that is read from the
environment at each push, under the names each tool's own CLI reads
(``app.destinations.targets.CREDENTIAL_VARIABLES``). Pushing itself is
``app.use_cases.pushing``'s.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from app.access_levels import ADMIN, MANAGER
from app.destinations.targets import CREDENTIAL_VARIABLES, Receipt, Target
from app.errors import ConflictError, DeploymentTokensError, NotFoundError, ValidationError
from app.names import clean_name, environment_key
from app.records import DestinationRecord
from app.store.deployer_models import on_the_server
from app.store.destination_models import DETAIL_MAX_LENGTH, Destination, RotationPolicy
from app.store.models import Project
from app.use_cases import lookups
from app.use_cases.context import Context, changed
from app.use_cases.lookups import aware

log = logging.getLogger(__name__)

__all__ = ["Destinations", "RotationPolicyRecord"]

ADDED = "destination added"
REMOVED = "destination removed"
POLICY_CHANGED = "rotation policy changed"
# The longest window rotate-due looks ahead, and the longest grace: a year.
MAX_ROTATE_BEFORE_DAYS = 365
MAX_GRACE = timedelta(days=365)


@dataclass(frozen=True)
class RotationPolicyRecord:
    """When rotate-due rotates a project's pushed tokens: ``rotate_before_days`` before
    they expire (None: not by itself), the old token living ``grace`` more."""

    project: str
    rotate_before_days: int | None
    grace: timedelta


class Destinations:
    """A project's destinations and rotation policy."""

    def __init__(self, context: Context) -> None:
        self._context = context

    @property
    def environ(self) -> Mapping[str, str]:
        """Where credentials are read from: the service's environment, or the process's."""
        return self._context.environ if self._context.environ is not None else os.environ

    def add_destination(self, project_name: str, name: str, target: Target) -> DestinationRecord:
        """Give the project a destination called ``name`` (what ``--push`` names)."""
        label = clean_name(name, "destination name")
        key = environment_key(label)
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require(ADMIN, project)
            taken = Destination.select().where(
                (Destination.project == project) & (Destination.name_key == key)
            )
            if taken.exists():
                raise ConflictError(f"project '{project.name}' already has a destination '{label}'")
            row = Destination.create(
                project=project,
                name=label,
                name_key=key,
                kind=target.kind,
                target=target.to_json(),
                created_at=self._context.stored_now(),
                created_by=self._context.actor,
            )
            self._audit(project, ADDED, f"{label}: {target.describe()}")
            changed()
        log.info("added destination %r to project %r", label, project.name)
        return self._record(row, project.name)

    def list_destinations(self, project_name: str) -> list[DestinationRecord]:
        """The project's destinations, by name."""
        with self._context.reading():
            project = lookups.project(project_name)
            rows = Destination.select().where(Destination.project == project)
            return [self._record(row, project.name) for row in rows.order_by(Destination.name_key)]

    def remove_destination(self, project_name: str, name: str) -> DestinationRecord:
        """Remove a destination: nothing more is pushed there (what was pushed stays
        there, and the tokens stay valid until revoked)."""
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require(ADMIN, project)
            row = self.find(project, name)
            record = self._record(row, project.name)
            deleted = on_the_server("dt_delete_destination", row.id)
            if deleted is None:
                from app.store.models import DeploymentToken

                DeploymentToken.update(destination_id=None).where(
                    (DeploymentToken.project == project)
                    & (DeploymentToken.destination_id == row.id)
                ).execute()
                Destination.delete().where(Destination.id == row.id).execute()
            elif not deleted:  # removed by another client meanwhile
                raise self._missing(project, name)
            self._audit(project, REMOVED, f"{record.name}: {record.description}")
            changed()
        log.info("removed destination %r of project %r", record.name, project.name)
        return record

    def check_destination(self, project_name: str, name: str) -> Receipt:
        """Prove the credential in the environment can push there, writing a harmless
        marker (never the token's value) and reading it back; the outcome is kept as
        the destination's last push."""
        from app import destinations

        with self._context.reading():
            project = lookups.project(project_name)
            self._context.require(MANAGER, project)
            row = self.find(project, name)
        target = Target.from_json(row.target)
        try:
            receipt = destinations.check(target, self.environ)
        except DeploymentTokensError as failed:
            self.record_outcome(project_name, row.id, "check failed", str(failed))
            raise
        self.record_outcome(project_name, row.id, "checked", receipt.confirmed)
        return receipt

    def record_outcome(
        self, project_name: str, destination_id: int, outcome: str, detail: str
    ) -> None:
        """Keep a push's or check's outcome as the destination's last (not audited: the
        token's own events are)."""
        with self._context.writing():
            project = lookups.project(project_name)
            Destination.update(
                last_push_at=self._context.stored_now(),
                last_push_outcome=outcome,
                last_push_detail=detail[:DETAIL_MAX_LENGTH],
            ).where((Destination.id == destination_id) & (Destination.project == project)).execute()
            changed()

    # The rotation policy

    def rotation_policy(self, project_name: str) -> RotationPolicyRecord:
        """The project's rotation policy (none set: never by itself, no grace)."""
        with self._context.reading():
            project = lookups.project(project_name)
            row = RotationPolicy.get_or_none(RotationPolicy.project == project)
        if row is None:
            return RotationPolicyRecord(project.name, None, timedelta(0))
        return RotationPolicyRecord(
            project.name, row.rotate_before_days, timedelta(seconds=row.grace_seconds)
        )

    def set_rotation_policy(
        self,
        project_name: str,
        rotate_before_days: int | None,
        grace: timedelta = timedelta(0),
    ) -> RotationPolicyRecord:
        """Rotate the project's pushed tokens ``rotate_before_days`` before they expire
        (None: not by itself), the old token living ``grace`` more (rotate-due)."""
        if rotate_before_days is not None and (
            isinstance(rotate_before_days, bool)
            or not isinstance(rotate_before_days, int)
            or not 1 <= rotate_before_days <= MAX_ROTATE_BEFORE_DAYS
        ):
            raise ValidationError(
                f"rotate a token 1 to {MAX_ROTATE_BEFORE_DAYS} days before it expires"
            )
        if not timedelta(0) <= grace <= MAX_GRACE:
            raise ValidationError("the grace period is from 0 to 365 days")
        seconds = int(grace.total_seconds())
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require(ADMIN, project)
            stored = RotationPolicy.get_or_none(RotationPolicy.project == project)
            was = (None, 0) if stored is None else (stored.rotate_before_days, stored.grace_seconds)
            if was == (rotate_before_days, seconds):  # nothing to write, nor to audit
                return RotationPolicyRecord(project.name, rotate_before_days, grace)
            updated = (
                RotationPolicy.update(rotate_before_days=rotate_before_days, grace_seconds=seconds)
                .where(RotationPolicy.project == project)
                .execute()
            )
            if not updated:
                RotationPolicy.insert(
                    project=project, rotate_before_days=rotate_before_days, grace_seconds=seconds
                ).execute()
            record = RotationPolicyRecord(
                project.name, rotate_before_days, timedelta(seconds=seconds)
            )
            self._audit(project, POLICY_CHANGED, describe_rotation_policy(record))
            changed()
        return record

    # Shared with pushing

    def find(self, project: Project, name: str) -> Destination:
        """The project's destination ``name`` (by its key), or NotFoundError."""
        key = environment_key(name) if isinstance(name, str) else None
        row = None
        if key is not None:
            row = Destination.get_or_none(
                (Destination.project == project) & (Destination.name_key == key)
            )
        if row is None:
            raise self._missing(project, name)
        return row

    def _missing(self, project: Project, name: str) -> NotFoundError:
        names = [
            row.name
            for row in Destination.select(Destination.name)
            .where(Destination.project == project)
            .order_by(Destination.name_key)
        ]
        known = f" (it has: {', '.join(names)})" if names else " (it has none: destinations add)"
        shown = name if isinstance(name, str) else repr(name)
        return NotFoundError(f"project '{project.name}' has no destination '{shown[:100]}'{known}")

    def _record(self, row: Destination, project_name: str) -> DestinationRecord:
        target = Target.from_json(row.target)
        return DestinationRecord(
            id=row.id,
            project=project_name,
            name=row.name,
            kind=row.kind,
            description=target.describe(),
            created_at=aware(row.created_at),
            created_by=row.created_by,
            credential_variables=CREDENTIAL_VARIABLES[row.kind],
            credential_set=any(
                self.environ.get(name, "").strip() for name in CREDENTIAL_VARIABLES[row.kind]
            ),
            last_push_at=None if row.last_push_at is None else aware(row.last_push_at),
            last_push_outcome=row.last_push_outcome,
            last_push_detail=row.last_push_detail,
            target=target,
        )

    def _audit(self, project: Project, action: str, detail: str) -> None:
        self._context.audit(project, action, None, self._context.stored_now(), detail)


def describe_rotation_policy(policy: RotationPolicyRecord) -> str:
    """The policy in words, as the audit trail and ``projects policy`` say it."""
    if policy.rotate_before_days is None:
        return "pushed tokens are rotated by hand"
    from app.durations import describe_duration

    grace = describe_duration(policy.grace) if policy.grace else "none"
    return (
        f"rotate pushed tokens {policy.rotate_before_days} days before they expire; grace {grace}"
    )
