"""A real gateway: Debian's nginx on loopback, configured with docs/nginx, in front of a
tiny deploy hook, asking the verification service about every request's token."""

from __future__ import annotations

import contextlib
import http.client
import http.server
import json
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
from tests.support import backends, shared
from tests.support.serving import free_port, request, serve_process

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
    """The deployer behind the gateway: says, as JSON, the path it was asked for and the
    headers it was told who and what by (every value of each)."""

    seen: list[dict[str, object]]

    def do_GET(self) -> None:
        self._answer(b"")

    def do_POST(self) -> None:
        self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _answer(self, body: bytes) -> None:
        told = {
            name.title(): self.headers.get_all(name)
            for name in {n.lower() for n in self.headers}
            if name.startswith("x-deployment-") or name in ("authorization", "content-type")
        }
        request = {"method": self.command, "path": self.path, "headers": told}
        request["body"] = body.decode(errors="replace")
        self.seen.append(request)
        answer = json.dumps(request).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def running_deploy_hook() -> Iterator[tuple[int, list[dict[str, object]]]]:
    seen: list[dict[str, object]] = []
    handler = type("DeployHook", (_DeployHook,), {"seen": seen})
    hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=hook.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield int(hook.server_address[1]), seen
    finally:
        hook.shutdown()
        hook.server_close()


@contextlib.contextmanager
def running_nginx(serve_port: int, hook_port: int, prefix: Path) -> Iterator[int]:
    """nginx with docs/nginx's locations in front of serve and the deploy hook; its port."""
    port = free_port()
    prefix.mkdir()
    conf = prefix / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            # As root, nginx's workers need a user; the test files are readable by all.
            user="user nobody nogroup;" if os.geteuid() == 0 else "",
            prefix=prefix,
            serve_port=serve_port,
            hook_port=hook_port,
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


# One database, serve, deploy hook and nginx for the module: starting and stopping them
# took most of each test's time. Each test still starts from a database with one project,
# "web" (fresh_projects), and a deploy hook that has seen nothing; the one test that
# stops serve has a serve and an nginx of its own.


@pytest.fixture(scope="module")
def module_store(backend, tmp_path_factory, request) -> Iterator[backends.TestStore]:
    with shared.module_store(backend, tmp_path_factory.mktemp("gateway"), request) as store:
        yield store


@pytest.fixture
def store(module_store) -> backends.TestStore:
    """Every test of the module on the module's database (see fresh_projects)."""
    return module_store


@pytest.fixture(autouse=True)
def fresh_projects(service) -> None:
    """What a fresh database with the project "web" holds: every project another test
    made is deleted, with its tokens, environments and audit trail."""
    for project in service.list_projects():
        service.delete_project(project.name)
    service.add_project("web")


@pytest.fixture(scope="module")
def started(module_store, tmp_path_factory) -> Iterator[shared.Started]:
    """serve, nginx and the deploy hook, each started by the first test that asks for it
    and stopped after the last, before the database goes; serve must then exit 0."""
    with shared.started_once(tmp_path_factory.mktemp("gateway-processes")) as started:
        yield started


@pytest.fixture
def deploy_hook(started) -> tuple[int, list[dict[str, object]]]:
    port, seen = started.get("hook", running_deploy_hook)
    seen.clear()
    return port, seen


@pytest.fixture
def serve_port(started, database_url, fresh_projects) -> int:
    log = started.directory / "serve.log"
    port, _ = started.get("serve", lambda: serve_process(database_url, log))
    return int(port)


@pytest.fixture
def gateway(started, serve_port, deploy_hook) -> int:
    prefix = started.directory / "nginx"
    return int(started.get("nginx", lambda: running_nginx(serve_port, deploy_hook[0], prefix)))


