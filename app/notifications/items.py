"""What a notification is about: an expiry warning, or an event of the audit trail. Plain
records, read from the store by the use case and handed to the channels; never a
plaintext (a token is named by its id, name and masked preview)."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import datetime

PROG = "deployment-tokens"
PUSH_FAILED = "push failed"  # app.use_cases.pushing's event of a failed push
LEAK_DETAIL_PREFIX = "leaked:"  # app.use_cases.leak_response's detail of a leak revocation


@dataclass(frozen=True, slots=True)
class ExpiringToken:
    """A warning that a live token is within ``threshold_days`` of its expiry."""

    warning_id: int  # its row's id: the order webhooks get warnings in, and their cursor
    project_id: int
    project: str
    token_id: int
    name: str
    preview: str
    created_at: datetime
    created_by: str
    expires_at: datetime
    threshold_days: int

    @property
    def event_id(self) -> str:
        """The same for every attempt to send it: receivers deduplicate on it."""
        return f"expiry-{self.token_id}-{self.threshold_days}d"

    def rotate_command(self) -> str:
        return f"{PROG} tokens rotate --project {shlex.quote(self.project)} {self.token_id}"

    def replace_commands(self) -> tuple[str, str]:
        """Generate a successor, then revoke this one (once pipelines use the new one)."""
        project = shlex.quote(self.project)
        return (
            f"{PROG} tokens generate --project {project} --name {shlex.quote(self.name)}",
            f"{PROG} tokens revoke --project {project} {self.token_id}",
        )


@dataclass(frozen=True, slots=True)
class AuditItem:
    """One event of the audit trail (``app.audit_chain``'s fields, and its project's id)."""

    seq: int
    hash: str
    at: datetime
    actor: str
    action: str
    project: str | None
    project_id: int | None
    token_id: int | None
    preview: str | None
    detail: str

    @property
    def event_id(self) -> str:
        """The event's hash: unique, and the same for every attempt to send it."""
        return self.hash

    @property
    def leaked(self) -> bool:
        """A revocation by leak response (``revoke-leaked``, GitLab's revocation API)."""
        return self.action == "revoked" and self.detail.startswith(LEAK_DETAIL_PREFIX)

    @property
    def push_failed(self) -> bool:
        """A push to a destination that failed (its new token revoked): rotate-due's,
        or a person's ``--push``."""
        return self.action == PUSH_FAILED

    @property
    def mailed(self) -> bool:
        """Whether e-mail recipients hear of it: a leak, or a failed push."""
        return self.leaked or self.push_failed

    def destinations_command(self) -> str:
        project = shlex.quote(self.project or "PROJECT")
        return f"{PROG} destinations list --project {project}"

    def generate_command(self) -> str:
        project = shlex.quote(self.project or "PROJECT")
        return f"{PROG} tokens generate --project {project}"


def iso(moment: datetime) -> str:
    """A time as the notifications write it: ISO 8601 UTC, to the second, with a Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
