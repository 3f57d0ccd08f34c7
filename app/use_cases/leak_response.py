"""Leak response: revoke every token found in a leak report, in one audited step.

The report's tokens are looked up by digest, as verify does; each live one is revoked
and audited as "revoked" with the detail "leaked: found in SOURCE". Revoked tokens are
remembered by digest (app.store.models.RevokedToken), so a report that repeats one says
"already revoked" instead of "unknown", and running a report twice changes nothing the
second time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from app import tokens
from app.errors import ValidationError
from app.names import refuse_token
from app.store.models import AuditEvent, DeploymentToken, Project, RevokedToken
from app.use_cases import lookups
from app.use_cases.context import Context, changed

log = logging.getLogger(__name__)

SOURCE_MAX_LENGTH = 200
DEFAULT_SOURCE = "a leak report"

# What happened to each token found.
REVOKED = "revoked"
WOULD_BE_REVOKED = "would be revoked"
ALREADY_REVOKED = "already revoked"
UNKNOWN = "unknown"

# Digests per query: far below any database's limit on a statement's parameters.
LOOKUP_BATCH = 500


@dataclass(frozen=True, slots=True)
class LeakFinding:
    """One token found in a report: never its plaintext, only what identifies it."""

    preview: str
    outcome: str
    project: str | None = None
    name: str | None = None
    token_id: int | None = None


def clean_source(source: str | None) -> str:
    """Where the report came from, as the audit trail will say it; ValidationError for
    text that could not be shown safely."""
    if source is None or not source.strip():
        return DEFAULT_SOURCE
    text = source.strip()
    refuse_token(text, "source")
    if len(text) > SOURCE_MAX_LENGTH:
        raise ValidationError(f"the source is at most {SOURCE_MAX_LENGTH} characters")
    if not text.isprintable():
        raise ValidationError("the source cannot contain control characters")
    return text


class LeakResponse:
    """Revoke the tokens a leak report holds."""

    def __init__(self, context: Context) -> None:
        self._context = context

    def revoke_leaked(
        self, found: Iterable[str], *, source: str | None = None, dry_run: bool = False
    ) -> list[LeakFinding]:
        """Revoke each live token in ``found`` (plaintexts, as app.leaks finds them) in one
        transaction, and say what happened to each, in the order given, once each.

        Tokens are looked up LOOKUP_BATCH at a time; a caller with more than it can keep
        in memory calls this once per batch of them (as ``revoke-leaked`` does).

        With ``dry_run``, nothing is written: live tokens come back as "would be revoked".
        """
        where = clean_source(source)
        salt = self._context.salt()
        digests = {plaintext: tokens.digest(plaintext, salt) for plaintext in found}
        findings: list[LeakFinding] = []
        with self._context.writing():
            now = self._context.stored_now()
            live = _by_digest(DeploymentToken, list(digests.values()))
            if not dry_run:
                # All or nothing: a report holding a token of a project this role may
                # only view is refused whole, naming that project.
                for project in {
                    token.project.id: token.project for token in live.values()
                }.values():
                    self._context.require("manager", project)
            gone = _by_digest(RevokedToken, [d for d in digests.values() if d not in live])
            for plaintext, digest in digests.items():
                preview = tokens.preview(plaintext)
                token = live.get(digest)
                if token is not None:
                    outcome = WOULD_BE_REVOKED if dry_run else self._revoke(token, now, where)
                    findings.append(
                        LeakFinding(preview, outcome, token.project.name, token.name, token.id)
                    )
                elif (revoked := gone.get(digest)) is not None:
                    findings.append(
                        LeakFinding(
                            preview,
                            ALREADY_REVOKED,
                            revoked.project.name,
                            revoked.name,
                            revoked.token_id,
                        )
                    )
                else:
                    findings.append(LeakFinding(preview, UNKNOWN))
            if any(finding.outcome == REVOKED for finding in findings):
                changed()
        for finding in findings:
            if finding.outcome == REVOKED:
                log.info(
                    "revoked leaked token %d (%s) in project %r, found in %r",
                    finding.token_id,
                    finding.preview,
                    finding.project,
                    where,
                )
        return findings

    def _revoke(self, token: DeploymentToken, now: datetime, where: str) -> str:
        """Revoke one leaked token, audited with where it was found; ALREADY_REVOKED when
        another client revoked it meanwhile (its revoke is the one audited)."""
        project = token.project
        if not lookups.delete_token(token, project, now):
            return ALREADY_REVOKED
        self._context.audit(project, AuditEvent.REVOKED, token, now, f"leaked: found in {where}")
        return REVOKED


_Row = TypeVar("_Row", DeploymentToken, RevokedToken)


def _by_digest(model: type[_Row], digests: list[str]) -> dict[str, _Row]:
    """The rows of ``model`` (with their project) whose digest is one of ``digests``."""
    rows: dict[str, _Row] = {}
    for start in range(0, len(digests), LOOKUP_BATCH):
        part = digests[start : start + LOOKUP_BATCH]
        query = model.select(model, Project).join(Project).where(model.digest.in_(part))
        rows.update((row.digest, row) for row in query)
    return rows
