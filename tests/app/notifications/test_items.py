"""What a notification is about: ids that stay the same on every attempt, leak
revocations told apart, and commands a shell takes as they are printed."""

from __future__ import annotations

import shlex
from datetime import UTC, datetime

from app.notifications.items import AuditItem, ExpiringToken, iso

AT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


def warning(project: str = "web", name: str = "ci deploy") -> ExpiringToken:
    return ExpiringToken(
        warning_id=4, project_id=1, project=project, token_id=12, name=name,
        preview="mldt_\u2026a9Zq", created_at=AT, created_by="alice", expires_at=AT,
        threshold_days=7,
    )  # fmt: skip


def event(action: str = "revoked", detail: str = "") -> AuditItem:
    return AuditItem(7, "ab" * 32, AT, "alice", action, "web", 1, 12, "mldt_\u2026a9Zq", detail)


def test_an_expiry_warnings_id_names_the_token_and_threshold():
    assert warning().event_id == "expiry-12-7d"


def test_the_commands_survive_a_shell_whatever_the_names():
    odd = warning(project="web; rm -rf ~", name="it's $HOME")
    assert shlex.split(odd.rotate_command()) == [
        "deployment-tokens", "tokens", "rotate", "--project", "web; rm -rf ~", "12",
    ]  # fmt: skip
    generate, revoke = odd.replace_commands()
    assert shlex.split(generate)[-2:] == ["--name", "it's $HOME"]
    assert shlex.split(revoke) == [
        "deployment-tokens", "tokens", "revoke", "--project", "web; rm -rf ~", "12",
    ]  # fmt: skip


def test_a_leak_revocation_is_a_revocation_whose_detail_says_leaked():
    assert event(detail="leaked: found in ticket #4").leaked
    assert not event(detail="").leaked
    assert not event(action="renamed", detail="leaked: a name").leaked
    assert event().event_id == "ab" * 32


def test_times_are_iso_utc_to_the_second():
    assert iso(AT) == "2026-03-01T09:30:15Z"
