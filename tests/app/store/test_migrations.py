"""The schema is versioned and migrated forward on open, from nothing or from version 1."""

from __future__ import annotations

import multiprocessing
import sqlite3
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import pytest

from app import open_service, tokens
from app.errors import StorageError
from app.store import db, migrations
from app.store.deployer_models import DEPLOYER_MODELS
from app.store.destination_models import DESTINATION_MODELS
from app.store.models import ALL_MODELS
from app.store.notification_models import NOTIFICATION_MODELS


def test_an_empty_file_is_migrated_to_the_latest_version(database_path, sqlite_url):
    database_path.touch(mode=0o600)
    with open_service(sqlite_url) as service:
        assert migrations.schema_version(service.storage.database) == migrations.LATEST_VERSION


def describe(database):
    """Tables, columns, indexes and foreign keys through peewee, on either backend."""
    described = {}
    for table in sorted(database.get_tables()):
        columns = sorted((c.name, c.data_type, c.null) for c in database.get_columns(table))
        indexes = sorted(
            (tuple(index.columns), index.unique) for index in database.get_indexes(table)
        )
        foreign = sorted(
            (f.column, f.dest_table, f.dest_column) for f in database.get_foreign_keys(table)
        )
        described[table] = (columns, indexes, foreign)
    return described


# Tables of PostgreSQL's access control (version 8's SQL), which no model maps: the app
# reaches them only through the server's functions (app.use_cases.access).
ACCESS_CONTROL_TABLES = {"access_grant"}
# The transaction that wrote each audit event, PostgreSQL's own (version 9's SQL): its
# triggers fill and read it (every token change has its event); no model maps it.
SERVER_ONLY_COLUMN = ("audit_event", ("txid", "bigint", True), (("txid",), False))


def _without_server_only_column(described):
    table, column, index = SERVER_ONLY_COLUMN
    columns, indexes, foreign = described[table]
    assert column in columns
    assert index in indexes
    kept = ([c for c in columns if c != column], [i for i in indexes if i != index], foreign)
    return {**described, table: kept}


def test_migrated_schema_matches_the_models(database_url, tmp_path, backend, request):
    with open_service(database_url) as service:
        migrated = describe(service.storage.database)
    if backend == "postgresql":
        assert migrated.keys() >= ACCESS_CONTROL_TABLES
        migrated = _without_server_only_column(migrated)
    migrated = {t: d for t, d in migrated.items() if t not in ACCESS_CONTROL_TABLES}
    # The same models created directly, in another fresh database of the same backend.
    other = request.getfixturevalue("another_store")
    database = db.connect(other.url)
    try:
        database.create_tables(
            [*ALL_MODELS, *NOTIFICATION_MODELS, *DEPLOYER_MODELS, *DESTINATION_MODELS]
        )
        expected = describe(database)
    finally:
        database.close()
    assert migrated == expected


def test_sqlite_keys_are_autoincrement(sqlite_url, database_path):
    with open_service(sqlite_url):
        pass
    with closing(sqlite3.connect(database_path)) as connection:
        autoincrement = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'"
            )
        }
    assert autoincrement == {
        "project",
        "deployment_token",
        "audit_event",
        "environment",
        "introspection_client",
        "revoked_token",
        "revocation_key",
        "notification_target",
        "expiry_warning",
        "notification_delivery",
        "trusted_deployer",
        "destination",
    }


def test_ids_are_never_reused_after_a_revoke(service):
    service.add_project("web")
    first, _ = service.generate("web")
    service.revoke("web", first.id)
    second, _ = service.generate("web")
    assert second.id > first.id


