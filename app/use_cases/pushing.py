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
from datetime import datetime, timedelta
from typing import cast

from app import destinations, tokens
from app.access_levels import MANAGER
from app.destinations.targets import Receipt, Target, credential_variable
from app.errors import DeploymentTokensError, NotFoundError, ValidationError
from app.issuing import check_token_id, when
from app.lifecycle import Expiry, check_duration
from app.records import TokenRecord
from app.store.destination_models import Destination, RotationPolicy
from app.store.models import AuditEvent, DeploymentToken, Project
from app.use_cases import lookups
from app.use_cases.context import Context, changed
from app.use_cases.deployment_tokens import DeploymentTokens, issued_record
from app.use_cases.destinations import MAX_GRACE, MAX_ROTATE_BEFORE_DAYS, Destinations
from app.use_cases.push_results import (
    CONFIRM,
    FINISH,
    PUSH,
    DueRotation,
    Pushed,
    PushFailedError,
    PushPlan,
    Where,
    failure,
    in_words,
    metadata,
    reason,
    rotation_plan,
)

log = logging.getLogger(__name__)

__all__ = ["DueRotation", "PushFailedError", "PushPlan", "Pushed", "Pushing"]

PUSHED = "pushed"
PUSH_FAILED = "push failed"
# A rotation takes seconds (each request times out after 10): a claim older than this
# was left by a process that stopped between the steps.
ABANDONED_AFTER = timedelta(minutes=15)


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
                where.target, plaintext, metadata(record), self._destinations.environ
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
        if not dry_run and self._release_abandoned(token_id):
            with self._context.reading():  # given back: read as it is now
                old = lookups.token_record(lookups.token(project, token_id), project.name)
        where = self._where(project_name, destination, old)
        if dry_run:
            return PushPlan(
                rotation_plan(old, grace, self._push_step(where), self._confirm_step(where))
            )
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
            self._failed(record, where, FINISH, failed, revoke=True, old=old, landed=receipt)
            raise failure(FINISH, where, failed, record, old) from None
        self._record_outcome(old.project, where, "pushed", receipt.confirmed)
        log.info("rotated token %d into %d, pushed to %s", old.id, record.id, where.name)
        return Pushed(self._tokens.token_by_id(record.id), where.name, receipt, old.id, stop)

    def rotate_due(self, *, dry_run: bool = False) -> list[DueRotation]:
        """Rotate every pushed token inside its project's rotate-before window (soonest
        expiry first), each with its project's grace, pushed where it was pushed. One
        failure does not stop the others; each is audited (and so notified)."""
        done = []
        if not dry_run:
            self._release_abandoned()
        for project_name, token, where_name, grace, window in self._due():
            lifetime = token.lifetime()
            if lifetime is not None and lifetime <= window:
                # Its successor would be due at once, and rotated again at every run.
                detail = (
                    f"its lifetime ({in_words(lifetime)}) is not longer than the project's "
                    f"rotate-before window ({in_words(window)}): shorten the window"
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
    ) -> Where:
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
        return Where(row.id, row.name, target)

    def _deliver(
        self, record: TokenRecord, plaintext: str, where: Where, old: TokenRecord | None
    ) -> Receipt:
        """Steps 2 and 3: push and confirm; on any failure the new token is revoked."""
        step, receipt = PUSH, None
        try:
            receipt = destinations.push(
                where.target, plaintext, metadata(record), self._destinations.environ
            )
            step = CONFIRM
            self._confirm(record, plaintext, where)
        except BaseException as failed:
            # Whatever stopped the push, even ^C, must not leave a live token behind.
            self._failed(record, where, step, failed, revoke=True, old=old, landed=receipt)
            if isinstance(failed, DeploymentTokensError):
                raise failure(step, where, failed, record, old) from None
            raise
        return receipt

    def _confirm(self, record: TokenRecord, plaintext: str, where: Where) -> None:
        """The token verifies: the store holds its digest under its id, live."""
        with self._context.reading():
            row = DeploymentToken.get_or_none(DeploymentToken.id == record.id)
        expected = tokens.digest(plaintext, self._context.salt())
        if row is None or not hmac.compare_digest(row.digest, expected):
            raise ValidationError(f"token {record.id} does not verify (revoked meanwhile?)")

    def _mark_pushed(self, record: TokenRecord, where: Where, receipt: Receipt) -> TokenRecord:
        with self._context.writing():
            self._record_push(record, where, receipt)
            changed()
        self._record_outcome(record.project, where, "pushed", receipt.confirmed)
        return dataclasses.replace(record, destination_id=where.id)

    def _finish(
        self,
        old: TokenRecord,
        successor: TokenRecord,
        where: Where,
        receipt: Receipt,
        grace: timedelta,
    ) -> datetime:
        """Step 4, in one transaction: the successor is pushed there, the old token
        retires after ``grace``."""
        with self._context.writing():
            self._record_push(successor, where, receipt)
            stop = self._context.issuer.finish_rotation(
                self._context.storage.raw_connection(),
                project_name=old.project,
                token_id=old.id,
                successor=(successor.id, successor.preview),
                grace=grace,
                actor=self._context.actor,
                now=self._context.clock(),
            )
        return stop

    def _record_push(self, record: TokenRecord, where: Where, receipt: Receipt) -> None:
        """In the caller's write: the token is pushed there (rotate-due pushes its
        successor there too), audited as pushed."""
        project = lookups.project(record.project)
        token = lookups.token(project, record.id)
        DeploymentToken.update(destination_id=where.id).where(
            DeploymentToken.id == record.id
        ).execute()
        detail = f"to {where.name} ({receipt.where}); {receipt.confirmed}"
        self._context.audit(project, PUSHED, token, self._context.stored_now(), detail[:1000])

    def _failed(
        self,
        record: TokenRecord,
        where: Where,
        step: str,
        failed: BaseException,
        *,
        revoke: bool,
        old: TokenRecord | None = None,
        landed: Receipt | None = None,
    ) -> None:
        """After a failed step: with ``revoke``, the new token revoked and the old one
        (``old``) given back, in one transaction with the "push failed" event; then the
        destination's last push. The revoke comes first: if even the event cannot be
        written, the token is revoked alone, and if that fails too the error says so.
        When the push had ``landed``, the value before it is put back where the service
        keeps versions, so that the destination holds the token that still works."""
        why = reason(failed)
        kept = f"; token {old.id} is left as it was" if old is not None else ""
        revoked = f"; token {record.id} is revoked" if revoke else ""
        if revoke and landed is not None:
            revoked += self._restored(where, landed)
        detail = f"step {step} to {where.name} failed: {why}{revoked}{kept}"[:1000]
        log.info("push of token %d to %s failed at %s: %s", record.id, where.name, step, why)
        try:
            with self._context.writing():
                project = lookups.project(record.project)
                token = lookups.token(project, record.id)
                now = self._context.stored_now()
                if revoke:
                    self._revoke(project, token, old, now)
                self._context.audit(project, PUSH_FAILED, token, now, detail)
                changed()
        except NotFoundError:
            pass  # revoked meanwhile: nothing is left to take back
        except DeploymentTokensError:
            if revoke:
                self._revoke_alone(record, old)
            else:
                log.warning("could not record the failed push of token %d", record.id)
        self._record_outcome(record.project, where, "failed", detail)

    def _restored(self, where: Where, landed: Receipt) -> str:
        """Put back what the pushed token replaced, best-effort; what happened, in words."""
        try:
            done = destinations.restore(where.target, landed, self._destinations.environ)
        except DeploymentTokensError as error:
            return (
                f"; {where.name} still holds it (putting the previous value back failed: {error})"
            )
        if done is None:
            return f"; {where.name} still holds it until the next push"
        return f"; in {where.name}, {done}"

    def _revoke(
        self, project: Project, token: DeploymentToken, old: TokenRecord | None, now: datetime
    ) -> None:
        if lookups.delete_token(token, project, now):
            self._context.audit(project, AuditEvent.REVOKED, token, now)
        if old is not None:
            self._context.issuer.release_rotation(
                self._context.storage.raw_connection(), old.id, token.id
            )

    def _revoke_alone(self, record: TokenRecord, old: TokenRecord | None) -> None:
        """The revoke without the failure's event (which could not be written)."""
        try:
            with self._context.writing():
                project = lookups.project(record.project)
                token = lookups.token(project, record.id)
                self._revoke(project, token, old, self._context.stored_now())
                changed()
        except NotFoundError:
            return
        except DeploymentTokensError as error:
            raise DeploymentTokensError(
                f"the push failed and the new token {record.id} ({record.preview}) could not "
                f"be revoked ({error}): revoke it with 'tokens revoke --project "
                f"{record.project} {record.id}'"
            ) from None

    def _record_outcome(self, project: str, where: Where, outcome: str, detail: str) -> None:
        """The destination's last push: worth keeping, never worth failing a push for."""
        try:
            self._destinations.record_outcome(project, where.id, outcome, detail)
        except DeploymentTokensError:
            log.warning("could not record the last push of destination %s", where.name)

    def _release_abandoned(self, token_id: int | None = None) -> bool:
        """Give back tokens whose rotation stopped half-way (the process was killed
        between its steps): claimed for a successor made over ABANDONED_AFTER ago. The
        successor, never finished, is revoked; the old token is as it was."""
        limit = self._context.stored_now() - ABANDONED_AFTER
        with self._context.reading():
            claimed = DeploymentToken.select(DeploymentToken.id, DeploymentToken.replaced_by)
            claimed = claimed.where(DeploymentToken.replaced_by < 0)
            if token_id is not None:
                claimed = claimed.where(DeploymentToken.id == token_id)
            rows = cast("list[tuple[int, int]]", list(claimed.tuples()))
            pairs = [(old_id, -claim) for old_id, claim in rows]
            found = (
                DeploymentToken.select(DeploymentToken.id, DeploymentToken.created_at)
                .where(DeploymentToken.id.in_([successor for _, successor in pairs]))
                .tuples()
            )
            made = dict(cast("list[tuple[int, datetime]]", list(found)))
        released = False
        for old_id, successor_id in pairs:
            if successor_id in made and made[successor_id] > limit:
                continue  # a rotation under way
            try:
                self._give_back(old_id, successor_id)
            except DeploymentTokensError as error:  # one project's trouble stops no run
                log.warning("could not give back token %d: %s", old_id, error)
                continue
            released = True
            log.warning("gave back token %d: its rotation never finished", old_id)
        return released

    def _give_back(self, old_id: int, successor_id: int) -> None:
        with self._context.writing():
            connection = self._context.storage.raw_connection()
            successor = DeploymentToken.get_or_none(DeploymentToken.id == successor_id)
            if successor is not None:
                project = Project.get_by_id(successor.project)
                now = self._context.stored_now()
                if lookups.delete_token(successor, project, now):
                    detail = f"abandoned: the rotation of token {old_id} never finished"
                    self._context.audit(project, AuditEvent.REVOKED, successor, now, detail)
            self._context.issuer.release_rotation(connection, old_id, successor_id)
            changed()

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
                .join(
                    Destination,
                    # Its own project's: a destination_id is a manager's to write.
                    on=(Destination.id == DeploymentToken.destination_id)
                    & (Destination.project == DeploymentToken.project),
                )
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
                # The policy's bounds, as set_rotation_policy keeps them (a row written by
                # hand outside them is skipped, not a run stopped for every project).
                if 1 <= days <= MAX_ROTATE_BEFORE_DAYS
                and 0 <= grace <= MAX_GRACE.total_seconds()
                and expires_at <= now + timedelta(days=days)
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

    def _push_step(self, where: Where) -> str:
        variable = credential_variable(where.target, self._destinations.environ)
        return f"push it to {where.name}: {where.target.describe()} (credential from {variable})"

    @staticmethod
    def _confirm_step(where: Where) -> str:
        how = "read it back" if where.target.kind == destinations.VAULT else "see it listed"
        return f"{how} and check that it verifies"


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