@pytest.fixture
def own_gateway(database_url, fresh_projects, deploy_hook, tmp_path):
    """nginx in front of a serve of this test's own (the shared deploy hook behind it):
    the port of nginx, and serve's process."""
    with contextlib.ExitStack() as stack:
        serve_port, process = stack.enter_context(
            serve_process(database_url, tmp_path / "serve.log")
        )
        port = stack.enter_context(running_nginx(serve_port, deploy_hook[0], tmp_path / "nginx"))
        yield port, process


def send(port: int, path: str, headers=(), method: str = "GET", body: bytes | None = None):
    """A request as a pipeline (or someone else) might send it: the path exactly as
    given, headers in order and repeated at will. Returns the status and what the
    deployer said it was told (None when the request never reached it)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        answer = response.read().decode()
    finally:
        connection.close()
    told = json.loads(answer) if response.status == 200 else None
    return response.status, told


def deploy(port: int, token: str | None, project: str = "web", environment: str | None = None):
    headers = []
    if token is not None:
        headers.append(("Authorization", f"Bearer {token}"))
    if environment is not None:
        headers.append(("X-Deployment-Environment", environment))
    return send(port, f"/deploy/{project}/", headers)


def test_a_valid_token_reaches_the_deploy_hook_and_the_token_does_not(gateway, service):
    record, plaintext = service.generate("web")
    status, told = deploy(gateway, plaintext)
    assert status == 200
    assert told["path"] == "/deploy/web/"
    assert told["headers"] == {
        "X-Deployment-Project": ["web"],
        "X-Deployment-Token-Id": [str(record.id)],
    }


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


def test_an_expired_token_is_401_whatever_project_the_path_names(gateway, service):
    """A refusal that names the token's project would confirm the token exists."""
    service.add_project("api")
    _, expired = service.generate("web", expiry=Expiry.after(timedelta(microseconds=1)))
    assert deploy(gateway, expired, project="api")[0] == 401
    assert deploy(gateway, expired, project="web")[0] == 401


def test_a_token_limited_to_environments_must_name_one(gateway, service, deploy_hook):
    service.add_environment("web", "staging")
    service.add_environment("web", "production")
    _, staging_only = service.generate("web", environments=["staging"])
    assert deploy(gateway, staging_only) == (403, None)
    status, told = deploy(gateway, staging_only, environment="Staging")
    assert status == 200
    assert told["headers"]["X-Deployment-Environment"] == ["staging"]
    assert told["headers"]["X-Deployment-Environments"] == ["staging"]
    _, seen = deploy_hook
    assert len(seen) == 1


def test_the_deployer_only_hears_the_environment_that_was_checked(gateway, service, deploy_hook):
    service.add_environment("web", "staging")
    service.add_environment("web", "production")
    _, staging_only = service.generate("web", environments=["staging"])
    headers = [
        ("Authorization", f"Bearer {staging_only}"),
        ("X-Deployment-Environment", "staging"),
        ("X-Deployment-Environment", "production"),
    ]
    send(gateway, "/deploy/web/", headers)
    # Refused, or deployed to staging (nginx 1.22 checks the first value): never to
    # production, with a token limited to staging.
    _, seen = deploy_hook
    for deployment in seen:
        assert deployment["headers"]["X-Deployment-Environment"] == ["staging"]


def test_the_deployer_is_told_the_names_as_stored_not_as_typed(gateway, service):
    service.add_environment("web", "staging")
    service.add_environment("web", "production")
    record, both = service.generate("web", environments=["staging", "production"])
    headers = [("Authorization", f"Bearer {both}"), ("X-Deployment-Environment", "PRODUCTION")]
    status, told = send(gateway, "/deploy/WEB/release?ref=main//x", headers)
    assert status == 200
    assert told["path"] == "/deploy/WEB/release?ref=main//x"
    assert told["headers"] == {
        "X-Deployment-Project": ["web"],
        "X-Deployment-Token-Id": [str(record.id)],
        "X-Deployment-Environment": ["production"],
        "X-Deployment-Environments": ["production,staging"],
    }


