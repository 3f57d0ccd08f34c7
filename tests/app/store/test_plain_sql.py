"""The plain-SQL side of the store (app.store.plain_sql) against the peewee models: every
statement names only tables and columns the models have, so a renamed column fails here
rather than in a user's pipeline; and the shared helpers (time, salt, revision) agree
with what the models store."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app import issuing
from app.store import migrations, models, plain_sql
from app.store.deployer_models import DEPLOYER_MODELS
from app.store.destination_models import DESTINATION_MODELS
from app.store.notification_models import NOTIFICATION_MODELS

TABLES = {
    model._meta.table_name: model
    for model in (*models.ALL_MODELS, *NOTIFICATION_MODELS, *DEPLOYER_MODELS, *DESTINATION_MODELS)
}

# Words of SQL, not names of ours: the statements use these and no others.
KEYWORDS = {
    "AND", "AS", "ASC", "BIGINT", "BY", "CASE", "CAST", "DELETE", "DESC", "DISTINCT", "ELSE", "END",
    "EXECUTE", "EXISTS", "FROM", "FUNCTION", "GRANT", "GROUP", "IN", "INSERT", "INTO", "IS",
    "JOIN", "LIMIT", "NOT", "NULL", "ON", "OR", "ORDER", "PUBLIC", "RETURNING", "REVOKE",
    "SCHEMA", "SELECT", "SET", "THEN", "TO", "UPDATE", "USAGE", "VALUES", "WHEN", "WHERE",
}  # fmt: skip
# Functions a statement may call: the server's, defined by a migration (version 7's
# record_token_use in migrations.py, version 8's access control in its .sql file).
FUNCTIONS = {
    "record_token_use",
    "dt_level",
    "dt_global_level",
    "dt_grant",
    "dt_revoke",
    "dt_delete_token",
    "dt_clear_token_environments",
    "dt_delete_environment",
    "dt_delete_project",
    "dt_delete_holder",
}
# SQL's own aggregates.
AGGREGATES = {"COUNT", "SUM"}
# Functions a statement reads rows from, with the columns they return.
TABLE_FUNCTIONS = {
    "dt_whoami": {"role", "project_id", "project", "level"},
    "dt_project_admins": {"role", "scope"},
    "dt_access_list": {"role", "project_id", "project_name", "level"},
}
# PostgreSQL's own: its catalogue, as every role may read it, and its session's user.
CATALOGUE = {"pg_roles": {"rolname", "rolcanlogin"}}
SERVER_WORDS = {"session_user"}
NAMING_NOTHING_OF_OURS = {
    "SELECT session_user",
    f'GRANT {plain_sql.VERIFIER_GROUP} TO "verifier"',
}

_TOKEN = re.compile(
    r"""\s+
    | (?P<quoted>"(?:[^"]|"")+")
    | (?P<string>'(?:[^']|'')*')
    | (?P<number>\d+)
    | (?P<parameter>\?|%s)
    | (?P<word>[A-Za-z_][A-Za-z_0-9]*)
    | (?P<punctuation>[(),.=<>+*;-])
    """,
    re.VERBOSE,
)


def tokenize(sql: str) -> list[tuple[str, str]]:
    """``sql`` as (kind, text) pairs; a quoted identifier is a word without its quotes."""
    found: list[tuple[str, str]] = []
    position = 0
    while position < len(sql):
        match = _TOKEN.match(sql, position)
        if match is None:
            raise ValueError(f"cannot read {sql[position : position + 20]!r} in {sql!r}")
        position = match.end()
        if match.lastgroup is None:
            continue  # white space
        text = match.group()
        if match.lastgroup == "quoted":
            found.append(("word", text[1:-1].replace('""', '"')))
        else:
            found.append((match.lastgroup, text))
    return found


def _is_keyword(token: tuple[str, str] | None, *words: str) -> bool:
    return token is not None and token[0] == "word" and token[1].upper() in (words or KEYWORDS)


def references(sql: str) -> tuple[dict[str, str], set[tuple[str | None, str]], set[str]]:
    """What ``sql`` names: its tables (by alias, a table being its own alias), its
    columns (with the alias that qualifies them, or None) and the functions it calls."""
    tokens = tokenize(sql)
    tables: dict[str, str] = {}
    columns: set[tuple[str | None, str]] = set()
    functions: set[str] = set()
    skip: set[int] = set()  # positions already accounted for

    def at(index: int) -> tuple[str, str] | None:
        return tokens[index] if 0 <= index < len(tokens) else None

    def column_list(start: int, table: str) -> None:
        """``(a, b, ...)`` from ``start``: columns of ``table``."""
        index = start + 1
        while at(index) is not None and at(index) != ("punctuation", ")"):
            if at(index)[0] == "word":
                columns.add((table, at(index)[1]))
                skip.add(index)
            index += 1

    granting = _is_keyword(at(0), "GRANT", "REVOKE")
    if granting and not any(_is_keyword(token, "ON") for token in tokens):
        return tables, columns, functions  # GRANT a_group TO a_role: no table of ours
    for index, (kind, text) in enumerate(tokens):
        if kind != "word" or index in skip:
            continue
        word = text.upper()
        following = at(index + 1)
        if granting:
            if word in ("TO", "FROM"):
                skip.add(index + 1)  # the role
            elif word == "FUNCTION":
                functions.add(following[1])
                skip.add(index + 1)
            elif word == "ON" and not _is_keyword(following, "SCHEMA", "FUNCTION"):
                table = following[1]
                tables[table] = table
                skip.add(index + 1)
                privilege_columns = [i for i in range(index) if at(i) == ("punctuation", "(")]
                for opening in privilege_columns:  # GRANT SELECT (a, b) ON t
                    column_list(opening, table)
            elif word == "SCHEMA":
                skip.add(index + 1)
            continue
        if word in ("FROM", "JOIN", "INTO", "UPDATE") and following is not None:
            table = following[1]
            tables[table] = table
            skip.add(index + 1)
            if word in ("FROM", "JOIN") and at(index + 2) == ("punctuation", "("):
                functions.add(table)  # a function's rows
                continue
            alias = at(index + 2)
            if alias is not None and alias[0] == "word" and not _is_keyword(alias):
                tables[alias[1]] = table
                skip.add(index + 2)
            if word == "INTO" and at(index + 2) == ("punctuation", "("):
                column_list(index + 2, table)
            continue
        if word == "AS":
            skip.add(index + 1)  # a type (CAST) or an alias
            continue
        if word in KEYWORDS:
            continue
        if following == ("punctuation", "("):
            functions.add(text)
        elif following == ("punctuation", "."):
            columns.add((text, at(index + 2)[1]))
            skip.add(index + 2)
        else:
            columns.add((None, text))
    return tables, columns, functions


def problems(sql: str) -> list[str]:
    """Every table, column and function ``sql`` names that the models do not have."""
    tables, columns, functions = references(sql)
    outputs = {**TABLE_FUNCTIONS, **CATALOGUE}
    found = [
        f"no table {table}"
        for table in set(tables.values())
        if table not in TABLES and table not in outputs
    ]
    named = {table for table in tables.values() if table in TABLES}
    returned = set().union(*(outputs[t] for t in tables.values() if t in outputs))
    for qualifier, column in sorted(columns, key=str):
        if qualifier is None:
            if column in returned or column in SERVER_WORDS:
                continue
            if not any(column in TABLES[table]._meta.columns for table in named):
                found.append(f"no column {column} in {', '.join(sorted(named)) or 'no table'}")
        elif qualifier not in tables:
            found.append(f"no table or alias {qualifier} (for {column})")
        elif tables[qualifier] in TABLES and column not in TABLES[tables[qualifier]]._meta.columns:
            found.append(f"no column {column} in {tables[qualifier]}")
    unknown = functions - FUNCTIONS - set(TABLE_FUNCTIONS) - AGGREGATES
    found += [f"no function {name}" for name in unknown]
    return found


def every_statement() -> dict[str, str]:
    named = dict(plain_sql.STATEMENTS)
    for number, grant in enumerate(plain_sql.verifier_grants('"verifier"')):
        named[f"verifier_grant_{number}"] = grant
    return named


@pytest.mark.parametrize(("name", "sql"), every_statement().items(), ids=every_statement())
def test_each_statement_names_only_what_the_models_have(name, sql):
    assert problems(sql) == [], f"{name}: {sql}"
    tables, _, functions = references(sql)
    # Else the check would prove nothing (the schema's grant names only "public", the
    # verifier's group grant and the session's user nothing of ours at all).
    names_ours = tables or functions or " ON SCHEMA " in sql
    assert names_ours or sql in NAMING_NOTHING_OF_OURS, f"{name} names nothing of ours"


def test_the_check_catches_a_renamed_column_table_or_alias():
    """The check itself must not pass everything: drift is what it is for."""
    lookup = plain_sql.STATEMENTS["lookup"]
    assert problems(lookup) == []
    assert problems(lookup.replace("t.last_used_at", "t.last_use_at")) == [
        "no column last_use_at in deployment_token"
    ]
    assert problems(lookup.replace("p.name_key", "t.name_key")) == [
        "no column name_key in deployment_token"
    ]
    assert problems(lookup.replace("JOIN project p", "JOIN projects p")) == ["no table projects"]
    assert problems(lookup.replace("p.name,", "q.name,")) == ["no table or alias q (for name)"]
    insert = plain_sql.STATEMENTS["insert_token"]
    assert problems(insert.replace("created_by", "creator")) == [
        "no column creator in deployment_token"
    ]
    update = plain_sql.STATEMENTS["retire_token"]
    assert problems(update.replace("replaced_by", "replaced")) == [
        "no column replaced in deployment_token"
    ]
    grant = 'GRANT SELECT ("digest", "secret") ON "deployment_token" TO "verifier"'
    assert problems(grant) == ["no column secret in deployment_token"]
    assert problems('GRANT SELECT ON "deployment_tokens" TO "verifier"') == [
        "no table deployment_tokens"
    ]
    assert problems("SELECT record_use(CAST(? AS bigint))") == ["no function record_use"]


def test_the_functions_statements_call_are_the_migrations_own():
    source = Path(migrations.__file__).read_text(encoding="utf-8")
    access_control = Path(migrations.__file__).with_name("access_control_v8.sql")
    script = access_control.read_text(encoding="utf-8")
    assert f".{'record_token_use'}(" in source
    for function in (FUNCTIONS - {"record_token_use"}) | set(TABLE_FUNCTIONS):
        assert f"CREATE OR REPLACE FUNCTION {function}(" in script, function
    for function, returned in TABLE_FUNCTIONS.items():
        declared = script.split(f"CREATE OR REPLACE FUNCTION {function}(")[1]
        columns = declared.split("RETURNS TABLE (")[1].split(")")[0]
        assert {column.split()[0] for column in columns.split(",")} == returned, function
    assert plain_sql.RECORD_USE_FUNCTION.startswith("record_token_use(")


def test_what_the_verifier_runs_its_role_may_run():
    """db grant-verifier grants reads on the tables the verifier's statements name, and
    those statements only read (the server's function writes, with its owner's rights)."""
    for name in plain_sql.VERIFIER_STATEMENTS:
        sql = plain_sql.STATEMENTS[name]
        assert sql.startswith("SELECT "), name
        tables, _, _ = references(sql)
        assert set(tables.values()) <= set(plain_sql.VERIFIER_READS), name
    assert set(plain_sql.VERIFIER_NOT_WRITTEN) <= set(plain_sql.VERIFIER_READS)


def test_each_dialect_has_every_statement_in_its_own_placeholders():
    for dialect in (plain_sql.SQLITE, plain_sql.POSTGRESQL):
        assert dialect.sql.keys() == plain_sql.STATEMENTS.keys()
        for name, sql in plain_sql.STATEMENTS.items():
            translated = dialect.sql[name]
            assert translated.count(dialect.placeholder) == sql.count("?")
            assert translated.replace(dialect.placeholder, "?") == sql


def test_the_audit_actions_the_issuer_writes_are_the_models_own():
    assert issuing.GENERATED == models.AuditEvent.GENERATED
    assert issuing.ROTATED == models.AuditEvent.ROTATED


# One place for SQL about our tables

# Modules that may still hold SQL, and why: migrations are frozen as of their day, and
# the storage's lock diagnosis reads PostgreSQL's catalogue, not our tables.
SQL_ELSEWHERE = {
    "app/store/migrations.py",
    "app/store/audit_chain_v9.py",
    "app/store/storage.py",
    "app/store/plain_sql.py",
}
_SQL_START = re.compile(r"^\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM|GRANT|REVOKE)\s")


def test_no_other_module_writes_sql_about_our_tables():
    root = Path(__file__).resolve().parents[3]
    found = []
    for path in sorted((root / "app").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative in SQL_ELSEWHERE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                text = "".join(
                    part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            else:
                continue
            if _SQL_START.match(text):
                found.append(f"{relative}:{node.lineno}: {text[:60]}")
    assert found == []


# What the two sides share


def test_times_are_stored_naive_utc_and_handed_out_aware():
    east = timezone(timedelta(hours=2))
    moment = datetime(2026, 3, 1, 14, 30, 15, 123456, tzinfo=east)
    stored = plain_sql.naive_utc(moment)
    assert stored == datetime(2026, 3, 1, 12, 30, 15, 123456)
    assert stored.tzinfo is None
    assert plain_sql.aware_utc(stored) == moment
    assert plain_sql.aware_utc(stored).tzinfo is UTC
    assert plain_sql.naive_utc(moment.astimezone(UTC)) == stored


@pytest.mark.parametrize("dialect", [plain_sql.SQLITE, plain_sql.POSTGRESQL], ids=["sqlite", "pg"])
@pytest.mark.parametrize(
    "moment", [datetime(2026, 3, 1, 12, 30, 15, 123456), datetime(2026, 3, 1, 12, 30)]
)
def test_a_stored_time_reads_back_as_it_was(dialect, moment):
    assert dialect.read_time(dialect.store_time(moment)) == moment


@pytest.mark.only_backend("sqlite")  # PostgreSQL stores timestamps, not text
def test_sqlite_times_are_stored_as_peewee_stores_them(service, store):
    """The issuer's rows and the models' rows sort together: the same text on SQLite."""
    service.add_project("web")
    service.generate("web")
    [(project_created, token_created)] = store.query(
        "SELECT p.created_at, t.created_at FROM project p JOIN deployment_token t "
        "ON t.project_id = p.id"
    )
    for text in (project_created, token_created):
        parsed = datetime.fromisoformat(text)
        assert plain_sql.SQLITE.store_time(parsed) == text


def test_every_write_moves_the_revision_once(service):
    """The one revision bump, whichever side of the store writes."""
    service.add_project("web")
    before = service.revision()
    record, _ = service.generate("web")  # plain SQL
    assert service.revision() == before + 1
    service.rename_token("web", record.id, "ci")  # peewee
    assert service.revision() == before + 2
    service.rotate("web", record.id)  # plain SQL
    assert service.revision() == before + 3
