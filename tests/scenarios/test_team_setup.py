"""The README's "Team set-up", followed word for word on a fresh PostgreSQL cluster.

Its ```sh blocks are run as they stand, line by line in bash: the superuser's block with
PGHOST/PGPORT/PGUSER naming the throwaway cluster's superuser (as after ``sudo -u postgres
-i`` on the server), every later block as the role its ``# as ROLE:`` comment names
(PGUSER=ROLE, the way libpq takes a login role), with ML_DEPLOYMENT_DATABASE_URL exactly as
the README's export line sets it. The ```ini block is the service file, with one change
that every reader makes too: the server's host and port in place of db.example.com:5432.
The cluster speaks TLS with a certificate for 127.0.0.1 signed by a CA of the test's own,
in ``~/.postgresql/root.crt`` (where libpq looks for it), so that ``sslmode=verify-full``
stays as written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.postgresql_cluster import SERVER_USER, ThrowawayCluster

pytestmark = pytest.mark.only_backend("postgresql")

README = Path(__file__).resolve().parents[2] / "README.md"
BASH = shutil.which("bash") or "/bin/bash"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
SALT = "team-salt-from-the-secret-manager-0123456789abcdef"
# The export line's placeholder: the one value a reader must bring (from their secret
# manager), so the test brings its own.
SALT_PLACEHOLDER = re.compile(r"^export ML_DEPLOYMENT_TOKEN_SALT=.*…")


def team_setup_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Team set-up\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def blocks(language: str) -> list[str]:
    """The section's fenced blocks of ``language``, dedented, in order."""
    found = re.findall(rf"^( *)```{language}\n(.*?)^\1```", team_setup_section(), re.M | re.S)
    return ["\n".join(line[len(indent) :] for line in body.splitlines()) for indent, body in found]


def by_role(block: str) -> list[tuple[str, list[str]]]:
    """A block's lines grouped under the ``# as ROLE:`` comments that start them."""
    groups: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        said = re.fullmatch(r"# as (\S+):", line.strip())
        if said:
            groups.append((said.group(1), []))
        elif line.strip():
            assert groups, f"a line before any '# as ROLE:' comment: {line!r}"
            groups[-1][1].append(line)
    return groups


def _openssl(*arguments: str, cwd: Path) -> None:
    subprocess.run([OPENSSL, *arguments], cwd=cwd, check=True, capture_output=True)


def serve_tls(cluster: ThrowawayCluster, where: Path, home: Path) -> None:
    """A CA of the test's own, a server certificate for 127.0.0.1, TLS on, and the CA
    where libpq's verify-full looks for it (~/.postgresql/root.crt). ``where`` is a
    directory the server's user can reach."""
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", "-x509", *curve, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
             "-subj", "/CN=Team set-up test CA", cwd=where)  # fmt: skip
    _openssl("req", *curve, "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=127.0.0.1", cwd=where)  # fmt: skip
    (where / "san.cnf").write_text("subjectAltName=IP:127.0.0.1\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.cnf",
             cwd=where)  # fmt: skip
    (where / "server.key").chmod(0o600)
    if os.geteuid() == 0:  # the server runs as postgres (devtools.postgresql_cluster)
        for path in (where, where / "server.key", where / "server.crt"):
            shutil.chown(path, SERVER_USER, SERVER_USER)
    (home / ".postgresql").mkdir(parents=True)
    shutil.copy(where / "ca.crt", home / ".postgresql" / "root.crt")
    import psycopg

    with psycopg.connect(cluster.admin_url, autocommit=True) as admin:
        admin.execute(f"ALTER SYSTEM SET ssl_cert_file = '{where / 'server.crt'}'")
        admin.execute(f"ALTER SYSTEM SET ssl_key_file = '{where / 'server.key'}'")
        admin.execute("ALTER SYSTEM SET ssl = on")
        admin.execute("SELECT pg_reload_conf()")
    deadline = time.monotonic() + 30
    while True:
        try:
            psycopg.connect(cluster.admin_url + "?sslmode=require").close()
            return
        except psycopg.OperationalError:
            assert time.monotonic() < deadline, "the cluster did not start speaking TLS"
            time.sleep(0.1)


@pytest.fixture
def cluster(backend: str) -> Iterator[ThrowawayCluster]:
    with ThrowawayCluster() as running:
        yield running


def bash(
    line: str, environment: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BASH, "-c", line], input=stdin, env=environment, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def test_the_readme_team_set_up_works_as_written(cluster, tmp_path) -> None:
    home = tmp_path / "home"
    tls = Path(tempfile.mkdtemp(prefix="deployment-tokens-tls-"))  # pytest's tmp is root's
    try:
        serve_tls(cluster, tls, home)
        follow_the_readme(cluster, tmp_path, home)
    finally:
        shutil.rmtree(tls, ignore_errors=True)


