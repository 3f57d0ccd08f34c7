"""A throwaway PostgreSQL cluster on loopback, for the tests and the benchmarks.

The cluster lives in a temporary directory, trusts local connections, skips fsync (its
data is thrown away) and is removed when it stops. Run as root, it runs the server as
the ``postgres`` user that Debian's packages create, since PostgreSQL refuses root.

``python -m devtools.postgresql_cluster run -- COMMAND...`` starts one, runs COMMAND with
``DEPLOYMENT_TOKENS_TEST_POSTGRESQL`` set to its admin URL, and stops it again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ADMIN_URL_ENV = "DEPLOYMENT_TOKENS_TEST_POSTGRESQL"
SERVER_USER = "postgres"


def server_binaries() -> Path | None:
    """The directory holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class ThrowawayCluster:
    """One PostgreSQL server with its data in a temporary directory."""

    def __init__(self, port: int | None = None) -> None:
        binaries = server_binaries()
        if binaries is None:
            raise RuntimeError("PostgreSQL is not installed (initdb not found)")
        self._binaries = binaries
        self._as_server_user = os.geteuid() == 0
        self._root = Path(tempfile.mkdtemp(prefix="deployment-tokens-pg-"))
        self._root.chmod(0o700)
        if self._as_server_user:
            shutil.chown(self._root, SERVER_USER, SERVER_USER)
        self._data = self._root / "data"
        self.port = port or free_port()
        self._initialised = False

    @property
    def admin_url(self) -> str:
        return f"postgresql://{SERVER_USER}@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://{SERVER_USER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        if not self._initialised:
            self._run(
                "initdb", "-D", str(self._data), "-U", SERVER_USER, "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync",
            )  # fmt: skip
            self._initialised = True
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self._root} "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off "
            "-c max_connections=200"
        )
        self._run(
            "pg_ctl", "-D", str(self._data), "-l", str(self._root / "server.log"),
            "-o", options, "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server (fast shutdown: open connections are cut, as in an outage)."""
        self._run("pg_ctl", "-D", str(self._data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self._root, ignore_errors=True)

    def __enter__(self) -> ThrowawayCluster:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(self._binaries / program), *arguments]
        if self._as_server_user:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise subprocess.CalledProcessError(
                result.returncode, command, result.stdout, result.stderr
            )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_cluster() -> Iterator[ThrowawayCluster]:
    cluster = ThrowawayCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[:2] != ["run", "--"]:
        print("usage: python -m devtools.postgresql_cluster run -- COMMAND...", file=sys.stderr)
        return 2
    with running_cluster() as cluster:
        print(f"PostgreSQL test cluster on 127.0.0.1:{cluster.port}", file=sys.stderr)
        environment = {**os.environ, ADMIN_URL_ENV: cluster.admin_url}
        return subprocess.run(argv[2:], env=environment, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
