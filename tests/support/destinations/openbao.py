"""The real OpenBao: ``bao server -dev`` from the venv, and one test's view of it."""

from __future__ import annotations

import contextlib
import ctypes
import json
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.destinations.http_fake import free_port

# The least privilege a push and the "Test" button need on one KV v2 secret: read it
# (the version for check-and-set, the other fields to keep), write it, and set its custom
# metadata. The README documents this text.
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
POLICY_TEMPLATE = """\
path "{mount}/data/{path}" {{
  capabilities = ["create", "read", "update"]
}}
path "{mount}/metadata/{path}" {{
  capabilities = ["create", "read", "update"]
}}
"""


def _die_with_parent() -> None:
    """In the child, before bao starts: should the test process die without its
    fixtures' clean-up (killed, a crash), the kernel ends bao too: no orphans."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class BaoServer:
    """``bao server -dev`` from the venv, on a free port: in memory, KV v2 at secret/."""

    def __init__(self, *, tls: bool = False) -> None:
        self.port = free_port()
        self.root_token = "root-" + secrets.token_hex(12)
        self.tls = tls
        self._directory = tempfile.TemporaryDirectory(prefix="bao-test-")
        self._process: subprocess.Popen[bytes] | None = None
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def cacert(self) -> str:
        """The dev CA's certificate (``-dev-tls`` only)."""
        return str(Path(self._directory.name) / "vault-ca.pem")

    def start(self) -> None:
        if self._process is not None:
            return
        binary = Path(sys.executable).with_name("bao")
        command = [
            str(binary),
            "server",
            "-dev",
            f"-dev-root-token-id={self.root_token}",
            f"-dev-listen-address=127.0.0.1:{self.port}",
        ]
        if self.tls:
            command += ["-dev-tls", f"-dev-tls-cert-dir={self._directory.name}"]
        log = Path(self._directory.name) / "bao.log"
        with log.open("ab") as output:
            self._process = subprocess.Popen(
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            if self._healthy():
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"bao server -dev did not start:\n{log.read_text()[-3000:]}")

    def stop(self) -> None:
        """Kill the server (its data is gone: dev mode keeps it in memory)."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
            self._process = None

    def close(self) -> None:
        self.stop()
        self._directory.cleanup()

    @property
    def running(self) -> bool:
        return self._process is not None

    def api(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        namespace: str | None = None,
    ) -> Any:
        """A call to the API as root (or ``token``); the JSON answer, or HTTPError."""
        headers = {"X-Vault-Token": token or self.root_token}
        if namespace is not None:
            headers["X-Vault-Namespace"] = namespace
        request = urllib.request.Request(  # noqa: S310 (the test's own server)
            f"{self.url}/v1/{path}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers=headers,
        )
        with urllib.request.urlopen(request, timeout=10, context=self._context()) as answer:  # noqa: S310
            raw = answer.read()
        return json.loads(raw) if raw else None

    def _context(self) -> Any:
        if not self.tls:
            return None
        import ssl

        return ssl.create_default_context(cafile=self.cacert)

    def _healthy(self) -> bool:
        try:
            if self.tls and not Path(self.cacert).exists():
                return False
            self.api("GET", "sys/health")
        except (OSError, urllib.error.URLError, ValueError):
            return False
        return True


@dataclass
class OpenBao:
    """One test's view of the shared server: its own path prefix under secret/."""

    server: BaoServer
    path_prefix: str

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def root_token(self) -> str:
        return self.server.root_token

    def api(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        namespace: str | None = None,
    ) -> Any:
        return self.server.api(method, path, body, token, namespace)

    def namespace_with_kv(self) -> str:
        """A new namespace of its own with KV version 2 mounted at kv/; its name."""
        name = "ns" + secrets.token_hex(4)
        self.api("POST", f"sys/namespaces/{name}")
        kv = {"type": "kv", "options": {"version": "2"}}
        self.api("POST", "sys/mounts/kv", kv, namespace=name)
        return name

    def read(self, location: str, version: int | None = None) -> dict[str, Any]:
        """The ``data`` answer (data and metadata) of a secret given as MOUNT/PATH."""
        mount, _, rest = location.partition("/")
        query = "" if version is None else f"?version={version}"
        return dict(self.api("GET", f"{mount}/data/{rest}{query}")["data"])

    def write(self, location: str, data: dict[str, str]) -> int:
        mount, _, rest = location.partition("/")
        return int(self.api("POST", f"{mount}/data/{rest}", {"data": data})["data"]["version"])

    def metadata(self, location: str) -> dict[str, Any]:
        mount, _, rest = location.partition("/")
        return dict(self.api("GET", f"{mount}/metadata/{rest}")["data"])

    def policy(self, location: str) -> str:
        mount, _, rest = location.partition("/")
        return POLICY_TEMPLATE.format(mount=mount, path=rest)

    def least_privilege_token(self, location: str) -> str:
        """A token whose only policy (besides default) is ``POLICY_TEMPLATE`` for one path."""
        name = "dt-" + secrets.token_hex(6)
        self.api("PUT", f"sys/policies/acl/{name}", {"policy": self.policy(location)})
        created = self.api("POST", "auth/token/create", {"policies": [name], "ttl": "10m"})
        return str(created["auth"]["client_token"])

    def stop(self) -> None:
        self.server.stop()

    def start(self) -> None:
        self.server.start()