def test_a_version_1_database_keeps_its_data_and_gains_the_latest_version(database_url):
    database = db.connect(database_url)
    migrations.migrate_forward(database, target=1)
    created = datetime(2025, 1, 2, 3, 4, 5)
    mark = database.param
    with database.atomic():
        database.execute_sql(
            f"INSERT INTO project (name, name_key, created_at) VALUES ({mark}, {mark}, {mark})",
            ("Web", "web", created),
        )
        database.execute_sql(
            "INSERT INTO deployment_token (project_id, name, digest, preview, created_at, "
            "created_by, last_used_at) "
            f"VALUES (1, 'ci', {mark}, 'mldt_\u2026abcd', {mark}, 'alice', NULL)",
            ("0" * 64, created),
        )
    database.close()

    with open_service(database_url) as service:
        database = service.storage.database
        assert migrations.schema_version(database) == migrations.LATEST_VERSION
        [token] = service.list_tokens("WEB")
        indexed = [
            tuple(i.columns) for i in service.storage.database.get_indexes("deployment_token")
        ]
        # Version 3's shared row: the change counter starts at 0, no salt remembered yet.
        assert service.revision() == 0
        service.add_project("api")
        assert service.revision() == 1
    assert (token.name, token.preview, token.created_by) == ("ci", "mldt_\u2026abcd", "alice")
    assert ("project_id", "created_at") in indexed


def test_a_database_from_a_newer_release_is_refused(database_url, store):
    with open_service(database_url):
        pass
    store.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StorageError, match="schema version 99, newer than this release"):
        open_service(database_url)


ATTEMPTS = 40
PROCESSES = 6


def _open_each_at_once(urls, barrier, outcomes):
    """Open each database in turn, each time released by the barrier together with the
    other processes: one at a time, all the processes are at the same new file."""
    for url in urls:
        barrier.wait(timeout=60)
        try:
            with open_service(url) as service:
                service.list_projects()
            outcomes.put("ok")
        except Exception as error:  # reported to the parent, which fails the test
            outcomes.put(f"{type(error).__name__}: {error}")


def test_processes_released_together_on_a_new_file_all_open_it(tmp_path):
    # Forked workers have the app loaded already, so a barrier lines their first opens up
    # to the same instant: the moment an empty file is turned into a WAL database. The
    # same six processes are released together at each of the files in turn (forking six
    # for each file took most of the time): 240 simultaneous first opens, as many as
    # before, where 3 in 1,200 failed before new files appeared already in WAL mode.
    context = multiprocessing.get_context("fork")
    urls = [f"sqlite:///{tmp_path / f'race-{attempt}.db'}" for attempt in range(ATTEMPTS)]
    barrier, outcomes = context.Barrier(PROCESSES), context.Queue()
    workers = [
        context.Process(target=_open_each_at_once, args=(urls, barrier, outcomes))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    try:
        results = [outcomes.get(timeout=60) for _ in range(ATTEMPTS * PROCESSES)]
    finally:
        barrier.abort()  # a worker that died would leave the others waiting
        for worker in workers:
            worker.join(timeout=60)
    assert [r for r in results if r != "ok"] == []
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES
    # Every database was migrated once: one version row, at the latest version.
    for attempt in range(ATTEMPTS):
        with closing(sqlite3.connect(tmp_path / f"race-{attempt}.db")) as connection:
            rows = connection.execute("SELECT version FROM schema_version").fetchall()
        assert rows == [(migrations.LATEST_VERSION,)]


def test_a_version_3_database_keeps_every_token_verifying(database_url, salt):
    """The release before the token lifecycle wrote version 3: its tokens keep working,
    with no expiry and every environment, and its audit trail is kept."""
    plaintext = tokens.new_token()
    database = db.connect(database_url)
    migrations.migrate_forward(database, target=3)
    created = datetime(2026, 1, 2, 3, 4, 5)
    mark = database.param
    with database.atomic():
        database.execute_sql(
            f"INSERT INTO project (name, name_key, created_at) VALUES ({mark}, {mark}, {mark})",
            ("Web", "web", created),
        )
        database.execute_sql(
            "INSERT INTO deployment_token (project_id, name, digest, preview, created_at, "
            f"created_by, last_used_at) VALUES (1, 'ci', {mark}, {mark}, {mark}, 'alice', NULL)",
            (tokens.digest(plaintext, salt), tokens.preview(plaintext), created),
        )
        database.execute_sql(
            "INSERT INTO audit_event (project_id, action, token_id, token_preview, actor, "
            f"occurred_at) VALUES (1, 'generated', 1, {mark}, 'alice', {mark})",
            (tokens.preview(plaintext), created),
        )
    database.close()

    with open_service(database_url) as service:
        assert migrations.schema_version(service.storage.database) == migrations.LATEST_VERSION
        assert service.verify(plaintext, "web") == "Web"
        [token] = service.list_tokens("web")
        assert (token.expires_at, token.environments, token.replaced_by) == (None, (), None)
        assert token.status(datetime.now(UTC)) == "active"
        [event] = service.audit_log("web")
        assert (event.action, event.token_id, event.actor, event.detail) == (
            "generated",
            token.id,
            "alice",
            "",
        )
        assert service.token_policy("web").default_lifetime == timedelta(days=90)
        # Ids are still never reused after the audit table was rebuilt.
        second, _ = service.generate("web")
        assert second.id > token.id


# What 'db grant-verifier' granted up to schema version 6, frozen here: a role granted
# then must come out of the upgrade to version 7 verifying, and unable to write.
_VERSION_6_VERIFIER_GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    'GRANT SELECT ON "schema_version", "project", "deployment_token", "environment", '
    '"token_environment", "introspection_client", "control_state" TO {role}',
    'GRANT UPDATE ("last_used_at") ON "deployment_token" TO {role}',
    'GRANT UPDATE ("revision") ON "control_state" TO {role}',
)


