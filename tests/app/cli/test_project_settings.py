"""``environments add, list, remove`` and ``projects policy`` (``app.cli.project_settings``)."""

from __future__ import annotations

import json


def test_environments_are_added_listed_and_removed(cli, web):
    assert cli("environments", "list", "--project", web).out == ""
    cli("environments", "add", "--project", web, "production")
    cli("environments", "add", "--project", web, "Staging")
    assert cli("environments", "list", "--project", web).out == "production\nStaging\n"
    duplicate = cli("environments", "add", "--project", web, "STAGING")
    assert duplicate.code == 1
    assert "already has an environment" in duplicate.err
    rows = json.loads(cli("environments", "list", "--project", web, "--json").out)
    assert [set(r) for r in rows] == [{"id", "name", "created_at"}] * 2
    assert cli("environments", "remove", "--project", web, "staging").code == 0
    assert cli("environments", "list", "--project", web).out == "production\n"


def test_the_policy_is_shown_changed_and_enforced(cli, web, store):
    shown = cli("projects", "policy", "--project", web)
    assert shown.out.splitlines() == [
        "Token policy of 'Web': default lifetime 90 days; maximum none; No expiry allowed.",
        "Rotation: pushed tokens are rotated by hand.",
    ]
    changed = cli(
        "projects", "policy", "--project", web, "--default-lifetime", "30d", "--max-lifetime", "1y"
    )
    assert changed.code == 0, changed.err
    assert "default lifetime 30 days; maximum 1 year; No expiry not allowed" in changed.out
    before = store.dump()
    too_long = cli("tokens", "generate", "--project", web, "--expires-in", "2y")
    assert (too_long.code, too_long.out) == (1, "")
    assert "maximum token lifetime of 1 year" in too_long.err
    never = cli("tokens", "generate", "--project", web, "--no-expiry")
    assert never.code == 1
    assert "never expire" in never.err
    assert store.dump() == before
    contradictory = cli("projects", "policy", "--project", web, "--allow-no-expiry")
    assert contradictory.code == 1
    assert "cannot allow" in contradictory.err
