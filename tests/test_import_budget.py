"""What each hot path may import: the one guard for the start-up and verify work.

The benchmarks justify two budgets (BENCHMARKS.md): ``deployment-tokens verify`` as a
process, which pipelines run on every deployment, and the desktop app's first paint.
Modules imported lazily elsewhere in the code are lazy for one of these two lists; a
module that is not on a list may be written plainly. Adding to a list is a decision:
measure it with ``make bench`` first.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap

import pytest

# Ours that verify on an SQLite file loads: the launcher, the parts of the command line
# that build verify's parser alone and read the token, the plain-SQL verifier and what it
# needs. Not app.durations: verify takes no duration (app.cli.lifetimes does).
VERIFY_MAY_IMPORT = {
    "app",
    "app.__main__",
    "app.cli",
    "app.cli.arguments",
    "app.cli.output",
    "app.cli.token_input",
    "app.cli.verify",
    "app.config",
    "app.errors",
    "app.hardening",
    "app.names",
    "app.store",
    "app.store.locations",
    "app.store.plain_sql",
    "app.store.schema",
    "app.tokens",
    "app.verification",
}
# Each of these cost the verify process more than the lookup itself (measured in issue 5).
VERIFY_MUST_NOT_IMPORT = {
    "peewee",
    "playhouse",
    "psycopg",
    "PySide6",
    "platformdirs",
    "logging",
    "dataclasses",
    "json",
    "inspect",
    "asyncio",
    "random",
    # 2 ms each: annotations need no typing at run time, and argparse's stock help
    # formatter imports shutil for every option added (app.cli.arguments has its own).
    "typing",
    "shutil",
    # The Unicode tables for names: 1 MB of JSON, only where a name is given.
    "confusable_homoglyphs",
}

# Ours that the desktop app loads before its window is first painted.
FIRST_PAINT_MAY_IMPORT = {
    "app",
    "app.__main__",
    "app.cli",
    "app.cli.arguments",
    "app.cli.output",
    "app.config",
    "app.desktop_entry",
    "app.durations",
    "app.errors",
    "app.hardening",
    "app.store",
    "app.store.schema",
    "ui",
    "ui.application",
    "ui.clipboard",
    # The window's sidebar, part of the frame in a module of its own: importing the
    # frame costs no more for it (python -X importtime, median of 15).
    "ui.global_sidebar",
    "ui.main_window",
    "ui.resources",
}
# The store and every page load after the paint, behind "Opening the database…"; hmac
# (and secrets, which imports it) starts OpenSSL, about 3 ms of a 100 ms start.
FIRST_PAINT_MUST_NOT_IMPORT = {
    "peewee",
    "playhouse",
    "psycopg",
    "asyncio",
    "platformdirs",
    "hmac",
    "_hashlib",
    "secrets",
    "confusable_homoglyphs",
}

# Printed with repr, not json: the report must not import what it looks for.
REPORT = """
import sys
ours = sorted(m for m in sys.modules if m.split(".")[0] in ("app", "ui"))
roots = sorted({m.split(".")[0] for m in sys.modules})
print("BUDGET " + repr({"ours": ours, "roots": roots}))
"""


def loaded_by(completed: subprocess.CompletedProcess[str]) -> tuple[set[str], set[str]]:
    [line] = [line for line in completed.stdout.splitlines() if line.startswith("BUDGET ")]
    report = ast.literal_eval(line.removeprefix("BUDGET "))
    return set(report["ours"]), set(report["roots"])


def cli_reporting(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the command line with ``argv`` in a process of its own, through the launcher as
    ``deployment-tokens`` does, then report what it imported (exiting with the command's
    code)."""
    probe = f"import sys\nfrom app.__main__ import main\ncode = main(sys.argv[1:])\n{REPORT}\n"
    return subprocess.run(
        [sys.executable, "-c", probe + "sys.exit(code)\n", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def verified(service, database_url):
    service.add_project("web")
    _, plaintext = service.generate("web")
    return cli_reporting("--database", database_url, "verify", stdin=plaintext + "\n")


@pytest.mark.only_backend("sqlite")
def test_verify_on_sqlite_stays_within_its_import_budget(verified):
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("web\n")
    ours, roots = loaded_by(verified)
    assert ours - VERIFY_MAY_IMPORT == set()
    assert roots & VERIFY_MUST_NOT_IMPORT == set()


# What `tokens generate` may not load on an SQLite file: it writes through app.issuing,
# the plain-SQL write the service makes too (the store layer costs 50 ms a process).
GENERATE_MUST_NOT_IMPORT = VERIFY_MUST_NOT_IMPORT - {"random"}  # secrets needs random
GENERATE_MAY_IMPORT = VERIFY_MAY_IMPORT | {
    # The levels the issuer checks on PostgreSQL: a few constants and two functions.
    "app.access_levels",
    # The audit chain's link, which SQLite's appender makes: hashlib and datetime, both
    # loaded already (no json, no dataclasses).
    "app.audit_chain",
    "app.cli.lifetimes",
    "app.cli.tokens",
    "app.durations",
    "app.issuing",
    "app.lifecycle",
    "app.shown",
}


@pytest.mark.only_backend("sqlite")
def test_tokens_generate_on_sqlite_stays_within_its_import_budget(service, database_url):
    service.add_project("web")
    service.add_environment("web", "production")
    generated = cli_reporting(
        "--database", database_url, "tokens", "generate", "--project", "web",
        "--name", "ci", "--expires-in", "30d", "--environment", "production",
    )  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    assert "Generated token" in generated.stderr
    [record] = service.list_tokens("web")
    assert (record.name, record.environments) == ("ci", ("production",))
    ours, roots = loaded_by(generated)
    assert ours - GENERATE_MAY_IMPORT == set()
    assert roots & GENERATE_MUST_NOT_IMPORT == set()


def test_the_first_paint_stays_within_its_import_budget(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    probe = textwrap.dedent(
        f"""
        import os, sys
        from ui.main_window import MainWindow

        def first_paint(window, event):
            {textwrap.indent(REPORT, " " * 12).strip()}
            sys.stdout.flush()
            os._exit(0)

        MainWindow.paintEvent = first_paint
        from app.__main__ import main
        main(["--database", "sqlite:///{tmp_path / "start.db"}"])
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    ours, roots = loaded_by(result)
    assert ours - FIRST_PAINT_MAY_IMPORT == set()
    assert roots & FIRST_PAINT_MUST_NOT_IMPORT == set()


def test_the_budgets_name_real_modules():
    """A renamed module must not leave a budget that guards nothing."""
    import importlib.util

    for name in VERIFY_MAY_IMPORT | FIRST_PAINT_MAY_IMPORT:
        assert importlib.util.find_spec(name) is not None, name


# PostgreSQL's driver (with asyncio) and peewee's PostgreSQL and CockroachDB modules:
# about 200 ms that a user of an SQLite file must never pay (issue "Performance as a user
# feels it").
POSTGRESQL_MODULES = {
    "psycopg",
    "psycopg2",
    "asyncio",
    "playhouse.postgres_ext",
    "playhouse.cockroachdb",
    "playhouse.db_url",
}

LOADED = """
import sys
print("LOADED " + repr(sorted(sys.modules)))
"""


CLI_THEN_LOADED = (
    "import sys\nfrom app.__main__ import main\ncode = main(sys.argv[1:])\n"
    f"{LOADED}\nsys.exit(code)\n"
)


def loaded_modules(completed: subprocess.CompletedProcess[str]) -> set[str]:
    [line] = [line for line in completed.stdout.splitlines() if line.startswith("LOADED ")]
    return set(ast.literal_eval(line.removeprefix("LOADED ")))


@pytest.mark.only_backend("sqlite")
@pytest.mark.parametrize(
    "argv",
    [
        ("projects", "add", "api"),
        ("projects", "list"),
        ("tokens", "generate", "--project", "web"),
        ("tokens", "list", "--project", "web"),
        ("audit", "--project", "web"),
        ("verify",),
    ],
)
def test_no_postgresql_code_loads_for_an_sqlite_database(service, database_url, argv):
    service.add_project("web")
    _, plaintext = service.generate("web")
    probe = CLI_THEN_LOADED
    result = subprocess.run(
        [sys.executable, "-c", probe, "--database", database_url, *argv],
        input=plaintext + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert loaded_modules(result) & POSTGRESQL_MODULES == set()


@pytest.mark.only_backend("sqlite")
def test_the_app_on_sqlite_loads_no_postgresql_code(service, database_url, tmp_path):
    service.add_project("web")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    probe = textwrap.dedent(
        f"""
        import os, sys
        from ui.main_window import MainWindow

        attach = MainWindow.attach_service

        def attached(window, service):
            attach(window, service)
            window.open_project(window.projects_page().projects()[0])
            {textwrap.indent(LOADED, " " * 12).strip()}
            sys.stdout.flush()
            os._exit(0)

        MainWindow.attach_service = attached
        from app.__main__ import main
        main(["--database", {database_url!r}])
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = loaded_modules(result)
    assert "peewee" in loaded  # the store is open: the probe ran late enough
    assert loaded & POSTGRESQL_MODULES == set()


@pytest.mark.only_backend("postgresql")
def test_postgresql_still_loads_its_driver_when_asked(service, database_url):
    service.add_project("web")
    probe = CLI_THEN_LOADED
    result = subprocess.run(
        [sys.executable, "-c", probe, "--database", database_url, "projects", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "web" in result.stdout
    assert "psycopg" in loaded_modules(result)
