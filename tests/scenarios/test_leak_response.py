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
    from app.http.revocation import REVOCABLE_TOKEN_TYPE

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


def revoke_leaked(database_url, text, cwd, *options, timeout=120):
    return subprocess.run(
        app_command(database_url, "revoke-leaked", *options),
        input=text, capture_output=True, text=True, timeout=timeout, check=False, cwd=cwd,
    )  # fmt: skip


def test_a_token_in_colour_in_a_ci_log_is_revoked(database_url, service, leaked, tmp_path):
    live, _, _ = leaked
    log = f"\x1b[0Ksection_start:1:deploy\r\x1b[0K$ deploy\nTOKEN=\x1b[32m{live}\x1b[0m\n"
    result = revoke_leaked(database_url, log, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].split() == ["web", "ci", tokens.preview(live), "revoked"]
    assert live[5:] not in result.stdout + result.stderr
    assert service.verify(live) is None


def test_brackets_before_a_token_do_not_stop_revoke_leaked(database_url, service, leaked, tmp_path):
    live, _, _ = leaked
    result = revoke_leaked(database_url, "[" * 1000 + live, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].split() == ["web", "ci", tokens.preview(live), "revoked"]
    assert service.verify(live) is None


def test_ten_thousand_decoys_do_not_hide_a_real_token(database_url, service, leaked, tmp_path):
    live, _, _ = leaked
    decoys = [tokens.new_token() for _ in range(10_000)]
    result = revoke_leaked(database_url, "\n".join([*decoys, live]) + "\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert service.verify(live) is None
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert rows[-1] == ["web", "ci", tokens.preview(live), "revoked"]
    assert len(rows) <= 101  # not one line per decoy...
    assert "Looked up 10001 token(s); not listed: 9900 unknown." in result.stderr  # ...but counted


@sqlite_only
def test_the_real_detect_secrets_finds_a_token_in_colour_in_a_ci_log(
    database_url, service, leaked, tmp_path
):
    live, _, _ = leaked
    repository = tmp_path / "repository"
    repository.mkdir()
    (repository / "job.log").write_bytes(
        b"\x1b[0Ksection_start:1:deploy\r\x1b[0K\x1b[36;1m$ ./deploy.sh\x1b[0;m\n"
        + f"Using token \x1b[32;1m{live}\x1b[0;m\n".encode()
    )
    scanner = shutil.which("detect-secrets", path=str(Path(sys.executable).parent))
    assert scanner is not None, "detect-secrets is a test dependency"
    scan = subprocess.run(
        [scanner, "scan", "--plugin", str(PLUGIN), "--all-files",
         "--disable-plugin", "KeywordDetector",
         "--disable-plugin", "Base64HighEntropyString",
         "--disable-plugin", "HexHighEntropyString"],
        capture_output=True, text=True, timeout=120, check=True, cwd=repository,
    )  # fmt: skip
    findings = json.loads(scan.stdout)["results"].get("job.log", [])
    detector = detect_secrets_plugin.DeploymentTokenDetector
    assert [(f["type"], f["line_number"]) for f in findings] == [(detector.secret_type, 3)]

    result = revoke_leaked(database_url, scan.stdout, repository, "--source", "detect-secrets")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].split() == ["web", "ci", tokens.preview(live), "revoked"]
    assert service.verify(live) is None


def test_the_plugin_reports_a_token_in_colour_without_the_colour():
    token = tokens.new_token()
    detector = detect_secrets_plugin.DeploymentTokenDetector()
    line = f"TOKEN=\x1b[32m{token}\x1b[0m and again \x1b(B{token}, not x{token}"
    assert list(detector.analyze_string(line)) == [token, token]


# Go's RE2 has no look-around and no back-references; its \b is ASCII's.
RE2_UNSUPPORTED = re.compile(r"\(\?[=!<]|\\[1-9]|\(\?P?<")


def test_the_gitleaks_rule_finds_a_token_in_colour():
    [rule] = tomllib.loads((ROOT / "docs" / "scanners" / "gitleaks.toml").read_text())["rules"]
    assert RE2_UNSUPPORTED.search(rule["regex"]) is None
    pattern = re.compile(rule["regex"], re.ASCII)
    token, other = tokens.new_token(), tokens.new_token()
    log = f"TOKEN=\x1b[32m{token}\x1b[0m \x1b[1;32m{other}\x1b[0m\n"
    secrets = [match.group(rule["secretGroup"]) for match in pattern.finditer(log)]
    assert secrets == [token, other]
    assert pattern.search(f"\x1b[32mx{token}") is None


@sqlite_only
def test_a_baseline_naming_files_outside_the_directory_reads_none_of_them(
    database_url, service, leaked, tmp_path
):
    live, _, _ = leaked
    _, elsewhere = service.generate("web", "elsewhere")
    repository = tmp_path / "repository"
    (repository / "sub").mkdir(parents=True)
    (repository / "deploy.sh").write_text(f"export TOKEN={live}\n")
    (tmp_path / "outside.txt").write_text(f"{elsewhere}\n")
    (repository / "to-outside").symlink_to(tmp_path / "outside.txt")
    (repository / "to-zero").symlink_to("/dev/zero")
    entry = [{"type": "Deployment Tokens token", "line_number": 1}]
    results = {
        "/dev/zero": [{"type": "Deployment Tokens token", "line_number": 10**15}],
        "to-zero": [{"type": "Deployment Tokens token", "line_number": 10**15}],
        str(tmp_path / "outside.txt"): entry,
        "../outside.txt": entry,
        "to-outside": entry,
        "sub": entry,
        "deploy.sh": entry,
    }
    baseline = json.dumps({"plugins_used": [], "results": results})
    result = revoke_leaked(database_url, baseline, repository, timeout=60)
    assert result.returncode == 0, result.stderr
    assert [line.split()[1] for line in result.stdout.splitlines()[1:]] == ["ci"]
    assert service.verify(elsewhere) == "web"  # read from no file outside
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(skipped) == 6
    for name, line in zip(list(results)[:6], skipped, strict=True):
        assert repr(name) in line