def follow_the_readme(cluster: ThrowawayCluster, tmp_path: Path, home: Path) -> None:
    sh = blocks("sh")
    [service_entry] = blocks("ini")
    assert len(sh) == 4, sh  # the superuser's, the exports, the owner's, the admins'
    superuser, exports, *by_roles = sh
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    base = {
        "PATH": path, "HOME": str(home), "LANG": "C.UTF-8",
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
    }  # fmt: skip

    # 1. On the server, as the superuser.
    as_superuser = {
        **base,
        "PGHOST": "127.0.0.1",
        "PGPORT": str(cluster.port),
        "PGUSER": SERVER_USER,
    }
    for line in superuser.splitlines():
        done = bash(line, as_superuser)
        assert done.returncode == 0, (line, done.stderr)

    # 2. On the workstation: the service entry, with this server in place of
    # db.example.com:5432 (the one thing a reader replaces), and the exports.
    assert "host=db.example.com\nport=5432\n" in service_entry
    service_file = tmp_path / "pg_service.conf"
    service_file.write_text(
        service_entry.replace("host=db.example.com", "host=127.0.0.1").replace(
            "port=5432", f"port={cluster.port}"
        )
        + "\n"
    )
    [url_line] = [line for line in exports.splitlines() if "ML_DEPLOYMENT_DATABASE_URL" in line]
    [salt_line] = [line for line in exports.splitlines() if "ML_DEPLOYMENT_TOKEN_SALT" in line]
    assert SALT_PLACEHOLDER.match(salt_line), salt_line
    done = bash(f'{url_line}\nprintf %s "$ML_DEPLOYMENT_DATABASE_URL"', base)
    assert done.returncode == 0, done.stderr
    workstation = {
        **base,
        "PGSERVICEFILE": str(service_file),
        "ML_DEPLOYMENT_DATABASE_URL": done.stdout,
        "ML_DEPLOYMENT_TOKEN_SALT": SALT,
    }
    assert workstation["ML_DEPLOYMENT_DATABASE_URL"] == (
        "postgresql:///deployment_tokens?service=deployment_tokens"
    )

    # 3 and 4. Each block's lines, as the role its comment names.
    said: dict[str, list[str]] = {}
    for block in by_roles:
        for role, lines in by_role(block):
            for line in lines:
                done = bash(line, {**workstation, "PGUSER": role})
                assert done.returncode == 0, (role, line, done.stdout, done.stderr)
                said[line] = [done.stdout, done.stderr]
    assert [role for block in by_roles for role, _ in by_role(block)] == [
        "deploy_tokens", "alice", "bob"
    ]  # fmt: skip

    # The end state: bob is manager of web, his token verifies, the audit log names him.
    def run(role: str, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", *argv], input=stdin, capture_output=True, text=True,
            env={**workstation, "PGUSER": role}, timeout=120, check=False,
        )  # fmt: skip

    [whoami] = [out for line, (out, _) in said.items() if line.endswith("whoami")]
    assert whoami.startswith("You are bob on ")
    assert "manager of project 'web'" in whoami
    [token] = [out.strip() for line, (out, _) in said.items() if "tokens generate" in line]
    assert token.startswith("mldt_")
    listed = json.loads(run("alice", "access", "list", "--project", "web", "--json").stdout)
    assert {"role": "bob", "project": "web", "level": "manager"} in listed
    assert {"role": "alice", "project": None, "level": "admin"} in listed
    for role in ("deploy_gateway", "bob"):
        verified = run(role, "verify", "--project", "web", stdin=token + "\n")
        assert verified.returncode == 0, (role, verified.stderr)
    events = json.loads(run("alice", "audit", "--project", "web", "--json").stdout)
    assert [e["actor"] for e in events if e["action"] == "generated"] == ["bob"]
    tokens_listed = json.loads(run("bob", "tokens", "list", "--project", "web", "--json").stdout)
    assert [t["name"] for t in tokens_listed] == ["GitHub Actions"]
    # Over TLS, verified against the CA: the connection the service entry asks for.
    ssl = bash(
        "psql -X -A -t -d 'service=deployment_tokens' "
        "-c 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'",
        {**workstation, "PGUSER": "bob"},
    )
    assert ssl.stdout.strip() == "t", ssl.stderr


def test_every_sh_block_of_the_team_set_up_is_valid_bash(backend) -> None:
    for block in blocks("sh"):
        done = subprocess.run(
            [BASH, "-n"], input=block, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, (block, done.stderr)
