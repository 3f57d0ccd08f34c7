"""``projects add, list, rename, delete`` (``app.cli.projects``)."""

from __future__ import annotations

import json

from tests.support.command_line import generate


def test_projects_add_and_list(cli):
    assert cli("projects", "add", "Web").code == 0
    assert cli("projects", "add", "api").code == 0
    listed = cli("projects", "list")
    assert listed.code == 0
    names = [line.split()[1] for line in listed.out.splitlines()[1:]]
    assert names == ["api", "Web"]


def test_projects_list_json(cli, web):
    generate(cli)
    [project] = json.loads(cli("projects", "list", "--json").out)
    assert project["name"] == "Web"
    assert project["token_count"] == 1
    assert set(project) == {"id", "name", "created_at", "token_count"}


def test_projects_list_when_empty(cli):
    result = cli("projects", "list")
    assert (result.code, result.out) == (0, "")
    assert "projects add" in result.err
    assert json.loads(cli("projects", "list", "--json").out) == []


def test_projects_rename_keeps_the_tokens_working_under_the_new_name(cli, web):
    plaintext = generate(cli).out.strip()
    renamed = cli("projects", "rename", "web", "storefront")
    assert (renamed.code, renamed.out) == (0, "Renamed project 'Web' to 'storefront'.\n")
    assert cli("verify", "--project", "storefront", stdin=plaintext).code == 0
    assert cli("verify", "--project", "Web", stdin=plaintext).code == 1
    cli("projects", "add", "api")
    taken = cli("projects", "rename", "storefront", "API")
    assert taken.code == 1
    assert "a project named 'api' already exists" in taken.err


def test_projects_delete_needs_yes_while_the_project_has_live_tokens(cli, web, store):
    plaintext = generate(cli).out.strip()
    before = store.dump()
    refused = cli("projects", "delete", "web")
    assert refused.code == 1
    assert refused.err == (
        "deployment-tokens: project 'Web' still has 1 live deployment token, which deleting "
        "it would revoke: add --yes to delete it and revoke them\n"
    )
    assert store.dump() == before
    deleted = cli("projects", "delete", "web", "--yes")
    assert (deleted.code, deleted.out) == (0, "Deleted project 'Web' and revoked its 1 token.\n")
    assert cli("verify", stdin=plaintext).code == 1
    assert cli("projects", "list", "--json").out.strip() == "[]"


def test_projects_delete_without_tokens_needs_no_yes(cli):
    cli("projects", "add", "empty")
    deleted = cli("projects", "delete", "empty")
    assert (deleted.code, deleted.out) == (0, "Deleted project 'empty'.\n")
    missing = cli("projects", "delete", "empty")
    assert (missing.code, missing.err) == (
        1,
        "deployment-tokens: there is no project named 'empty'\n",
    )