@pytest.mark.parametrize(
    "path",
    [
        "/deploy/other/..%2Fweb/",
        "/deploy/other/%2e%2e/web/",
        "/deploy/other%2F..%2Fweb/",
        "/deploy/web/..;/other/",
        "/deploy//web/",
        "/deploy/./web/",
        "http://{host}/deploy/other/..%2Fweb/",
    ],
)
def test_a_path_nginx_would_read_otherwise_than_the_deployer_is_refused(
    gateway, service, deploy_hook, path
):
    """nginx decodes and normalises the path it matches, and passes the deployer the
    path as sent: the two must not be able to name different projects."""
    service.add_project("other")
    _, plaintext = service.generate("web")
    path = path.format(host=f"127.0.0.1:{gateway}")  # the request line's absolute form
    status, _ = send(gateway, path, [("Authorization", f"Bearer {plaintext}")])
    assert status == 400
    _, seen = deploy_hook
    assert seen == []


def test_headers_the_client_sends_about_the_deployment_never_reach_the_deployer(gateway, service):
    service.add_project("api")
    record, plaintext = service.generate("web")
    forged = [
        ("X-Deployment-Project-Id", "7"),
        ("X-Deployment-Project", "api"),
        ("X-Deployment-Token-Id", "999999"),
        ("X-Deployment-Environments", "production"),
        ("X-Deployment-Actor", "root"),
    ]
    headers = [("Authorization", f"Bearer {plaintext}"), *forged]
    headers.append(("Content-Type", "application/json"))
    status, told = send(gateway, "/deploy/web/", headers, "POST", b'{"ref": "main"}')
    assert status == 200
    assert told["headers"] == {
        "X-Deployment-Project": ["web"],
        "X-Deployment-Token-Id": [str(record.id)],
        "Content-Type": ["application/json"],
    }
    assert (told["method"], told["body"]) == ("POST", '{"ref": "main"}')


def test_a_project_named_beyond_ascii_deploys(gateway, service):
    service.add_project("café")
    service.add_environment("café", "préprod")
    record, plaintext = service.generate("café", environments=["préprod"])
    headers = [
        ("Authorization", f"Bearer {plaintext}"),
        ("X-Deployment-Environment", "pr%C3%A9prod"),
    ]
    status, told = send(gateway, "/deploy/caf%C3%A9/", headers)
    assert status == 200
    assert told["headers"] == {
        "X-Deployment-Project": ["caf%C3%A9"],
        "X-Deployment-Token-Id": [str(record.id)],
        "X-Deployment-Environment": ["pr%C3%A9prod"],
        "X-Deployment-Environments": ["pr%C3%A9prod"],
    }
    # Lower-case escapes are the same name; another project's name is not.
    assert send(gateway, "/deploy/caf%c3%a9/", headers)[0] == 200
    assert send(gateway, "/deploy/cafe/", headers)[0] == 403


def test_the_service_refuses_two_values_of_a_scope_header(serve_port, service):
    """Behind another gateway than the documented one: gunicorn joins repeated headers
    with a comma, and the service cannot tell which one the gateway checked."""
    service.add_environment("web", "staging")
    service.add_environment("web", "production")
    _, staging_only = service.generate("web", environments=["staging"])
    port = serve_port
    for name, values in (
        ("X-Deployment-Environment", ("staging", "production")),
        ("X-Deployment-Project", ("web", "api")),
    ):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.putrequest("GET", "/v1/authorize")
            connection.putheader("Authorization", f"Bearer {staging_only}")
            if name != "X-Deployment-Project":
                connection.putheader("X-Deployment-Project", "web")
            for value in values:
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            said = response.read().decode()
        finally:
            connection.close()
        assert response.status == 400
        assert f"send one {name} header" in said


def test_with_the_service_stopped_the_gateway_answers_5xx(own_gateway, service):
    gateway, process = own_gateway
    _, plaintext = service.generate("web")
    assert deploy(gateway, plaintext)[0] == 200
    process.terminate()
    process.wait(timeout=30)
    status, _ = deploy(gateway, plaintext)
    assert 500 <= status < 600
