"""deployment-tokens serve as a real process on loopback: gunicorn workers answering
authorize and introspect, logs free of secrets, metrics summed over the workers."""

from __future__ import annotations

import base64
import subprocess
import sys

from app import tokens
from tests.support.serving import request


def test_the_service_authorizes_introspects_and_logs_no_secret(server, service, tmp_path):
    port, _ = server
    record, plaintext = service.generate("web")
    _, client_secret = service.add_client("gateway")
    allowed = request(
        port,
        "GET",
        "/v1/authorize",
        {"Authorization": f"Bearer {plaintext}", "X-Deployment-Project": "web"},
    )
    assert allowed[0] == 204
    assert allowed[1]["X-Deployment-Token-Id"] == str(record.id)
    basic = base64.b64encode(f"gateway:{client_secret}".encode()).decode()
    introspected = request(
        port,
        "POST",
        "/v1/introspect",
        {"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
        f"token={plaintext}",
    )
    assert introspected[0] == 200
    assert '"active": true' in introspected[2]
    service.revoke("web", record.id)
    refused = request(
        port,
        "GET",
        "/v1/authorize",
        {"Authorization": f"Bearer {plaintext}", "X-Deployment-Project": "web"},
    )
    assert refused[0] == 401  # a revoke takes effect at once: there is no cache
    for _ in range(4):  # spread over both workers
        request(port, "GET", "/v1/authorize", {"Authorization": f"Bearer {tokens.new_token()}",
                                               "X-Deployment-Project": "web"})  # fmt: skip
    metrics = request(port, "GET", "/metrics")[2]
    unknown = next(
        line
        for line in metrics.splitlines()
        if line.startswith('deployment_tokens_verifications_total{endpoint="authorize"')
        and 'outcome="unknown"' in line
    )
    # Four unknown tokens, and the revoked one (a revoked token is gone: unknown).
    assert unknown.endswith(" 5.0")
    logged = (tmp_path / "serve.log").read_text()
    assert "/v1/authorize" in logged  # the access log runs
    for secret in (plaintext, client_secret, basic):
        assert secret not in logged
    assert "Bearer" not in logged


def test_serve_refuses_a_missing_database_in_one_line(cli_process, tmp_path):
    result = cli_process("--database", f"sqlite:///{tmp_path / 'typo.db'}", "serve")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "there is no database" in result.stderr
    assert not (tmp_path / "typo.db").exists()


def test_serve_never_imports_qt():
    probe = (
        "import sys\n"
        "from app.http.application import create_app\n"
        "import app.serve\n"
        "create_app(lambda: None)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout == "[]\n"
