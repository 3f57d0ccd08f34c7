"""The one e-mail a recipient gets per run: every token about to expire that it should
hear about, every token revoked after a leak, and every push to a destination that
failed (rotate-due's above all: nobody watches a timer), each named (project, name, preview,
expiry, who made it) with what to do about it.

GitLab's expiry mails were criticised for not naming the token, and one mail per token
became spam; so one digest, plain text, naming everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from app.notifications.items import AuditItem, ExpiringToken

SUBJECT_PREFIX = "Deployment tokens: "


def subject(expiring: Sequence[ExpiringToken], events: Sequence[AuditItem]) -> str:
    parts = []
    if expiring:
        parts.append(f"{len(expiring)} expiring soon")
    leaked = [event for event in events if event.leaked]
    if leaked:
        parts.append(f"{len(leaked)} revoked after a leak")
    failed = [event for event in events if event.push_failed]
    if failed:
        parts.append(f"{len(failed)} push{'es' * (len(failed) != 1)} failed")
    return SUBJECT_PREFIX + " and ".join(parts)


def body(expiring: Sequence[ExpiringToken], events: Sequence[AuditItem], now: datetime) -> str:
    """The digest's text."""
    lines: list[str] = []
    if expiring:
        lines += ["These deployment tokens expire soon. Pipelines that use them will fail",
                  "after that, so replace each one before it does:", ""]  # fmt: skip
        for warning in sorted(expiring, key=lambda w: (w.expires_at, w.project, w.token_id)):
            lines += _expiring(warning, now)
    leaked = [event for event in events if event.leaked]
    if leaked:
        lines += ["These deployment tokens were revoked because they were found where a",
                  "secret must never be. Pipelines that used them fail now: give them a new",
                  "token, and find out how the old one got out.", ""]  # fmt: skip
        for event in leaked:
            lines += _leaked(event)
    failed = [event for event in events if event.push_failed]
    if failed:
        lines += ["These pushes to a destination failed. Each new token was revoked and, in",
                  "a rotation, the old token left as it was: pipelines keep working until it",
                  "expires. Fix the destination (or its credential), then rotate again:",
                  ""]  # fmt: skip
        for event in failed:
            lines += _failed(event)
    lines.append("-- ")
    lines.append("Sent by deployment-tokens notify. Never a token: only its masked preview.")
    return "\n".join(lines) + "\n"


def message(
    sender: str,
    recipient: str,
    expiring: Sequence[ExpiringToken],
    events: Sequence[AuditItem],
    now: datetime,
) -> EmailMessage:
    """The digest as a message, ready for SMTP."""
    mail = EmailMessage()
    mail["Subject"] = subject(expiring, events)
    mail["From"] = sender
    mail["To"] = recipient
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to it
    mail.set_content(body(expiring, events, now))
    return mail


def _expiring(warning: ExpiringToken, now: datetime) -> list[str]:
    rotate = warning.rotate_command()
    generate, revoke = warning.replace_commands()
    return [
        f"* {warning.project} / {warning.name} ({warning.preview}, id {warning.token_id})",
        f"  expires {_when(warning.expires_at)}, {_left(warning.expires_at - now)}",
        f"  made by {warning.created_by} on {_when(warning.created_at)}",
        "  Rotate it (a successor with the same name, environments and lifetime):",
        f"    {rotate}",
        "  or generate a new one, put it where the old one is used, then revoke the old:",
        f"    {generate}",
        f"    {revoke}",
        "",
    ]


def _leaked(event: AuditItem) -> list[str]:
    return [
        f"* {event.project or 'a deleted project'}: token {event.token_id} ({event.preview})",
        f"  revoked {_when(event.at)} by {event.actor}; {event.detail}",
        "  Give its pipelines a new token:",
        f"    {event.generate_command()}",
        "",
    ]


def _failed(event: AuditItem) -> list[str]:
    return [
        f"* {event.project or 'a deleted project'}: token {event.token_id} ({event.preview})",
        f"  {_when(event.at)}, by {event.actor}: {event.detail}",
        "  See the project's destinations and their last push:",
        f"    {event.destinations_command()}",
        "",
    ]


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _left(left: timedelta) -> str:
    hours = int(left.total_seconds() // 3600)
    if hours < 48:
        return "in less than an hour" if hours < 1 else f"in {hours} hour{'s' * (hours != 1)}"
    return f"in {left.days} days"
