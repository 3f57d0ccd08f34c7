"""What an attacker and a clumsy user tried (issue "Hardening"), each kept as a test.

Every input here was once accepted, echoed or crashed something; each test fails on the
code before that issue.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app import open_service, tokens
from app.errors import StorageError, ValidationError
from app.store import locations
from tests.support.backends import PostgresqlStore

sqlite_only = pytest.mark.only_backend("sqlite")
postgresql_only = pytest.mark.only_backend("postgresql")


def run_app(*argv: str, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    options: dict[str, object] = {"text": True, "timeout": 60}
    if "stdout" not in kwargs:
        options["capture_output"] = True
    options.update(kwargs)
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "app", *argv], cwd=cwd, check=False, **options
    )


# 1. A password in an error


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://alice:S3cretPW@127.0.0.1:1",
        "postgresql://alice:S3cretPW@127.0.0.1:1/",
        "postgresql://alice:S3cretPW@",
        "postgresql://alice:S3cretPW@[::1/db",
    ],
)
def test_a_database_password_never_reaches_an_error(url, tmp_path):
    result = run_app("--database", url, "projects", "list", cwd=tmp_path)
    assert result.returncode == 2  # a usage error, with one line
    assert result.stderr.count("\n") == 1
    assert "S3cretPW" not in result.stderr
    assert "alice:***@" in result.stderr  # still says which URL


# 2. A whole token echoed, or stored as a name


def test_a_token_given_as_a_project_or_name_is_refused_and_never_echoed(cli, store):
    assert cli("projects", "add", "web").code == 0
    token = tokens.new_token()
    before = store.dump()
    attempts = [
        ("tokens", "list", "--project", token),
        ("tokens", "generate", "--project", token),
        ("tokens", "revoke", "--project", token, "1"),
        ("audit", "--project", token),
        ("projects", "add", token),
        ("projects", "add", f"web {token}"),
        ("tokens", "generate", "--project", "web", "--name", token),
        ("environments", "add", "--project", "web", token),
        ("clients", "add", token),
    ]
    for argv in attempts:
        result = cli(*argv)
        assert result.code != 0, argv
        assert "holds a deployment token" in result.err, argv
        assert token not in result.out + result.err, argv
        assert token[5:20] not in result.out + result.err, argv
    assert store.dump() == before  # nothing stored


def test_verify_refuses_a_token_given_as_the_project_without_echoing_it(cli, store):
    assert cli("projects", "add", "web").code == 0
    token = cli("tokens", "generate", "--project", "web").out.strip()
    for option in ("--project", "--environment"):
        result = cli("verify", option, token, stdin=token)
        assert result.code == 2
        assert token not in result.err
        assert token[5:20] not in result.err


def test_the_api_refuses_a_token_as_a_name(service):
    service.add_project("web")
    token = tokens.new_token()
    with pytest.raises(ValidationError) as refused:
        service.generate("web", token)
    assert token not in str(refused.value)
    with pytest.raises(ValidationError):
        service.check(token, token)


# 3. Simultaneous first opens of an empty PostgreSQL database


@postgresql_only
def test_simultaneous_first_opens_of_an_empty_postgresql_database_all_succeed(
    postgresql_admin_url, tmp_path
):
    for _ in range(3):
        store = PostgresqlStore(postgresql_admin_url)
        try:
            adding = [
                subprocess.Popen(
                    [sys.executable, "-m", "app", "--database", store.url, "projects", "add",
                     f"p{index}"],
                    cwd=tmp_path,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for index in range(8)
            ]  # fmt: skip
            outcomes = [(process.wait(timeout=60), process.stderr.read()) for process in adding]
            for process in adding:
                process.stdout.close()
                process.stderr.close()
            assert [code for code, _ in outcomes] == [0] * 8, outcomes
            assert len(store.query("SELECT id FROM project")) == 8
        finally:
            store.drop()


# 5. Database files and directories that others could change


@sqlite_only
@pytest.mark.parametrize("mode", [0o666, 0o602])
def test_a_database_file_others_can_write_is_refused_and_left_alone(
    cli, service, database_path, mode
):
    service.add_project("web")
    database_path.chmod(mode)
    result = cli("projects", "list")
    assert result.code == 2
    assert "can write it" in result.err
    assert f"chmod go-w {database_path}" in result.err  # how to fix it
    assert database_path.stat().st_mode & 0o777 == mode  # never changed behind the user


@sqlite_only
@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to a shared group needs root")
def test_a_database_file_a_shared_group_can_write_is_refused_naming_who(
    cli, service, database_path
):
    service.add_project("web")
    os.chown(database_path, -1, 65534)  # nogroup: nobody's primary group
    database_path.chmod(0o660)
    result = cli("projects", "list")
    assert result.code == 2
    assert "its group nogroup can write it (mode 0660)" in result.err
    assert "nobody" in result.err
    assert result.err.count("\n") == 1
    assert result.err.rstrip().endswith(f"fix it with: chmod g-w {database_path}")


@sqlite_only
def test_a_database_file_only_its_owners_private_group_can_write_is_used(
    cli, service, database_path
):
    """Debian 13 logs people in with umask 002: their files are group-writable by a
    group that is theirs alone, which gives nobody else anything."""
    if locations.group_members_besides(os.getegid(), os.geteuid()):
        pytest.skip("this user has no private group")
    service.add_project("web")
    os.chown(database_path, -1, os.getegid())
    database_path.chmod(0o660)
    result = cli("projects", "list")
    assert result.code == 0, result.err
    assert "web" in result.out


@sqlite_only
def test_a_link_to_a_database_others_can_write_is_refused(cli, service, database_path, tmp_path):
    service.add_project("web")
    database_path.chmod(0o666)
    link = tmp_path / "link.db"
    link.symlink_to(database_path)
    result = cli("--database", f"sqlite:///{link}", "projects", "list", database=False)
    assert result.code == 2
    assert "can write it" in result.err


@sqlite_only
def test_a_database_others_can_read_is_used_with_a_warning(service, database_url, database_path):
    service.add_project("web")
    database_path.chmod(0o644)
    result = run_app("--database", database_url, "projects", "list", cwd=database_path.parent)
    assert result.returncode == 0
    assert "others can read the database file" in result.stderr
    assert "chmod 600" in result.stderr


@sqlite_only
def test_a_side_file_made_by_someone_else_is_refused(cli, service, database_path):
    service.add_project("web")
    service.close()
    wal = Path(f"{database_path}-wal")
    wal.touch()
    wal.chmod(0o666)
    result = cli("projects", "list")
    assert result.code == 2
    assert "-wal" in result.err


@sqlite_only
def test_a_directory_others_can_write_is_refused_unless_sticky(cli, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    url = f"sqlite:///{shared / 'tokens.db'}"
    result = cli("--database", url, "projects", "add", "web", database=False)
    assert result.code == 2
    assert "can write it" in result.err
    assert not (shared / "tokens.db").exists()
    shared.chmod(0o1777)  # as /tmp: others cannot replace what they do not own
    assert cli("--database", url, "projects", "add", "web", database=False).code == 0


@sqlite_only
@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_database_file_of_another_user_is_refused(cli, service, database_path):
    service.add_project("web")
    os.chown(database_path, 65534, 65534)
    database_path.chmod(0o600)
    result = cli("projects", "list")
    assert result.code == 2
    assert "belongs to" in result.err
    assert "chown" in result.err


def test_a_linked_data_directory_is_checked_and_never_changed(tmp_path, cli_process):
    # conftest points XDG_DATA_HOME at tmp_path / "xdg-data".
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o750)
    target.chmod(0o750)
    (tmp_path / "xdg-data").mkdir()
    (tmp_path / "xdg-data" / "deployment-tokens").symlink_to(target)
    assert cli_process("projects", "add", "web").returncode == 0
    assert target.stat().st_mode & 0o777 == 0o750  # not chmod'ed to 0700 behind the user
    target.chmod(0o777)
    refused = cli_process("projects", "list")
    assert refused.returncode == 2
    assert "everyone can write it" in refused.stderr
    # chmod follows the link: the command works on the path the app was given.
    link = tmp_path / "xdg-data" / "deployment-tokens"
    assert refused.stderr.rstrip().endswith(f"fix it with: chmod go-w {link}")


def test_a_directory_made_under_debian_13s_login_umask_holds_a_database(tmp_path):
    """Debian 13 logs people in with umask 002 (user private groups): a directory they
    make with mkdir is group-writable, by a group that is theirs alone."""
    if locations.group_members_besides(os.getegid(), os.geteuid()):
        pytest.skip("this user has no private group")
    directory = tmp_path / "made-with-mkdir"
    url = f"sqlite:///{directory}/tokens.db"

    shell = shutil.which("sh") or "/bin/sh"
    app = (sys.executable, "-m", "app", "--database", url)

    def as_logged_in(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [shell, "-c", 'umask 002 && exec "$@"', "sh", *app, *argv],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    subprocess.run([shell, "-c", 'umask 002 && mkdir "$1"', "sh", directory], check=True)
    assert directory.stat().st_mode & 0o777 == 0o775
    added = as_logged_in("projects", "add", "web")
    assert added.returncode == 0, added.stderr
    listed = as_logged_in("projects", "list")
    assert listed.returncode == 0, listed.stderr
    assert "web" in listed.stdout


def test_a_new_data_directory_is_private(tmp_path, cli_process):
    assert cli_process("projects", "add", "web").returncode == 0
    data = tmp_path / "xdg-data" / "deployment-tokens"
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / "deployment-tokens.db").stat().st_mode & 0o777 == 0o600


# 6. Terminal control in what is echoed


def test_terminal_control_in_a_project_name_is_escaped_when_echoed(cli, store):
    typed = "x\x1b[2K\r\x1b[32mweb\x1b[0m\x9b\x1b]0;pwned\x07"
    result = cli("tokens", "list", "--project", typed)
    assert result.code == 1
    assert "there is no project named" in result.err
    for control in ("\x1b", "\r", "\x9b", "\x07"):
        assert control not in result.err
    assert "\\e[2K\\r" in result.err


# 7. Invisible and look-alike names


def test_a_project_that_would_look_like_another_is_refused(cli, store):
    assert cli("projects", "add", "web").code == 0
    for look_alike in ("w\u200beb", "w\u0435b", "web\u00ad", "\u3164"):
        result = cli("projects", "add", look_alike)
        assert result.code == 1, look_alike
    assert cli("projects", "add", "ceo").code == 0
    whole_script = cli("projects", "add", "\u0441\u0435\u043e")  # all Cyrillic, reads "ceo"
    assert whole_script.code == 1
    assert "would look like the existing project 'ceo'" in whole_script.err
    assert [p["name"] for p in json.loads(cli("projects", "list", "--json").out)] == [
        "ceo",
        "web",
    ]


# 8. Integer edge cases


@pytest.mark.parametrize("token_id", ["9223372036854775808", "1_0", "\u0662", "\uff12", "-1", "0"])
def test_token_ids_are_ascii_digits_in_range(cli, store, token_id):
    assert cli("projects", "add", "web").code == 0
    for _ in range(10):
        assert cli("tokens", "generate", "--project", "web").code == 0
    before = store.dump()
    result = cli("tokens", "revoke", "--project", "web", token_id)
    assert result.code == 2
    assert "token id" in result.err
    assert "internal error" not in result.err
    assert store.dump() == before  # "1_0" once revoked token 10


def test_the_api_refuses_ids_and_pages_out_of_range(service):
    service.add_project("web")
    huge = 2**63
    for call in (
        lambda: service.revoke("web", huge),
        lambda: service.rename_token("web", huge, "x"),
        lambda: service.token_page("web", offset=huge),
        lambda: service.token_page("web", limit=huge),
        lambda: service.audit_log("web", offset=huge),
        lambda: service.audit_log("web", offset=0, limit=0),
    ):
        with pytest.raises(ValidationError):
            call()


# 9. A token shown to nobody


@sqlite_only
def test_a_token_that_cannot_be_written_out_is_revoked_at_once(database_url, store, tmp_path):
    assert (
        run_app("--database", database_url, "projects", "add", "web", cwd=tmp_path).returncode == 0
    )
    with open("/dev/full", "w") as full:
        result = run_app(
            "--database", database_url, "tokens", "generate", "--project", "web",
            cwd=tmp_path, stdout=full, stderr=subprocess.PIPE,
        )  # fmt: skip
    assert result.returncode == 1
    assert "was revoked at once" in result.stderr
    assert "internal error" not in result.stderr
    assert store.query("SELECT id FROM deployment_token") == []
    closed = subprocess.run(
        ["/bin/sh", "-c", 'exec "$0" -m app --database "$1" tokens generate --project web >&-',
         sys.executable, database_url],
        capture_output=False, stderr=subprocess.PIPE, text=True, cwd=tmp_path, timeout=60,
        check=False,
    )  # fmt: skip
    assert closed.returncode == 2
    assert "nothing was generated" in closed.stderr
    assert len(store.query("SELECT id FROM audit_event WHERE action = 'generated'")) == 1


# 10. Verify never creates or migrates


def test_verify_against_an_uninitialised_database_changes_nothing(
    database_url, store, tmp_path, backend
):
    if backend == "sqlite":
        Path(database_url.removeprefix("sqlite:///")).touch(mode=0o600)
    result = run_app("--database", database_url, "verify", input=tokens.new_token(), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "has not been set up" in result.stderr
    assert store.tables() == []
    if backend == "sqlite":  # not even SQLite's header is written into the empty file
        assert Path(database_url.removeprefix("sqlite:///")).stat().st_size == 0


@sqlite_only
@pytest.mark.parametrize(
    "command", [("serve", "--port", "1"), ("revoke-leaked", "--dry-run")], ids=lambda c: c[0]
)
def test_commands_that_create_nothing_leave_an_empty_file_empty(tmp_path, command):
    empty = tmp_path / "empty.db"
    empty.touch(mode=0o600)
    url = f"sqlite:///{empty}"
    result = run_app("--database", url, *command, input="", cwd=tmp_path)
    assert result.returncode == 2
    assert "has not been set up: it is an empty file" in result.stderr
    assert empty.stat().st_size == 0
    with pytest.raises(StorageError, match="has not been set up"):
        open_service(url, create=False)
    assert empty.stat().st_size == 0
    assert not list(tmp_path.glob("empty.db-*"))  # no -wal or -shm beside it either


@sqlite_only
def test_verify_against_an_older_schema_does_not_upgrade_it(database_url, store, tmp_path):
    from app.store import db, migrations

    database = db.connect(database_url)
    migrations.migrate_forward(database, target=3)
    database.close()
    result = run_app("--database", database_url, "verify", input=tokens.new_token(), cwd=tmp_path)
    assert result.returncode == 2
    assert "schema version 3" in result.stderr
    assert store.query("SELECT version FROM schema_version") == [(3,)]


# 11. An idle stdin with the token in the environment


def test_verify_with_the_token_in_the_environment_never_waits_on_an_idle_pipe(
    database_url, service, tmp_path
):
    service.add_project("web")
    _, token = service.generate("web")
    started = time.monotonic()
    idle = subprocess.Popen(
        [sys.executable, "-m", "app", "--database", database_url, "verify"],
        stdin=subprocess.PIPE,  # held open, never written: as CI runners leave it
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "ML_DEPLOYMENT_TOKEN": token},
    )
    try:
        code = idle.wait(timeout=30)
    finally:
        idle.kill()
        out, _ = idle.communicate()
    assert code == 0
    assert out == "web\n"
    assert time.monotonic() - started < 20


# 12. A full disk


UNSHARE = shutil.which("unshare")


def _can_mount_a_small_disk() -> bool:
    if UNSHARE is None:
        return False
    probe = subprocess.run(
        [UNSHARE, "-rm", "/bin/true"], capture_output=True, timeout=30, check=False
    )
    return probe.returncode == 0


needs_a_small_disk = pytest.mark.skipif(
    not _can_mount_a_small_disk(),
    reason="mounting a small tmpfs needs user namespaces (not available in a chroot)",
)


def on_a_small_disk(tmp_path: Path, steps: str) -> subprocess.CompletedProcess[str]:
    """Run the Python ``steps`` with a 1 MiB tmpfs mounted at ``DISK``, in a namespace of
    their own. ``app(*argv, **kwargs)`` runs the command line; ``fill()`` takes all the
    space left."""
    disk = tmp_path / "disk"
    disk.mkdir(mode=0o700)
    script = tmp_path / "steps.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import subprocess, sys
            DISK = {str(disk)!r}
            URL = f"sqlite:///{{DISK}}/tokens.db"

            def app(*argv, **kwargs):
                return subprocess.run(
                    [sys.executable, "-m", "app", "--database", URL, *argv],
                    capture_output=True, text=True, **kwargs,
                )

            def fill():
                try:
                    with open(f"{{DISK}}/filler", "wb") as filler:
                        while True:
                            filler.write(bytes(4096))
                            filler.flush()
                except OSError:
                    pass
            """
        )
        + textwrap.dedent(steps)
    )
    return subprocess.run(
        [str(UNSHARE), "-rm", "/bin/sh", "-c",
         'mount -t tmpfs -o size=1m,mode=0700 none "$0" && exec "$1" "$2"',
         str(disk), sys.executable, str(script)],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )  # fmt: skip


