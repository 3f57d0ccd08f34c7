"""Pushing tokens to their destinations: ``tokens generate --push``, the reveal dialog's
Send to, ``tokens rotate --push`` in four steps, and ``rotate-due``.

The plaintext goes to the destination and nowhere else: it is never returned by
``generate_and_push`` or ``rotate_and_push``. Nothing usable is left behind by a
failure: a token whose push or confirmation failed is revoked at once (and a rotation's
old token left as it was), with the step that failed and why in the audit trail, which
the notification channels carry. Network calls run with no transaction open.
"""

from __future__ import annotations

import dataclasses
import hmac
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from app import destinations, tokens
from app.access_levels import MANAGER
from app.destinations.targets import Receipt, Target, credential_variable
from app.errors import DeploymentTokensError, ValidationError
from app.issuing import check_token_id, describe_scope, when
from app.lifecycle import Expiry, check_duration
from app.records import TokenRecord
from app.store.destination_models import Destination, RotationPolicy
from app.store.models import DeploymentToken, Project
from app.use_cases import lookups
from app.use_cases.context import Context, changed
from app.use_cases.deployment_tokens import DeploymentTokens, issued_record
from app.use_cases.destinations import Destinations

log = logging.getLogger(__name__)

__all__ = ["DueRotation", "PushFailedError", "Pushed", "Pushing"]

PUSHED = "pushed"
PUSH_FAILED = "push failed"
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
class _Where:
    """A destination as a push needs it."""

    id: int
    name: str
    target: Target


