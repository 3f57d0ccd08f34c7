"""app.store.orm: peewee imported without its drivers, and PostgreSQL on psycopg 3 all the same.

What app/store/orm.py relies on in peewee (its psycopg 3 adapter, the module it read at import
time) is not public API: these tests hold it on the peewee that pyproject.toml pins.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.store import db, orm

REPO_ROOT = Path(__file__).resolve().parents[3]

# What no SQLite user may pay for: the drivers, asyncio (psycopg's), peewee's extensions.
POSTGRESQL_CODE = {
    "psycopg",
    "psycopg2",
    "psycopg2cffi",
    "pymysql",
    "MySQLdb",
    "asyncio",
    "playhouse.postgres_ext",
    "playhouse.cockroachdb",
    "playhouse.db_url",
}


def run_python(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it ends with ``report(**values)``."""
    prelude = (
        "import sys\n"
        "def report(**values):\n"
        "    values['leftover'] = sorted(n for n, m in sys.modules.items() if m is None)\n"
        "    values['loaded'] = sorted(sys.modules)\n"
        "    print('REPORT ' + repr(values))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("REPORT ")]
    return ast.literal_eval(line.removeprefix("REPORT "))


def test_nothing_but_app_store_orm_imports_peewee():
    """Whichever module imported peewee first would decide whether the drivers load."""
    importers = []
    for path in sorted([*REPO_ROOT.glob("app/**/*.py"), *REPO_ROOT.glob("ui/**/*.py")]):
        if path == REPO_ROOT / "app" / "store" / "orm.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            if any(name.split(".")[0] in ("peewee", "playhouse") for name in names):
                importers.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    assert importers == []


def test_importing_peewee_through_app_orm_loads_no_driver_and_hides_nothing_after():
    seen = run_python(
        """
        from app.store import orm

        report(
            peewee_saw_psycopg=orm.peewee.psycopg is not None,
            migrate_saw_cockroachdb=orm.playhouse_migrate.CockroachDatabase is not None,
        )
        """
    )
    assert set(seen["loaded"]) & POSTGRESQL_CODE == set()
    # The drivers were hidden from peewee and playhouse.migrate alone, not from the process.
    assert seen["leftover"] == []
    assert not seen["peewee_saw_psycopg"]
    assert not seen["migrate_saw_cockroachdb"]


def test_an_sqlite_database_runs_without_any_postgresql_code(tmp_path):
    seen = run_python(
        f"""
        from app.store import db

        database = db.connect("sqlite:///{tmp_path / "tokens.db"}")
        answer = database.execute_sql("SELECT 1").fetchone()[0]
        database.close()
        report(answer=answer)
        """
    )
    assert seen["answer"] == 1
    assert set(seen["loaded"]) & POSTGRESQL_CODE == set()


ADAPTER_PROBE = """
from app.store import orm

before = "psycopg" in sys.modules
database = orm.PostgresqlDatabase("tokens", host="db.invalid", connect_timeout=1)
import psycopg
from psycopg.pq import TransactionStatus
from psycopg.types.json import Json, Jsonb

adapter = database._adapter
report(
    psycopg_before=before,
    peewee_saw_psycopg=orm.peewee.psycopg is not None,
    is_peewees_psycopg3_adapter=isinstance(adapter, orm.peewee.Psycopg3Adapter),
    statuses=[
        adapter.txn_idle is TransactionStatus.IDLE,
        adapter.txn_inerror is TransactionStatus.INERROR,
        adapter.txn_unknown is TransactionStatus.UNKNOWN,
    ],
    json=[adapter.json_type is Json, adapter.jsonb_type is Jsonb],
    binary=adapter.get_binary_type() is psycopg.Binary,
    index_value_literals=database.index_value_literals,
    isolation_level=database._isolation_level,
    params=database.connect_params,
)
"""


@pytest.mark.parametrize("first", ["app.store.orm", "peewee, the ordinary way"])
def test_postgresql_gets_psycopg_3_when_a_database_is_created(first):
    """Whether peewee was imported without its drivers (as our processes do) or with
    them (by a program that imported peewee before app), the database is the same."""
    seen = run_python(("" if first == "app.store.orm" else "import peewee\n") + ADAPTER_PROBE)
    assert seen["psycopg_before"] is (first != "app.store.orm")
    assert seen["peewee_saw_psycopg"] is (first != "app.store.orm")
    assert seen["is_peewees_psycopg3_adapter"]
    assert seen["statuses"] == [True, True, True]
    assert seen["json"] == [True, True]
    assert seen["binary"]
    # peewee inlines an index's literal values on psycopg 3 (no server-side binding in DDL).
    assert seen["index_value_literals"] is True
    assert seen["isolation_level"] is None
    assert seen["params"] == {"host": "db.invalid", "connect_timeout": 1}


def test_without_psycopg_a_postgresql_url_says_what_to_install():
    seen = run_python(
        """
        sys.modules["psycopg"] = None  # as where it is not installed
        from app.store import db
        from app.errors import ConfigurationError

        try:
            db.connect("postgresql://deploy@db.invalid/tokens")
        except ConfigurationError as error:
            message = str(error)
        report(message=message)
        """
    )
    assert "pip install 'deployment-tokens[postgresql]'" in seen["message"]


def test_drivers_are_hidden_inside_the_block_only():
    before = {name: sys.modules.get(name, "absent") for name in orm.DRIVERS_LOADED_EAGERLY}
    with orm.drivers_hidden():
        for name, module in before.items():
            if module == "absent":
                with pytest.raises(ImportError):
                    importlib.import_module(name)
            else:
                assert sys.modules[name] is module  # already imported: left alone
    assert {name: sys.modules.get(name, "absent") for name in before} == before


@pytest.mark.only_backend("postgresql")
def test_a_postgresql_connection_reports_its_state_through_the_adapter(database_url):
    database = db.connect(database_url)
    try:
        connection = database.connection()
        adapter = database._adapter
        assert isinstance(adapter, orm.peewee.Psycopg3Adapter)
        assert database.server_version >= 100000
        assert adapter.txn_status(connection) == adapter.txn_idle
        with pytest.raises(orm.peewee.ProgrammingError), database.atomic():
            database.execute_sql("SELECT no_such_column FROM no_such_table")
        # Rolled back: the connection is idle and usable again, not left in error.
        assert database.is_connection_usable()
        assert adapter.txn_status(connection) == adapter.txn_idle
        blob = database.execute_sql("SELECT %s", (adapter.get_binary_type()(b"\0\1"),))
        assert bytes(blob.fetchone()[0]) == b"\0\1"
    finally:
        database.close()