@sqlite_only
@needs_a_small_disk
def test_a_full_disk_on_first_create_says_so(tmp_path):
    result = on_a_small_disk(
        tmp_path,
        """
        fill()
        added = app("projects", "add", "web")
        print(added.returncode)
        print(added.stderr, file=sys.stderr, end="")
        """,
    )
    assert result.stdout == "2\n", result.stderr
    assert "the disk is full" in result.stderr
    assert "internal error" not in result.stderr


@sqlite_only
@needs_a_small_disk
def test_a_full_disk_while_generating_says_so_and_leaves_no_token(tmp_path):
    # `tokens generate` writes with sqlite3 alone (app.issuing): its failures must read
    # as the service's do, and nothing may be half-written or shown.
    result = on_a_small_disk(
        tmp_path,
        """
        import sqlite3
        app("projects", "add", "web")
        other_client = sqlite3.connect(f"{DISK}/tokens.db")
        other_client.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        fill()
        generated = app("tokens", "generate", "--project", "web", "--name", "x" * 100)
        print(generated.returncode, repr(generated.stdout))
        print(generated.stderr, file=sys.stderr, end="")
        [[count]] = other_client.execute("SELECT COUNT(*) FROM deployment_token").fetchall()
        print(count)
        """,
    )
    assert result.stdout == "2 ''\n0\n", result.stderr
    assert "the disk is full" in result.stderr
    assert "internal error" not in result.stderr