class Pushing:
    """Push, rotate with a push, rotate what is due."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self._tokens = DeploymentTokens(context)
        self._destinations = Destinations(context)

    def generate_and_push(
        self,
        project_name: str,
        destination: str,
        name: str | None = None,
        *,
        expiry: Expiry | None = None,
        environments: Iterable[str] = (),
        dry_run: bool = False,
    ) -> Pushed | PushPlan:
        """Generate a token and push it to ``destination``, never returning its
        plaintext. A failed push revokes it (PushFailedError)."""
        wanted = list(environments)
        where = self._where(project_name, destination)
        if dry_run:
            return PushPlan(
                (
                    f"generate a token of project '{project_name.strip()}'",
                    self._push_step(where),
                    f"confirm: {self._confirm_step(where)}",
                )
            )
        record, plaintext = self._tokens.generate(
            project_name, name, expiry=expiry, environments=wanted
        )
        receipt = self._deliver(record, plaintext, where, None)
        record = self._mark_pushed(record, where, receipt)
        return Pushed(record, where.name, receipt)

    def push_token(
        self, project_name: str, token_id: int, plaintext: str, destination: str
    ) -> Pushed:
        """Push a token just revealed (the dialog's Send to): ``plaintext`` must be the
        project's token ``token_id``. A failure is recorded and raised; the token stays
        (its plaintext is still in the dialog)."""
        check_token_id(token_id)
        where = self._where(project_name, destination)
        with self._context.reading():
            project = lookups.project(project_name)
            record = lookups.token_record(lookups.token(project, token_id), project.name)
        self._confirm(record, plaintext, where)  # never pushes a string that is not it
        try:
            receipt = destinations.push(
                where.target, plaintext, _metadata(record), self._destinations.environ
            )
        except DeploymentTokensError as failed:
            self._failed(record, where, PUSH, failed, revoke=False)
            raise PushFailedError(f"push to {where.name} failed: {failed}", PUSH) from None
        log.info("pushed token %d to %s", record.id, where.name)
        return Pushed(self._mark_pushed(record, where, receipt), where.name, receipt)

    def rotate_and_push(
        self,
        project_name: str,
        token_id: int,
        destination: str | None = None,
        *,
        grace: timedelta = timedelta(0),
        dry_run: bool = False,
    ) -> Pushed | PushPlan:
        """Rotate in four steps: create the successor, push it, confirm it (read back
        where the service allows, and it verifies), finish (the old token stops after
        ``grace``). Any failure before the finish revokes the successor and leaves the
        old token as it was (PushFailedError naming the step). ``destination`` None:
        where the token was pushed last."""
        check_token_id(token_id)
        if grace < timedelta(0):
            raise ValidationError("the grace period cannot be negative")
        check_duration(grace, "grace period")
        with self._context.reading():
            project = lookups.project(project_name)
            old = lookups.token_record(lookups.token(project, token_id), project.name)
        where = self._where(project_name, destination, old)
        if dry_run:
            return PushPlan(_rotation_plan(old, where, grace, self))
        salt = self._context.salt()
        plaintext = tokens.new_token()
        with self._context.writing():
            successor = self._context.issuer.start_rotation(
                self._context.storage.raw_connection(),
                salt=salt,
                plaintext=plaintext,
                project_name=project_name,
                token_id=token_id,
                actor=self._context.actor,
                now=self._context.clock(),
                why=f"to be pushed to {where.name}",
            )
        record = issued_record(successor)
        receipt = self._deliver(record, plaintext, where, old)
        try:
            stop = self._finish(old, record, where, receipt, grace)
        except DeploymentTokensError as failed:
            self._failed(record, where, FINISH, failed, revoke=True, old=old)
            raise _failure(FINISH, where, failed, record, old) from None
        log.info("rotated token %d into %d, pushed to %s", old.id, record.id, where.name)
        return Pushed(self._tokens.token_by_id(record.id), where.name, receipt, old.id, stop)

    def rotate_due(self, *, dry_run: bool = False) -> list[DueRotation]:
        """Rotate every pushed token inside its project's rotate-before window (soonest
        expiry first), each with its project's grace, pushed where it was pushed. One
        failure does not stop the others; each is audited (and so notified)."""
        done = []
        for project_name, token, where_name, grace, window in self._due():
            lifetime = token.lifetime()
            if lifetime is not None and lifetime <= window:
                # Its successor would be due at once, and rotated again at every run.
                detail = (
                    f"its lifetime ({_in(lifetime)}) is not longer than the project's "
                    f"rotate-before window ({_in(window)}): shorten the window"
                )
                done.append(DueRotation(project_name, token, where_name, "skipped", detail))
                continue
            if dry_run:
                detail = f"expires {when(token.expires_at)}" if token.expires_at else ""
                done.append(DueRotation(project_name, token, where_name, "due", detail))
                continue
            try:
                pushed = self.rotate_and_push(project_name, token.id, where_name, grace=grace)
            except DeploymentTokensError as failed:
                done.append(DueRotation(project_name, token, where_name, "failed", str(failed)))
                continue
            assert isinstance(pushed, Pushed)
            detail = pushed.receipt.confirmed
            done.append(
                DueRotation(project_name, token, where_name, "rotated", detail, pushed.token)
            )
        return done

    # The steps

    def _where(
        self, project_name: str, destination: str | None, token: TokenRecord | None = None
    ) -> _Where:
        """The destination a push goes to, checked before anything is made: the
        project's, the role a manager there, the credential set (ConfigurationError
        naming the variable)."""
        with self._context.reading():
            project = lookups.project(project_name)
            self._context.require(MANAGER, project)
            if destination is None:
                row = _pushed_to(project, token)
            else:
                row = self._destinations.find(project, destination)
        target = Target.from_json(row.target)
        destinations.credential(target, self._destinations.environ)
        return _Where(row.id, row.name, target)

    def _deliver(
        self, record: TokenRecord, plaintext: str, where: _Where, old: TokenRecord | None
    ) -> Receipt:
        """Steps 2 and 3: push and confirm; on any failure the new token is revoked."""
        step = PUSH
        try:
            receipt = destinations.push(
                where.target, plaintext, _metadata(record), self._destinations.environ
            )
            step = CONFIRM
            self._confirm(record, plaintext, where)
        except BaseException as failed:
            # Whatever stopped the push, even ^C, must not leave a live token behind.
            self._failed(record, where, step, failed, revoke=True, old=old)
            if isinstance(failed, DeploymentTokensError):
                raise _failure(step, where, failed, record, old) from None
            raise
        return receipt

    def _confirm(self, record: TokenRecord, plaintext: str, where: _Where) -> None:
        """The token verifies: the store holds its digest under its id, live."""
        with self._context.reading():
            row = DeploymentToken.get_or_none(DeploymentToken.id == record.id)
        expected = tokens.digest(plaintext, self._context.salt())
        if row is None or not hmac.compare_digest(row.digest, expected):
            raise ValidationError(f"token {record.id} does not verify (revoked meanwhile?)")

    def _mark_pushed(self, record: TokenRecord, where: _Where, receipt: Receipt) -> TokenRecord:
        with self._context.writing():
            project = lookups.project(record.project)
            token = lookups.token(project, record.id)
            DeploymentToken.update(destination_id=where.id).where(
                DeploymentToken.id == record.id
            ).execute()
            self._pushed_event(project, token, where, receipt)
            changed()
        self._destinations.record_outcome(record.project, where.id, "pushed", receipt.confirmed)
        return dataclasses.replace(record, destination_id=where.id)

    def _finish(
        self,
        old: TokenRecord,
        successor: TokenRecord,
        where: _Where,
        receipt: Receipt,
        grace: timedelta,
    ) -> datetime:
        """Step 4, in one transaction: the successor is pushed there, the old token
        retires after ``grace``."""
        with self._context.writing():
            project = lookups.project(old.project)
            token = lookups.token(project, successor.id)
            DeploymentToken.update(destination_id=where.id).where(
                DeploymentToken.id == successor.id
            ).execute()
            self._pushed_event(project, token, where, receipt)
            stop = self._context.issuer.finish_rotation(
                self._context.storage.raw_connection(),
                project_name=old.project,
                token_id=old.id,
                successor=(successor.id, successor.preview),
                grace=grace,
                actor=self._context.actor,
                now=self._context.clock(),
            )
        self._destinations.record_outcome(old.project, where.id, "pushed", receipt.confirmed)
        return stop

    def _pushed_event(
        self, project: Project, token: DeploymentToken, where: _Where, receipt: Receipt
    ) -> None:
        detail = f"to {where.name} ({receipt.where}); {receipt.confirmed}"
        self._context.audit(project, PUSHED, token, self._context.stored_now(), detail[:1000])

    def _failed(
        self,
        record: TokenRecord,
        where: _Where,
        step: str,
        failed: BaseException,
        *,
        revoke: bool,
        old: TokenRecord | None = None,
    ) -> None:
        """Record the failure (the audit trail, the destination's last push) and, with
        ``revoke``, revoke the new token. Failing to record must not hide the failure."""
        reason = _reason(failed)
        kept = f"; token {old.id} is left as it was" if old is not None else ""
        revoked = f"; token {record.id} is revoked" if revoke else ""
        detail = f"step {step} to {where.name} failed: {reason}{revoked}{kept}"
        try:
            with self._context.writing():
                project = lookups.project(record.project)
                token = lookups.token(project, record.id)
                self._context.audit(
                    project, PUSH_FAILED, token, self._context.stored_now(), detail[:1000]
                )
                changed()
            if revoke:
                self._tokens.revoke(record.project, record.id)
            self._destinations.record_outcome(record.project, where.id, "failed", detail)
        except DeploymentTokensError:
            log.warning("could not record the failed push of token %d", record.id)
            if revoke:
                raise
        log.info("push of token %d to %s failed at %s: %s", record.id, where.name, step, reason)

    def _due(self) -> Iterator[tuple[str, TokenRecord, str, timedelta, timedelta]]:
        """(project, token, destination, grace, window) of every pushed token due,
        soonest first."""
        now = self._context.stored_now()
        with self._context.reading():
            found = (
                DeploymentToken.select(
                    DeploymentToken.id,
                    DeploymentToken.expires_at,
                    Destination.name,
                    RotationPolicy.rotate_before_days,
                    RotationPolicy.grace_seconds,
                )
                .join(Destination, on=(Destination.id == DeploymentToken.destination_id))
                .switch(DeploymentToken)
                .join(RotationPolicy, on=(RotationPolicy.project == DeploymentToken.project))
                .where(
                    DeploymentToken.replaced_by.is_null()
                    & DeploymentToken.deployer_id.is_null()
                    & DeploymentToken.expires_at.is_null(False)
                    & RotationPolicy.rotate_before_days.is_null(False)
                )
                .order_by(DeploymentToken.expires_at, DeploymentToken.id)
                .tuples()
            )
            rows = cast("list[tuple[int, datetime, str, int, int]]", list(found))
            due = [
                (token_id, destination, timedelta(days=days), timedelta(seconds=grace))
                for token_id, expires_at, destination, days, grace in rows
                if expires_at <= now + timedelta(days=days)
            ]
            tokens_by_id = {
                token.id: lookups.token_record(token, token.project.name)
                for token in DeploymentToken.select(DeploymentToken, Project)
                .join(Project)
                .where(DeploymentToken.id.in_([token_id for token_id, *_ in due]))
            }
        for token_id, destination, window, grace in due:
            token = tokens_by_id[token_id]
            yield token.project, token, destination, grace, window

    def _push_step(self, where: _Where) -> str:
        variable = credential_variable(where.target, self._destinations.environ)
        return f"push it to {where.name}: {where.target.describe()} (credential from {variable})"

    @staticmethod
    def _confirm_step(where: _Where) -> str:
        how = "read it back" if where.target.kind == destinations.VAULT else "see it listed"
        return f"{how} and check that it verifies"


def _rotation_plan(
    old: TokenRecord, where: _Where, grace: timedelta, pushing: Pushing
) -> tuple[str, ...]:
    scope = describe_scope(None, old.environments).split("; ", 1)[1]
    ending = "is revoked at once" if not grace else f"stops {_in(grace)} later"
    return (
        f"1. create: a successor of token {old.id} '{old.name}' ({old.preview}): {scope}, "
        "the same lifetime",
        f"2. {pushing._push_step(where)}",
        f"3. confirm: {pushing._confirm_step(where)}",
        f"4. finish: token {old.id} {ending}",
    )


def _in(grace: timedelta) -> str:
    from app.durations import describe_duration

    return describe_duration(grace)


def _pushed_to(project: Project, token: TokenRecord | None) -> Destination:
    if token is None or token.destination_id is None:
        which = "the token" if token is None else f"token {token.id}"
        raise ValidationError(f"{which} was never pushed: name a destination (--push NAME)")
    row = Destination.get_or_none(
        (Destination.id == token.destination_id) & (Destination.project == project)
    )
    if row is None:
        raise ValidationError(f"token {token.id}'s destination was removed: name another")
    return row


def _metadata(record: TokenRecord) -> dict[str, str]:
    """What a destination keeps beside the value (Vault's custom metadata): never secret."""
    return {
        "project": record.project,
        "token_id": str(record.id),
        "preview": record.preview,
        "expires_at": "never" if record.expires_at is None else record.expires_at.isoformat(),
        "managed_by": "deployment-tokens",
    }


def _reason(failed: BaseException) -> str:
    text = str(failed) or type(failed).__name__
    return text if isinstance(failed, DeploymentTokensError) else f"{type(failed).__name__}: {text}"


def _failure(
    step: str, where: _Where, failed: BaseException, record: TokenRecord, old: TokenRecord | None
) -> PushFailedError:
    number = {CREATE: 1, PUSH: 2, CONFIRM: 3, FINISH: 4}[step]
    kept = f"; token {old.id} is left as it was" if old is not None else ""
    prefix = f"step {number} ({step}) " if old is not None else f"{step} "
    return PushFailedError(
        f"{prefix}to {where.name} failed: {_reason(failed)}; the new token {record.id} "
        f"was revoked{kept}",
        step,
    )