def _as_role(url, role):
    parts = urlsplit(url)
    host = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
    return urlunsplit((parts.scheme, f"{role}@{host}", parts.path, "", ""))


@contextmanager
def _login_role(store, prefix):
    role = f"{prefix}_{store.name}"  # roles are per cluster: one per test database
    store.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        yield role
    finally:
        store.execute(f'DROP OWNED BY "{role}"')
        store.execute(f'DROP ROLE "{role}"')


def _at_version_6_with_a_verifier(store, role):
    """A database as the release before version 7 left it, with a verifier granted then,
    and a project with a token; returns the token's plaintext."""
    database = db.connect(store.url)
    try:
        migrations.migrate_forward(database, target=6)
    finally:
        database.close()
    for grant in _VERSION_6_VERIFIER_GRANTS:
        store.execute(grant.format(role=f'"{role}"'))
    with open_service(store.url) as service:  # the owner upgrades it to the latest
        service.add_project("web")
        return service.generate("web")[1]


@pytest.mark.only_backend("postgresql")
def test_an_upgrade_to_version_7_moves_each_verifier_to_the_function(store):
    import psycopg

    with _login_role(store, "verifier") as role:
        plaintext = _at_version_6_with_a_verifier(store, role)
        assert store.query("SELECT version FROM schema_version") == [(migrations.LATEST_VERSION,)]
        with psycopg.connect(_as_role(store.url, role), autocommit=True) as session:
            for statement in (
                "UPDATE deployment_token SET last_used_at = '1999-01-01'",
                "UPDATE control_state SET revision = -1",
                "SELECT id FROM deployment_token FOR UPDATE",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    session.execute(statement)
        with open_service(_as_role(store.url, role), create=False) as verifier:
            assert verifier.verify(plaintext, "web") == "web"
        assert store.query("SELECT last_used_at IS NOT NULL FROM deployment_token") == [(True,)]


@pytest.mark.only_backend("postgresql")
def test_a_verifier_at_version_6_is_told_to_have_the_database_upgraded(store):
    with _login_role(store, "verifier") as role:
        database = db.connect(store.url)
        try:
            migrations.migrate_forward(database, target=6)
        finally:
            database.close()
        for grant in _VERSION_6_VERIFIER_GRANTS:
            store.execute(grant.format(role=f'"{role}"'))
        with pytest.raises(
            StorageError,
            match=rf"schema version 6, older than this release's {migrations.LATEST_VERSION}, "
            "and only its owner may",
        ):
            open_service(_as_role(store.url, role), create=False)
        assert store.query("SELECT version FROM schema_version") == [(6,)]


@pytest.mark.only_backend("postgresql")
def test_the_function_belongs_to_the_tables_owner_whoever_upgrades(store):
    """A superuser upgrading another role's database must not leave behind a
    SECURITY DEFINER function that runs as the superuser."""
    with _login_role(store, "owner") as owner:
        store.execute(f'GRANT CREATE ON SCHEMA public TO "{owner}"')
        database = db.connect(_as_role(store.url, owner))
        try:
            migrations.migrate_forward(database, target=6)
        finally:
            database.close()
        with open_service(store.url):  # the cluster's superuser
            pass
        [(function_owner, table_owner)] = store.query(
            "SELECT p.proowner::regrole::text, c.relowner::regrole::text "
            "FROM pg_proc p, pg_class c "
            "WHERE p.proname = 'record_token_use' AND c.relname = 'deployment_token'"
        )
        assert function_owner == table_owner == owner


def test_a_version_8_trail_is_chained_once_in_the_order_it_was_written(database_url, store):
    """Version 9 numbers and hashes the events there are, by id (the order they were
    written, whatever their times say), each with its project's name."""
    database = db.connect(database_url)
    migrations.migrate_forward(database, target=8)
    mark = database.param
    late, early = datetime(2026, 3, 1, 12, 0), datetime(2026, 1, 1, 9, 0, 0, 500)
    with database.atomic():
        database.execute_sql(
            "INSERT INTO project (name, name_key, created_at, allow_no_expiry, "
            f"default_names_given) VALUES ({mark}, {mark}, {mark}, {mark}, 0)",
            ("Web", "web", early, True),
        )
        for action, at, detail in (("generated", late, 'a "quoted"\nline'), ("revoked", early, "")):
            database.execute_sql(
                "INSERT INTO audit_event (project_id, action, token_id, token_preview, actor, "
                f"occurred_at, detail) VALUES (1, {mark}, 7, 'mldt_…abcd', 'alice', {mark}, "
                f"{mark})",
                (action, at, detail),
            )
    database.close()

    with open_service(database_url) as service:
        events = list(service.export_audit())
        assert [(e.seq, e.action, e.project, e.at) for e in events] == [
            (1, "generated", "Web", late),
            (2, "revoked", "Web", early),
        ]
        assert service.verify_audit().intact
        service.generate("web")  # the chain goes on from there
        assert service.verify_audit().events == 3


@pytest.mark.only_backend("postgresql")
def test_the_database_s_link_is_the_app_s(store):
    """The trigger's hash (audit_chain_v9.sql) and app.audit_chain's, on awkward text."""
    from app.audit_chain import GENESIS_HASH, ChainedEvent, event_hash

    with open_service(store.url):
        pass
    awkward = ["", "plain", 'quote " back \\ slash', "tab\tnew\nline\r\b\f\x01\x1f\x7f",
               "ünïcødé … 🚀 \u2028", "mldt_…abcd"]  # fmt: skip
    moments = [datetime(2026, 12, 4, 23, 59, 59, 999999), datetime(999, 1, 2, 3, 4, 5)]
    for text, moment in zip(awkward, moments * len(awkward), strict=False):
        for project, token_id, preview in ((text, 2**40, text), (None, None, None)):
            e = ChainedEvent(7, moment, text or "x", "generated", project, token_id, preview, text)
            [[theirs]] = store.query(
                "SELECT dt_audit_hash(%s, 7, %s, %s, 'generated', %s, %s, %s, %s)",
                GENESIS_HASH, moment, e.actor, project, token_id, preview, text,
            )  # fmt: skip
            assert theirs == event_hash(GENESIS_HASH, e), repr(text)
