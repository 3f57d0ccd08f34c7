"""`tokens generate` on an SQLite file writes with sqlite3 alone (app.issuing): the same
write as the service's, and the same answers where the file is not ready for it."""

from __future__ import annotations

import pytest

from app import open_service
from app.store import db, migrations
from tests.support.privileges import file_permissions_enforced

pytestmark = pytest.mark.only_backend("sqlite")


def test_generate_on_a_database_of_an_older_schema_migrates_it_first(cli, sqlite_url):
    database = db.connect(sqlite_url)
    migrations.migrate_forward(database, target=1)
    database.execute_sql(
        "INSERT INTO project (name, name_key, created_at) VALUES ('web', 'web', '2025-01-02')"
    )
    database.close()
    generated = cli("tokens", "generate", "--project", "web")
    assert generated.code == 0, generated.err
    with open_service(sqlite_url) as service:
        assert migrations.schema_version(service.storage.database) == migrations.LATEST_VERSION
        assert service.verify(generated.out.strip()) == "web"


def test_generate_without_a_database_yet_creates_it_and_says_the_project_is_missing(
    cli, database_path
):
    assert not database_path.exists()
    result = cli("tokens", "generate", "--project", "web")
    assert (result.code, result.out) == (1, "")
    assert result.err == "deployment-tokens: there is no project named 'web'\n"
    assert database_path.exists()


def test_generate_on_a_read_only_file_says_so_and_writes_nothing(
    cli, service, store, database_path
):
    service.add_project("web")
    before = store.dump()
    service.close()
    database_path.chmod(0o400)
    try:
        with file_permissions_enforced():
            result = cli("tokens", "generate", "--project", "web")
    finally:
        database_path.chmod(0o600)
    assert (result.code, result.out) == (2, "")
    # One line that names the file, as app/read_only.py says it.
    assert result.err.count("\n") == 1
    assert f"the database file {database_path} is read-only" in result.err
    assert store.dump() == before


def test_the_same_write_as_the_service_makes(cli, service):
    """Both paths issue through TokenIssuer: the rows they leave agree field by field."""
    service.add_project("web")
    service.add_environment("web", "production")
    through_service, _ = service.generate("web", environments=["production"])
    cli("tokens", "generate", "--project", "web", "--environment", "PRODUCTION")
    [through_cli, _] = service.list_tokens("web")
    assert through_cli.name == "Deployment token 2"  # the same default-name counter
    assert through_cli.environments == through_service.environments == ("production",)
    assert (through_cli.expires_at - through_cli.created_at) == (
        through_service.expires_at - through_service.created_at
    )
    assert through_cli.created_by == through_service.created_by
    [cli_event, service_event, *_] = service.audit_log("web")
    assert (cli_event.action, cli_event.token_id) == ("generated", through_cli.id)
    assert cli_event.detail.split(";")[1] == service_event.detail.split(";")[1]
