"""Fixtures shared by every test: an isolated environment and a fresh database each.

The database comes from one fixture, ``store``, parametrized by backend: SQLite by
default, PostgreSQL with ``--backend=postgresql`` (or ``all``). PostgreSQL tests use the
cluster named by DEPLOYMENT_TOKENS_TEST_POSTGRESQL, or start a throwaway one themselves.
"""

from __future__ import annotations

import os
import tempfile

# Before anything can import Qt: without a display Qt would abort the whole run.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# English, whatever the developer's own language: the tests read the app's English labels
# (tests/ui/test_translations.py asks for German itself). Qt takes the language from these.
os.environ.pop("LANGUAGE", None)
os.environ.pop("LC_ALL", None)
os.environ.pop("LC_MESSAGES", None)
os.environ["LANG"] = "C.UTF-8"
# Qt reads the settings location once per process: a test that forgets to pass its own
# QSettings must still never write to the developer's ~/.config.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="deployment-tokens-test-config-")

import contextlib
import io
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import settings

from app import config, open_service, tokens
from app.cli import main
from app.service import TokenService
from devtools import postgresql_cluster
from tests.support.backends import BACKENDS, PostgresqlStore, SqliteStore, TestStore

# No deadline for property tests: on a loaded CI machine (two workers on two cores) a slow
# first example, a module imported on first use, must not read as "unreliable timings".
settings.register_profile("loaded-machine", deadline=None)
settings.load_profile("loaded-machine")

# The desktop app's fixtures (a wired main window) for the ui tests and the scenarios; a
# real SMTP server and a webhook receiver for the notification tests; a real OpenBao and
# fakes of GitHub's and GitLab's APIs for the destination tests.
pytest_plugins = [
    "pytester",
    "tests.support.windows",
    "tests.support.serving",
    "tests.support.mail",
    "tests.support.receivers",
    "tests.support.destinations",
]

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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=(*BACKENDS, "all"),
        default="sqlite",
        help="the database backend the suite runs against (default: sqlite)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("backend")
        backends = list(BACKENDS) if chosen == "all" else [chosen]
        metafunc.parametrize("backend", backends, scope="session")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "only_backend(name): a test of what only that backend does (an SQLite file's "
        "permissions, a PostgreSQL server going down); run in that backend's pass only",
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ["XDG_CONFIG_HOME"], ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, dropped = [], []
    for item in items:
        marker = item.get_closest_marker("only_backend")
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend") if callspec is not None else None
        if marker is not None and backend is not None and backend != marker.args[0]:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_report_header(config: pytest.Config) -> str:
    return f"database backend: {config.getoption('backend')}"


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
    monkeypatch.delenv(config.SMTP_URL_ENV, raising=False)
    # A developer's own credentials must never reach a destination test's fakes.
    for variable in ("VAULT_TOKEN", "BAO_TOKEN", "VAULT_CACERT", "BAO_CACERT", "VAULT_NAMESPACE",
                     "BAO_NAMESPACE", "GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL",
                     "GITLAB_TOKEN"):  # fmt: skip
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture(autouse=True)
def no_modal_window_left() -> Iterator[None]:
    """After a Qt test, hide the modal windows it left open: the parent a dialog was
    opened on is deleted later, and until then the dialog would still be the next test's
    ``QApplication.activeModalWidget()``, whichever test xdist runs next."""
    yield
    widgets = sys.modules.get("PySide6.QtWidgets")  # never imports Qt for other tests
    if widgets is None or widgets.QApplication.instance() is None:
        return
    for widget in widgets.QApplication.topLevelWidgets():
        if widget.isModal() and widget.isVisible():
            widget.hide()


@pytest.fixture
def salt() -> bytes:
    return TEST_SALT.encode()


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "tokens.db"


@pytest.fixture
def sqlite_url(database_path: Path) -> str:
    """For tests of what only an SQLite file does (permissions, WAL, corruption)."""
    return f"sqlite:///{database_path}"


@pytest.fixture(scope="session")
def postgresql_admin_url(backend: str) -> Iterator[str]:
    """The test cluster's admin URL: the one .ci/run started, or a throwaway one."""
    given = os.environ.get(postgresql_cluster.ADMIN_URL_ENV)
    if given:
        yield given
        return
    with postgresql_cluster.running_cluster() as cluster:
        yield cluster.admin_url


@pytest.fixture
def own_cluster(backend: str) -> Iterator[postgresql_cluster.ThrowawayCluster]:
    """A PostgreSQL server of this test's own, which the test may stop and start."""
    assert backend == "postgresql", "mark the test only_backend('postgresql')"
    with postgresql_cluster.running_cluster() as cluster:
        yield cluster


@contextlib.contextmanager
def fresh_store(
    backend: str, sqlite_path: Path, request: pytest.FixtureRequest
) -> Iterator[TestStore]:
    """An empty database on ``backend``: a file at ``sqlite_path``, or a PostgreSQL
    database of its own on the test cluster, dropped afterwards."""
    if backend == "sqlite":
        yield SqliteStore(sqlite_path)
        return
    created = PostgresqlStore(request.getfixturevalue("postgresql_admin_url"))
    try:
        yield created
    finally:
        created.drop()


@pytest.fixture
def store(backend: str, database_path: Path, request: pytest.FixtureRequest) -> Iterator[TestStore]:
    """A fresh, empty database on the backend under test."""
    with fresh_store(backend, database_path, request) as created:
        yield created


@pytest.fixture
def another_store(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[TestStore]:
    """A second fresh database on the same backend, for tests that compare two."""
    with fresh_store(backend, tmp_path / "another.db", request) as created:
        yield created


@pytest.fixture
def database_url(store: TestStore) -> str:
    return store.url


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


@pytest.fixture
def stepping_service(database_url):
    """A service whose clock moves a minute per call, so every token has its own time."""
    moments = iter(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i) for i in range(10**5))
    with open_service(database_url, clock=lambda: next(moments)) as service:
        yield service
