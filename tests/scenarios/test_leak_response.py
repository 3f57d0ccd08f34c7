"""A leaked token found and revoked in one step: from the command line, from the real
detect-secrets with this project's plugin, and by gitleaks' rule."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from app import tokens
from app.scanners import detect_secrets_plugin

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = Path(detect_secrets_plugin.__file__)
sqlite_only = pytest.mark.only_backend("sqlite")


def app_command(database_url: str, *argv: str) -> list[str]:
    return [sys.executable, "-m", "app", "--database", database_url, *argv]


@pytest.fixture
def leaked(service):
    """A live token, one revoked by hand, and one this database never made."""
    service.add_project("web")
    _, live = service.generate("web", "ci")
    revoked_record, revoked = service.generate("web", "old")
    service.revoke("web", revoked_record.id)
    return live, revoked, tokens.new_token()


def test_revoke_leaked_from_any_text_revokes_and_never_prints_a_token(
    database_url, service, leaked, tmp_path
):
    live, revoked, stranger = leaked
    report = f'2026-11-28 log: Bearer {live}\n{{"secret": "{revoked}"}}\nchat: {stranger}\n'
    result = subprocess.run(
        app_command(database_url, "revoke-leaked", "--source", "ticket #42"),
        input=report, capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["PROJECT", "NAME", "TOKEN", "OUTCOME"]
    assert lines[1].split() == ["web", "ci", tokens.preview(live), "revoked"]
    assert lines[2].split() == ["web", "old", tokens.preview(revoked), "already", "revoked"]
    assert lines[3].split() == ["-", "-", tokens.preview(stranger), "unknown"]
    for token in leaked:
        assert token[5:] not in result.stdout + result.stderr
    assert service.verify(live) is None
    assert service.audit_log("web")[0].detail == "leaked: found in ticket #42"


def test_a_dry_run_says_what_would_be_revoked_and_exits_1(database_url, service, leaked, tmp_path):
    live, _, _ = leaked
    result = subprocess.run(
        app_command(database_url, "revoke-leaked", "--dry-run", "--json"),
        input=live, capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)
    assert finding["outcome"] == "would be revoked"
    assert service.verify(live) == "web"


@sqlite_only
def test_a_huge_input_is_read_in_bounded_memory(database_url, service, leaked, tmp_path):
    live, _, _ = leaked
    script = (
        "import sys\n"
        "line = b'x' * 1023 + b'\\n'\n"
        "out = sys.stdout.buffer\n"
        "for _ in range(256 * 1024): out.write(line)\n"  # 256 MiB of noise
        f"out.write(b'{live}\\n')\n"
    )
    producer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    # A process of its own runs the command, so the peak it reports is that command's.
    measured = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(done.stdout, end='')\n"
        "print(done.stderr, end='', file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", measured, *app_command(database_url, "revoke-leaked")],
        stdin=producer.stdout, capture_output=True, text=True, timeout=300, check=False,
        cwd=tmp_path,
    )  # fmt: skip
    producer.stdout.close()
    producer.wait()
    code, peak_kib = (int(value) for value in result.stdout.splitlines()[0].split())
    assert code == 0, result.stderr
    assert "revoked" in result.stdout
    assert peak_kib < 100 * 1024  # far below the input's 256 MiB


@sqlite_only
def test_the_real_detect_secrets_with_the_plugin_finds_exactly_the_valid_tokens(
    database_url, service, leaked, tmp_path
):
    live, revoked, _ = leaked
    repository = tmp_path / "repository"
    repository.mkdir()
    misses = [live[:-1] + ("A" if live[-1] != "A" else "B"), live[:-3]]
    (repository / "deploy.sh").write_text(f'export ML_DEPLOYMENT_TOKEN="{live}"\n')
    (repository / "notes.md").write_text(
        f"old token: {revoked}\nmistyped: {misses[0]}\ntruncated: {misses[1]}\n"
    )
    git = shutil.which("git")
    assert git is not None
    subprocess.run([git, "init", "-q", str(repository)], check=True, timeout=60)
    subprocess.run([git, "-C", str(repository), "add", "-A"], check=True, timeout=60)
    scanner = shutil.which("detect-secrets", path=str(Path(sys.executable).parent))
    assert scanner is not None, "detect-secrets is a test dependency"
    scan = subprocess.run(
        [scanner, "scan", "--plugin", str(PLUGIN),
         "--disable-plugin", "KeywordDetector",
         "--disable-plugin", "Base64HighEntropyString",
         "--disable-plugin", "HexHighEntropyString"],
        capture_output=True, text=True, timeout=120, check=True, cwd=repository,
    )  # fmt: skip
    baseline = json.loads(scan.stdout)
    reported = {
        (name, finding["line_number"])
        for name, findings in baseline["results"].items()
        for finding in findings
        if finding["type"] == detect_secrets_plugin.DeploymentTokenDetector.secret_type
    }
    assert reported == {("deploy.sh", 1), ("notes.md", 1)}  # not the near-misses

    revoked_now = subprocess.run(
        app_command(database_url, "revoke-leaked", "--source", "detect-secrets"),
        input=scan.stdout, capture_output=True, text=True, timeout=60, check=False,
        cwd=repository,
    )  # fmt: skip
    assert revoked_now.returncode == 0, revoked_now.stderr
    outcomes = {line.split()[1]: line.split()[3:] for line in revoked_now.stdout.splitlines()[1:]}
    assert outcomes == {"ci": ["revoked"], "old": ["already", "revoked"]}
    verified = subprocess.run(
        app_command(database_url, "verify"),
        input=live, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "ML_DEPLOYMENT_TOKEN": ""},
    )  # fmt: skip
    assert verified.returncode == 1


def test_the_plugin_checks_the_checksum_as_the_app_does():
    for _ in range(200):
        token = tokens.new_token()
        assert detect_secrets_plugin.checksum_matches(token[5:48], token[48:])
        wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert not detect_secrets_plugin.checksum_matches(wrong[5:48], wrong[48:])


def test_the_gitleaks_rule_matches_tokens_and_names_the_revocable_type():
    from app.http_api import REVOCABLE_TOKEN_TYPE

    config = tomllib.loads((ROOT / "docs" / "scanners" / "gitleaks.toml").read_text())
    [rule] = config["rules"]
    pattern = re.compile(rule["regex"])
    token = tokens.new_token()
    match = pattern.search(f'TOKEN="{token}"')
    assert match is not None
    assert match.group(rule["secretGroup"]) == token
    assert pattern.search(f"x{token}extra") is None
    # GitLab names a finding's type "gitleaks_rule_id_" + the rule's description.
    named = "gitleaks_rule_id_" + rule["description"].lower().replace(" ", "_")
    assert named == REVOCABLE_TOKEN_TYPE
