"""db grant-verifier: the role the verification service runs as can verify, and nothing
else (PostgreSQL); and no session, the verifier's or anyone's, stalls a write for long."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import pytest

from app import open_service
from app.errors import AccessDeniedError


@pytest.fixture
def verifier_url(store, cli, service):
    """A login role granted by the command, and the URL that connects as it."""
    role = f"verifier_{store.name}"  # roles are per cluster: one per test database
    store.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        service.add_project("web")
        granted = cli("db", "grant-verifier", role)
        assert granted.code == 0, granted.err
        assert "GRANT EXECUTE ON FUNCTION record_token_use(bigint)" in granted.out
        yield _as_role(store.url, role)
    finally:
        store.execute(f'DROP OWNED BY "{role}"')
        store.execute(f'DROP ROLE "{role}"')


def _as_role(url, role):
    """``url`` (the test cluster's, without a password: it trusts loopback) as ``role``."""
    parts = urlsplit(url)
    host = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
    return urlunsplit((parts.scheme, f"{role}@{host}", parts.path, "", ""))


@contextlib.contextmanager
def _session(url):
    """A psql-like session of its own (autocommit unless it says BEGIN)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        yield connection


def _server_now(store):
    return store.query("SELECT statement_timestamp() AT TIME ZONE 'UTC'")[0][0]


@pytest.mark.only_backend("postgresql")
def test_the_verifier_role_verifies_and_records_use(verifier_url, service):
    _, plaintext = service.generate("web")
    with open_service(verifier_url, create=False) as verifier:
        assert verifier.verify(plaintext, "web") == "web"
        assert verifier.salt_problem() is None
        assert verifier.revision() > 0
    assert service.list_tokens("web")[0].last_used_at is not None


@pytest.mark.only_backend("postgresql")
def test_the_verifier_role_records_the_servers_time_not_its_own(verifier_url, service, store):
    """A verifier's clock cannot date a use: the server's clock does."""
    _, plaintext = service.generate("web")
    before = _server_now(store)
    in_the_past = datetime(2001, 1, 1, tzinfo=UTC)
    with open_service(verifier_url, create=False, clock=lambda: in_the_past) as verifier:
        assert verifier.verify(plaintext, "web") == "web"
    after = _server_now(store)
    assert before <= service.list_tokens("web")[0].last_used_at.replace(tzinfo=None) <= after


@pytest.mark.only_backend("postgresql")
def test_the_verifier_role_cannot_write_a_tokens_last_use(verifier_url, service, store):
    import psycopg

    service.generate("web")
    before = store.dump()
    with _session(verifier_url) as session, pytest.raises(psycopg.errors.InsufficientPrivilege):
        session.execute("UPDATE deployment_token SET last_used_at = '1999-01-01'")
    assert store.dump() == before


@pytest.mark.only_backend("postgresql")
def test_the_verifier_role_cannot_move_the_change_counter(verifier_url, service, store):
    import psycopg

    service.generate("web")
    before = store.dump()
    with _session(verifier_url) as session, pytest.raises(psycopg.errors.InsufficientPrivilege):
        session.execute("UPDATE control_state SET revision = -1")
    assert store.dump() == before


@pytest.mark.only_backend("postgresql")
def test_the_verifier_role_cannot_lock_a_row(verifier_url, service):
    """Without UPDATE on a table, PostgreSQL refuses every row lock on it: the role
    cannot hold a token or the change counter against a revoke."""
    import psycopg

    service.generate("web")
    refused = []
    with _session(verifier_url) as session:
        for table in ("deployment_token", "control_state", "project"):
            for strength in ("UPDATE", "NO KEY UPDATE", "SHARE", "KEY SHARE"):
                try:
                    session.execute(f"SELECT id FROM {table} FOR {strength}").fetchall()
                except psycopg.errors.InsufficientPrivilege:
                    refused.append((table, strength))
    assert len(refused) == 12, refused


@pytest.mark.only_backend("postgresql")
def test_the_function_records_the_servers_time_for_one_token_and_nothing_else(
    verifier_url, service, store
):
    used, _ = service.generate("web")
    other, _ = service.generate("web")
    revision = service.revision()
    before = store.dump()
    with _session(verifier_url) as session:
        started = _server_now(store)
        assert session.execute("SELECT record_token_use(%s)", (used.id,)).fetchone()[0] is True
        ended = _server_now(store)
        after_first = store.dump()
        # Within the minute: nothing more is written, and the token is still there.
        assert session.execute("SELECT record_token_use(%s)", (used.id,)).fetchone()[0] is True
        assert store.dump() == after_first
        # An id with no token (revoked, or never made): nothing is written.
        assert session.execute("SELECT record_token_use(%s)", (10**9,)).fetchone()[0] is False
        assert store.dump() == after_first
    assert service.revision() == revision + 1
    [recorded] = [t for t in service.list_tokens("web") if t.id == used.id]
    assert started <= recorded.last_used_at.replace(tzinfo=None) <= ended
    # Everything else is as it was: that token's last use and the counter moved, no more.
    assert {table for table in before if after_first[table] != before[table]} == {
        "deployment_token",
        "control_state",
    }
    columns = [
        row[0]
        for row in store.query(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'deployment_token' ORDER BY ordinal_position"
        )
    ]
    rows_before = {
        row[0]: dict(zip(columns, row, strict=True)) for row in before["deployment_token"]
    }
    rows_after = {
        row[0]: dict(zip(columns, row, strict=True)) for row in after_first["deployment_token"]
    }
    assert rows_after.keys() == rows_before.keys() == {used.id, other.id}
    assert {
        (token_id, column)
        for token_id, row in rows_after.items()
        for column in columns
        if row[column] != rows_before[token_id][column]
    } == {(used.id, "last_used_at")}
    [(state_id, old_revision, fingerprint)] = before["control_state"]
    assert after_first["control_state"] == [(state_id, old_revision + 1, fingerprint)]


@pytest.mark.only_backend("postgresql")
def test_the_function_runs_as_the_tables_owner_with_a_fixed_search_path(verifier_url, store):
    import psycopg

    [(definer, config, function_owner, table_owner)] = store.query(
        "SELECT p.prosecdef, p.proconfig, p.proowner, c.relowner FROM pg_proc p, pg_class c "
        "WHERE p.proname = 'record_token_use' AND c.relname = 'deployment_token'"
    )
    assert definer is True
    assert function_owner == table_owner
    assert any(setting.startswith("search_path=") for setting in config)
    # Only roles granted it may call it: not every role that can log in.
    stranger = f"stranger_{store.name}"
    store.execute(f'CREATE ROLE "{stranger}" LOGIN')
    try:
        with (
            _session(_as_role(store.url, stranger)) as session,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            session.execute("SELECT record_token_use(1)")
    finally:
        store.execute(f'DROP OWNED BY "{stranger}"')
        store.execute(f'DROP ROLE "{stranger}"')


@pytest.mark.parametrize(
    "change",
    [
        lambda s, r: s.generate("web"),
        lambda s, r: s.revoke("web", r.id),
        lambda s, r: s.rename_token("web", r.id, "renamed"),
        lambda s, r: s.add_project("api"),
        lambda s, r: s.add_client("gateway"),
    ],
    ids=["generate", "revoke", "rename", "add a project", "add a client"],
)
@pytest.mark.only_backend("postgresql")
def test_the_verifier_role_cannot_change_tokens_or_projects(verifier_url, service, store, change):
    record, _ = service.generate("web")
    before = store.dump()
    with (
        open_service(verifier_url, create=False) as verifier,
        pytest.raises(AccessDeniedError, match=r"this needs (manager|admin) on .* no level"),
    ):
        change(verifier, record)
    assert store.dump() == before


@pytest.mark.only_backend("sqlite")
def test_an_sqlite_file_has_no_roles_to_grant(cli, service):
    result = cli("db", "grant-verifier", "verifier")
    assert result.code == 2
    assert "is for PostgreSQL" in result.err


@pytest.mark.only_backend("postgresql")
def test_serve_runs_as_the_verifier_role(verifier_url, service, tmp_path):
    """The service itself, started with the verify-only role's URL, answers."""
    from tests.support.serving import free_port, request

    _, plaintext = service.generate("web")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--database", verifier_url, "serve",
         "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                ready = request(port, "GET", "/readyz")
                break
            except OSError:
                assert process.poll() is None, "serve did not start as the verifier role"
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert ready[0] == 200, ready[2]
        headers = {"Authorization": f"Bearer {plaintext}", "X-Deployment-Project": "web"}
        assert request(port, "GET", "/v1/authorize", headers)[0] == 204
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert service.list_tokens("web")[0].last_used_at is not None


# A revoke that another session blocks. The blocking session is ended by the server after
# this long idle in its transaction, so that a revoke with no lock timeout of its own
# fails the test (it succeeds after that long) instead of hanging it.
BLOCKER_GIVES_UP = "30s"
# Far more than the lock timeout (5 s), far less than the blocker holds on.
PROMPTLY = 20.0


def _hold_the_token(blocker, session, token_id):
    """Begin a transaction in ``session`` that holds the token's row, as ``blocker`` would."""
    session.execute(f"SET idle_in_transaction_session_timeout = '{BLOCKER_GIVES_UP}'")
    session.execute("BEGIN")
    if blocker == "a verifier":
        # Its one write, left uncommitted: the function's own locks are held until then.
        session.execute("SELECT record_token_use(%s)", (token_id,)).fetchone()
    else:
        session.execute("SELECT id FROM deployment_token WHERE id = %s FOR UPDATE", (token_id,))


@pytest.mark.parametrize("blocker", ["a person's psql", "a verifier"])
@pytest.mark.only_backend("postgresql")
def test_a_revoke_blocked_by_another_session_fails_promptly_and_says_why(
    blocker, verifier_url, service, store, cli_process
):
    record, _ = service.generate("web")
    before = store.dump()
    url = verifier_url if blocker == "a verifier" else store.url
    with _session(url) as session:
        _hold_the_token(blocker, session, record.id)
        started = time.monotonic()
        result = cli_process(
            "--database", store.url, "tokens", "revoke", "--project", "web", str(record.id)
        )
        took = time.monotonic() - started
        holder = session.info.backend_pid
        assert store.dump() == before  # nothing was revoked, nor audited
    assert result.returncode == 1, result.stderr
    assert took < PROMPTLY
    assert "the token's row is locked by another session" in result.stderr
    assert f"pid {holder}" in result.stderr
    assert "nothing was revoked, try again" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert service.list_tokens("web")[0].id == record.id


@pytest.mark.only_backend("postgresql")
def test_a_revoke_that_had_to_wait_for_a_lock_says_so(service, store):
    service.add_project("web")
    record, _ = service.generate("web")
    with _session(store.url) as session:
        session.execute(f"SET idle_in_transaction_session_timeout = '{BLOCKER_GIVES_UP}'")
        session.execute("BEGIN")
        session.execute("SELECT id FROM deployment_token WHERE id = %s FOR UPDATE", (record.id,))
        revoking = subprocess.Popen(
            [sys.executable, "-m", "app", "--database", store.url,
             "tokens", "revoke", "--project", "web", str(record.id)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        try:
            # Once the revoke waits for the row, let it wait 2 s: well past the 1 s worth
            # saying, well within the 5 s lock timeout.
            deadline = time.monotonic() + PROMPTLY
            while not store.query(
                "SELECT 1 FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ):
                assert revoking.poll() is None, "the revoke did not wait for the lock"
                assert time.monotonic() < deadline, "the revoke never reached the lock"
                time.sleep(0.05)
            time.sleep(2.0)
            session.execute("ROLLBACK")
            out, err = revoking.communicate(timeout=60)
        finally:
            if revoking.poll() is None:
                revoking.kill()
                revoking.communicate()
    assert revoking.returncode == 0, err
    assert f"Revoked token {record.id}" in out
    [warning] = [line for line in err.splitlines() if "warning:" in line]
    assert f"token {record.id}" in warning
    assert "waited for another session's lock" in warning
    assert service.list_tokens("web") == []


# Access control (schema version 8): the role reads through the verifier group, which
# row-level security lets read every row, and is given no level of any project.


@pytest.mark.only_backend("postgresql")
def test_grant_verifier_makes_the_role_a_member_of_the_verifier_group(verifier_url, store, cli):
    role = urlsplit(verifier_url).username
    assert store.query("SELECT pg_has_role(%s, 'deployment_tokens_verifier', 'MEMBER')", role) == [
        (True,)
    ]
    # ... and of nothing else: no level, no person's table privileges.
    assert store.query("SELECT pg_has_role(%s, 'deployment_tokens_user', 'MEMBER')", role) == [
        (False,)
    ]
    again = cli("db", "grant-verifier", role)  # granted twice: the same, no error
    assert again.code == 0, again.err
    assert f'GRANT deployment_tokens_verifier TO "{role}";' in again.out


@pytest.mark.only_backend("postgresql")
def test_the_verifier_role_verifies_through_the_command_line(verifier_url, service, cli_process):
    _, plaintext = service.generate("web")
    done = cli_process(
        "--database", verifier_url, "verify", "--project", "web", stdin=plaintext + "\n"
    )
    assert done.returncode == 0, done.stderr
    wrong = cli_process("--database", verifier_url, "verify", "--project", "api", stdin=plaintext)
    assert wrong.returncode == 1
    assert service.list_tokens("web")[0].last_used_at is not None


@pytest.mark.only_backend("postgresql")
def test_whoami_as_the_verifier_role_holds_no_level(verifier_url, service):
    with open_service(verifier_url, create=False) as verifier:
        identity = verifier.whoami()
    assert identity.role == urlsplit(verifier_url).username
    assert identity.levels == ()


@pytest.mark.only_backend("postgresql")
def test_a_verifier_granted_before_version_8_keeps_verifying_after_the_upgrade(store, cli_process):
    """db grant-verifier of the release before (no verifier group) on a version 7
    database; then the owner upgrades: the role joins the group and verifies, through
    the API and the command line, and still writes nothing itself."""
    import psycopg

    from app.store import db, migrations, verifier_role

    role = f"old_verifier_{store.name}"
    store.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        database = db.connect(store.url)
        try:
            migrations.migrate_forward(database, target=7)
        finally:
            database.close()
        *before_version_8, group = verifier_role.statements(role)
        assert group == f'GRANT deployment_tokens_verifier TO "{role}"'
        for statement in before_version_8:
            store.execute(statement)
        store.execute(f'REVOKE deployment_tokens_verifier FROM "{role}"')  # if the cluster had it
        with open_service(store.url) as owner:  # the owner's open upgrades it (through version 8)
            owner.add_project("web")
            _, plaintext = owner.generate("web")
        assert store.query("SELECT version FROM schema_version") == [(migrations.LATEST_VERSION,)]
        assert store.query(
            "SELECT pg_has_role(%s, 'deployment_tokens_verifier', 'MEMBER')", role
        ) == [(True,)]
        url = _as_role(store.url, role)
        with open_service(url, create=False) as verifier:
            assert verifier.verify(plaintext, "web") == "web"
        done = cli_process("--database", url, "verify", "--project", "web", stdin=plaintext)
        assert done.returncode == 0, done.stderr
        before = store.dump()
        with psycopg.connect(url, autocommit=True) as session:
            for statement in (
                "UPDATE deployment_token SET last_used_at = '1999-01-01'",
                "DELETE FROM deployment_token",
                "SELECT id FROM deployment_token FOR UPDATE",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    session.execute(statement)
        assert store.dump() == before
    finally:
        store.execute(f'DROP OWNED BY "{role}"')
        store.execute(f'DROP ROLE "{role}"')


@pytest.mark.only_backend("sqlite")
def test_an_sqlite_file_has_no_exchanger_to_grant(cli, service):
    result = cli("db", "grant-exchanger", "gateway")
    assert result.code == 2
    assert "grant-exchanger is for PostgreSQL" in result.err


@pytest.mark.only_backend("postgresql")
def test_grant_exchanger_gives_the_exchange_and_grant_verifier_does_not(
    store, cli, service, verifier_url
):
    """db grant-verifier leaves dt_exchange out (schema 12); db grant-exchanger adds it."""
    import psycopg

    check = "SELECT has_function_privilege(current_user, %s, 'EXECUTE')"
    function = "dt_exchange(bigint, text, text, timestamp, text, text, text)"
    with psycopg.connect(verifier_url, autocommit=True) as connection:
        assert connection.execute(check, (function,)).fetchone() == (False,)
    role = urlsplit(verifier_url).username
    granted = cli("db", "grant-exchanger", role)
    assert granted.code == 0, granted.err
    assert f"GRANT EXECUTE ON FUNCTION {function}" in granted.out
    assert "exchange trusted deployers' ID tokens" in granted.err
    with psycopg.connect(verifier_url, autocommit=True) as connection:
        assert connection.execute(check, (function,)).fetchone() == (True,)
