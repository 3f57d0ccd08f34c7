"""``notifications add|list|remove|thresholds`` and ``notify`` on the command line: a
webhook's secret once on stdout, one line for anything wrong, notify quiet when there is
nothing to send and exit 1 when a delivery failed; no secret in any output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app import config
from app.cli import COMMANDS, build_parser
from app.notifications import webhooks
from tests.support.command_line import subcommands
from tests.support.mail import PASSWORD


def test_the_commands_are_registered():
    assert COMMANDS["notifications"] == COMMANDS["notify"] == "notifications"
    [parser] = subcommands(build_parser("notifications")).values()
    assert list(subcommands(parser)) == ["add", "list", "remove", "thresholds"]


def test_recipients_and_webhooks_are_added_listed_and_removed(cli, web, store):
    added = cli("notifications", "add", "--project", web, "--email", "ops@example.com")
    assert (added.code, added.err) == (0, "")
    assert added.out == "Added e-mail recipient 1 for project 'Web': ops@example.com.\n"
    hook = cli("notifications", "add", "--all-projects", "--webhook", "https://h.example/dt")
    assert hook.code == 0, hook.err
    secret = hook.out.strip()
    assert hook.out == secret + "\n"
    assert secret.startswith("mldw_")
    assert "Added webhook 2 for all projects: https://h.example/dt." in hook.err
    assert "shown once" in hook.err
    assert secret not in repr(store.dump())
    table = cli("notifications", "list", "--project", web).out.splitlines()
    assert table[0].split() == ["ID", "PROJECT", "KIND", "ADDRESS", "LAST", "DELIVERY"]
    assert table[1].split() == ["1", "Web", "email", "ops@example.com", "never"]
    assert table[2].split()[:4] == ["2", "(all", "projects)", "webhook"]
    [listed] = json.loads(cli("notifications", "list", "--all-projects", "--json").out)
    assert listed["project"] is None
    assert set(listed) == {
        "id", "project", "kind", "address", "created_at", "created_by", "last_delivery",
        "last_delivery_at", "last_delivery_detail",
    }  # fmt: skip
    removed = cli("notifications", "remove", "--project", web, "1")
    assert (removed.code, removed.out) == (
        0,
        "Removed e-mail recipient 1 for project 'Web': ops@example.com.\n",
    )
    again = cli("notifications", "remove", "--project", web, "1")
    assert (again.code, again.err) == (
        1,
        "deployment-tokens: there is no notification 1 in project 'Web'\n",
    )


def test_an_empty_list_says_how_to_add_one(cli, web):
    empty = cli("notifications", "list", "--project", web)
    assert (empty.code, empty.out) == (0, "")
    assert empty.err == (
        "No notifications for project 'Web'. Add one with: deployment-tokens notifications "
        "add --project Web --email ADDRESS (or --webhook URL)\n"
    )


@pytest.mark.parametrize(
    ("argv", "code", "says"),
    [(("add", "--project", "Web", "--email", "ops"), 1, "not an e-mail address"),
     (("add", "--project", "Web", "--webhook", "http://hooks.example.com/s3cret"), 1,
      "must be https://"),
     (("add", "--project", "Nope", "--email", "ops@example.com"), 1, "no project"),
     (("add", "--email", "ops@example.com"), 2, "one of the arguments --project --all-projects"),
     (("add", "--project", "Web", "--email", "a@b.c", "--webhook", "https://h.example/"), 2,
      "not allowed with argument"),
     (("remove", "--project", "Web", "x1"), 2, "is not a notification's id"),
     (("remove", "--project", "Web", "٣"), 2, "is not a notification's id"),
     (("thresholds", "--project", "Web", "30,0"), 1, "from 1 to 3650")],
)  # fmt: skip
def test_anything_wrong_is_one_line_and_changes_nothing(cli, web, store, argv, code, says):
    before = store.dump()
    done = cli("notifications", *argv)
    assert done.code == code
    assert says in done.err
    assert len(done.err.strip().splitlines()) == 1
    assert "s3cret" not in done.err
    assert store.dump() == before


def test_thresholds_are_shown_and_set(cli, web):
    shown = cli("notifications", "thresholds", "--project", web)
    assert shown.out == "Expiry warnings of project 'Web': 30, 7 and 1 days before expiry.\n"
    changed = cli("notifications", "thresholds", "--project", web, "14, 2")
    assert changed.out == "Expiry warnings of project 'Web': 14 and 2 days before expiry.\n"
    off = cli("notifications", "thresholds", "--project", web, "none")
    assert off.out == "Expiry warnings of project 'Web': no expiry warnings.\n"


def test_notify_sends_once_and_is_quiet_when_there_is_nothing(cli, web, mail, receiver):
    cli("notifications", "add", "--project", web, "--email", "ops@example.com")
    receiver.secret = cli("notifications", "add", "--project", web, "--webhook", receiver.url).out
    receiver.secret = receiver.secret.strip()
    generated = cli("tokens", "generate", "--project", web, "--name", "ci", "--expires-in", "5d")
    preview = f"mldt_\u2026{generated.out.strip()[-4:]}"
    done = cli("notify")
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert lines[0].startswith(f"Warned: Web / ci ({preview}, id 1) expires ")
    assert lines[0].endswith(", within 7 days")
    assert lines[1] == "Sent to e-mail recipient 1 (ops@example.com): 1 expiring soon"
    assert lines[2] == (
        f"Sent to webhook 2 (http://127.0.0.1:{receiver.port}/\u2026): 2 events, 1 warning"
    )
    assert len(lines) == 3
    assert (cli("notify").code, cli("notify").out, cli("notify").err) == (0, "", "")
    assert len(mail.messages) == 1
    assert [p["type"] for p in receiver.accepted] == [
        "audit.notification_added", "audit.generated", "token.expiring",
    ]  # fmt: skip
    everything = done.out + done.err + repr(mail.messages[0].message.as_string())
    assert PASSWORD not in everything
    assert generated.out.strip() not in everything


def test_a_dry_run_says_what_would_go(cli, web, mail):
    cli("notifications", "add", "--project", web, "--email", "ops@example.com")
    cli("tokens", "generate", "--project", web, "--name", "ci", "--expires-in", "20d")
    done = cli("notify", "--dry-run")
    assert done.code == 0
    assert done.out.splitlines()[1] == (
        "Would send to e-mail recipient 1 (ops@example.com): 1 expiring soon"
    )
    assert done.out.startswith("Would warn: Web / ci (")
    assert done.err == "Dry run: nothing was sent or recorded.\n"
    assert mail.messages == []
    assert cli("notify").code == 0
    nothing = cli("notify", "--dry-run")
    assert (nothing.code, nothing.out, nothing.err) == (0, "", "Nothing would be sent.\n")


def test_a_failed_delivery_exits_1_and_is_tried_again(cli, web, monkeypatch):
    monkeypatch.setattr(webhooks, "RETRY_DELAYS", (0.0, 0.0))
    cli("notifications", "add", "--project", web, "--webhook", "http://127.0.0.1:9/hook")
    for _ in range(2):
        done = cli("notify")
        assert done.code == 1
        assert done.out == (
            "Failed: webhook 1 (http://127.0.0.1:9/\u2026): cannot connect: Connection refused "
            "(after 3 attempts); 1 waiting for the next run\n"
        )
    listed = cli("notifications", "list", "--project", web).out
    assert "failed" in listed
    assert "Connection refused" in listed


def test_a_wrong_smtp_url_is_exit_2_without_its_password(cli, web, monkeypatch, store):
    cli("notifications", "add", "--project", web, "--email", "ops@example.com")
    monkeypatch.setenv(config.SMTP_URL_ENV, "smtp://bot:hunter2-secret@mail.example.com:99999/")
    before = store.dump()
    done = cli("notify")
    assert done.code == 2
    assert done.err.startswith("deployment-tokens: ML_DEPLOYMENT_SMTP_URL is not usable")
    assert "hunter2" not in done.err + done.out
    assert store.dump() == before


def test_notify_tells_how_to_set_up_mail():
    [parser] = subcommands(build_parser("notify")).values()
    assert "ML_DEPLOYMENT_SMTP_URL" in parser.format_help()


# --- what the README and docs/ promise --------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]


def readme_block(starting: str) -> str:
    """The README's fenced block whose first line starts with ``starting``."""
    for block in re.findall(r"```\w*\n(.*?)```", (ROOT / "README.md").read_text(), re.S):
        if block.startswith(starting):
            return block
    raise AssertionError(f"no block starting {starting!r} in the README")