@sqlite_only
@needs_a_small_disk
def test_a_full_disk_while_verify_records_a_use_says_so_and_still_verifies(tmp_path):
    # Another client keeps the database open (so SQLite's shared-memory file stays) with
    # an empty write-ahead log, then the disk fills: verify can read but not write.
    result = on_a_small_disk(
        tmp_path,
        """
        import sqlite3
        app("projects", "add", "web")
        token = app("tokens", "generate", "--project", "web").stdout
        other_client = sqlite3.connect(f"{DISK}/tokens.db")
        other_client.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        fill()
        verified = app("verify", input=token)
        print(verified.stdout, end="")
        print(verified.stderr, file=sys.stderr, end="")
        """,
    )
    assert result.stdout == "web\n", result.stderr
    assert "the disk is full" in result.stderr
    assert "no transaction is active" not in result.stderr


# 14. No core dumps of a process that holds a plaintext


def test_verify_runs_with_core_dumps_disabled(database_url, service, tmp_path):
    service.add_project("web")
    waiting = subprocess.Popen(
        [sys.executable, "-m", "app", "--database", database_url, "verify"],
        stdin=subprocess.PIPE,  # blocks reading the token, so its limits can be read
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 30
        limits = ""
        while time.monotonic() < deadline:
            limits = Path(f"/proc/{waiting.pid}/limits").read_text()
            core = next(line for line in limits.splitlines() if line.startswith("Max core"))
            if core.split()[4:6] == ["0", "0"]:
                break
            time.sleep(0.05)
        assert core.split()[4:6] == ["0", "0"], limits
    finally:
        waiting.kill()
        waiting.wait()
        waiting.stdin.close()
