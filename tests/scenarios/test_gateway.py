"""A real gateway: Debian's nginx on loopback, configured with docs/nginx, in front of a
tiny deploy hook, asking the verification service about every request's token."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from app import tokens
from app.lifecycle import Expiry
from tests.support.serving import free_port, request

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
LOCATIONS = REPO_ROOT / "docs" / "nginx" / "deployment-tokens-locations.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed (.ci/run installs it)"
)

NGINX_CONF = """
worker_processes 1;
{user}
events {{ worker_connections 64; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream deployment_tokens {{ server 127.0.0.1:{serve_port}; keepalive 4; }}
    upstream deploy_hook {{ server 127.0.0.1:{hook_port}; }}
    server {{
        listen 127.0.0.1:{port};
        include {locations};
    }}
}}
"""


class _DeployHook(http.server.BaseHTTPRequestHandler):
    """The deployer behind the gateway: says what it was asked to deploy, and by whom."""

    def do_GET(self) -> None:
        body = (
            f"deployed {self.headers['X-Deployment-Project']} "
            f"with token {self.headers['X-Deployment-Token-Id']}; "
            f"authorization seen: {self.headers.get('Authorization') or 'none'}\n"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def deploy_hook() -> Iterator[int]:
    hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _DeployHook)
    thread = threading.Thread(target=hook.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(hook.server_address[1])
    finally:
        hook.shutdown()
        hook.server_close()


@pytest.fixture
def gateway(server, deploy_hook, tmp_path) -> Iterator[int]:
    serve_port, _ = server
    port = free_port()
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    conf = prefix / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            # As root, nginx's workers need a user; the test files are readable by all.
            user="user nobody nogroup;" if os.geteuid() == 0 else "",
            prefix=prefix,
            serve_port=serve_port,
            hook_port=deploy_hook,
            port=port,
            locations=LOCATIONS,
        )
    )
    prefix.chmod(0o755)
    error_log = prefix / "error.log"
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(error_log),
         "-g", f"daemon off; pid {prefix}/nginx.pid;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    try:
        while True:
            try:
                request(port, "GET", "/nothing-here")
                break
            except OSError:
                assert process.poll() is None, error_log.read_text(errors="replace")
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def deploy(port: int, token: str | None, project: str = "web", environment: str | None = None):
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if environment is not None:
        headers["X-Deployment-Environment"] = environment
    status, _, body = request(port, "GET", f"/deploy/{project}/", headers)
    return status, body


def test_a_valid_token_reaches_the_deploy_hook_and_the_token_does_not(gateway, service):
    record, plaintext = service.generate("web")
    status, body = deploy(gateway, plaintext)
    assert status == 200
    assert body == f"deployed web with token {record.id}; authorization seen: none\n"


def test_revoked_expired_and_absent_tokens_are_401(gateway, service):
    record, revoked = service.generate("web")
    service.revoke("web", record.id)
    _, expired = service.generate("web", expiry=Expiry.after(timedelta(microseconds=1)))
    for token in (revoked, expired, None, tokens.new_token()):
        assert deploy(gateway, token)[0] == 401


def test_another_projects_token_or_environment_is_403(gateway, service):
    service.add_project("api")
    service.add_environment("web", "staging")
    service.add_environment("web", "production")
    _, api_token = service.generate("api")
    assert deploy(gateway, api_token, project="web")[0] == 403
    _, staging_only = service.generate("web", environments=["staging"])
    assert deploy(gateway, staging_only, environment="staging")[0] == 200
    assert deploy(gateway, staging_only, environment="production")[0] == 403


def test_with_the_service_stopped_the_gateway_answers_5xx(gateway, server, service):
    _, plaintext = service.generate("web")
    assert deploy(gateway, plaintext)[0] == 200
    _, process = server
    process.terminate()
    process.wait(timeout=30)
    status, _ = deploy(gateway, plaintext)
    assert 500 <= status < 600
