"""Fixtures shared by every test: an isolated environment and a fresh SQLite file each."""

from __future__ import annotations

import os

# Before anything can import Qt: without a display Qt would abort the whole run.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import io
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import config, open_service, tokens
from app.cli import main
from app.service import TokenService

pytest_plugins = ["pytester"]

# Fixed, so a failing run can be reproduced; long enough to pass the 32-character rule.
TEST_SALT = "test-salt-0123456789-abcdefghijklmnopqrstuvwxyz"


_WHOLE_TOKEN = re.compile(r"mldt_[0-9A-Za-z]{49}")


def redact_tokens(text: str) -> str:
    """Every whole token in ``text`` cut down to its masked preview."""
    return _WHOLE_TOKEN.sub(lambda match: tokens.preview(match.group()), text)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep tokens out of test output: a failing assertion shows the values it compared,
    and the captured output sections show what the code printed."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.longrepr is not None and _WHOLE_TOKEN.search(str(report.longrepr)):
        report.longrepr = redact_tokens(str(report.longrepr))
    report.sections = [(title, redact_tokens(body)) for title, body in report.sections]


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch the developer's data directory, and start from a known environment."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv(config.SALT_ENV, TEST_SALT)
    monkeypatch.delenv(config.DATABASE_URL_ENV, raising=False)
    monkeypatch.delenv(config.TOKEN_ENV, raising=False)


@pytest.fixture
def salt() -> bytes:
    return TEST_SALT.encode()


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "tokens.db"


@pytest.fixture
def database_url(database_path: Path) -> str:
    return f"sqlite:///{database_path}"


@pytest.fixture
def service(database_url: str) -> Iterator[TokenService]:
    with open_service(database_url) as opened:
        yield opened


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Callable[..., CliResult]:
    """Run the command line in this process against the test database.

    ``stdin`` is what the command reads on standard input (bytes or text; None for an
    empty, non-terminal stdin).
    """

    def run(*argv: str, stdin: bytes | str | None = None, database: bool = True) -> CliResult:
        data = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        arguments = ["--database", database_url, *argv] if database else list(argv)
        capsys.readouterr()
        try:
            code = main(arguments)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def cli_process(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m app`` as its own process, as a pipeline would."""

    def run(
        *argv: str, stdin: str | int | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, **(env or {})}
        kwargs: dict[str, object] = {}
        if isinstance(stdin, int):
            kwargs["stdin"] = stdin
        else:
            kwargs["input"] = stdin or ""
        return subprocess.run(
            [sys.executable, "-m", "app", *argv],
            capture_output=True,
            text=True,
            env=environment,
            cwd=tmp_path,
            timeout=60,
            check=False,
            **kwargs,  # type: ignore[arg-type]
        )

    return run