def test_the_readmes_receiver_accepts_a_real_delivery_and_nothing_else(service, receiver):
    namespace: dict[str, object] = {}
    exec(readme_block("import hashlib, hmac, json, time"), namespace)  # noqa: S102 (our README)
    verified = namespace["verified"]
    service.add_project("web")
    _, receiver.secret = service.add_notification("web", "webhook", receiver.url)
    service.notify()
    [delivery] = receiver.received
    assert verified(receiver.secret, delivery.headers, delivery.body)["type"] == (
        "audit.notification_added"
    )
    for secret, body in ((receiver.secret, delivery.body + b" "), ("mldw_other", delivery.body)):
        with pytest.raises(ValueError, match="not signed"):
            verified(secret, delivery.headers, body)
    stale = {**delivery.headers, "X-Deployment-Tokens-Timestamp": "1700000000"}
    resigned = webhooks.signature(receiver.secret, 1700000000, delivery.body)
    with pytest.raises(ValueError, match="a replay"):
        verified(
            receiver.secret, {**stale, "X-Deployment-Tokens-Signature": resigned}, delivery.body
        )


@pytest.mark.parametrize("unit", ["service", "timer"])
def test_the_systemd_units_are_the_readmes_and_run_notify_hourly(unit):
    text = (ROOT / "docs" / f"deployment-tokens-notify.{unit}").read_text()
    directives = [line for line in text.splitlines() if line and not line.startswith("#")]
    shown = readme_block("# /etc/systemd/system/deployment-tokens-notify.service")
    essential = {"service": ("ExecStart=", "Type=", "EnvironmentFile=", "User="),
                 "timer": ("OnCalendar=", "Persistent=", "WantedBy=")}[unit]  # fmt: skip
    for line in directives:
        if line.startswith(("[", *essential)):
            assert line in shown, line
    assert ("ExecStart=/usr/local/bin/deployment-tokens notify" in directives) == (
        unit == "service"
    )
    assert ("Persistent=true" in directives) == (unit == "timer")


def test_the_readmes_cron_line_runs_notify_under_a_lock():
    line = readme_block("17 * * * *").strip()
    assert line.endswith("flock -n /tmp/deployment-tokens-notify.lock deployment-tokens notify")
