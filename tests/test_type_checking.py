"""What the type checker reads and what runs must describe the same thing.

The modules on the verify and generate paths import no ``typing`` at run time (it costs
those processes 2 ms; ARCHITECTURE.md, Rules). So they declare each record twice: a
``typing.NamedTuple`` under ``TYPE_CHECKING`` for mypy, and a ``collections.namedtuple``
that runs. Nothing but these tests holds the two together.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "ui")


def sources() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (REPO_ROOT / package).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@dataclass(frozen=True)
class TypedRecord:
    name: str
    fields: tuple[str, ...]
    # Field name -> the default's source text, evaluated in the module's namespace.
    defaults: dict[str, str]


def typed_records(block: list[ast.stmt]) -> dict[str, TypedRecord]:
    """The ``class X(NamedTuple)`` declarations directly in ``block``."""
    found = {}
    for node in block:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {
            base.id if isinstance(base, ast.Name) else ast.unparse(base) for base in node.bases
        }
        if not bases & {"NamedTuple", "typing.NamedTuple"}:
            continue
        fields, defaults = [], {}
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                fields.append(statement.target.id)
                if statement.value is not None:
                    defaults[statement.target.id] = ast.unparse(statement.value)
        found[node.name] = TypedRecord(node.name, tuple(fields), defaults)
    return found


def runtime_records(block: list[ast.stmt]) -> set[str]:
    """The names bound by ``X = namedtuple(...)`` directly in ``block``."""
    found = set()
    for node in block:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and ast.unparse(node.value.func) in ("namedtuple", "collections.namedtuple")
        ):
            found.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return found


@dataclass(frozen=True)
class DeclaredTwice:
    module: str
    typed: TypedRecord

    def __str__(self) -> str:
        return f"{self.module}.{self.typed.name}"


def declared_twice() -> tuple[list[DeclaredTwice], list[str]]:
    """Every record declared for mypy and for run time, and the unpaired declarations."""
    pairs, unpaired = [], []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.If) and is_type_checking(node.test)):
                continue
            typed = typed_records(node.body)
            runtime = runtime_records(node.orelse)
            module = module_name(path)
            unpaired += [f"{module}.{name}" for name in sorted(set(typed) ^ runtime)]
            pairs += [DeclaredTwice(module, typed[name]) for name in sorted(set(typed) & runtime)]
    return pairs, unpaired


PAIRS, UNPAIRED = declared_twice()


def test_every_record_declared_for_the_type_checker_has_its_run_time_twin():
    assert UNPAIRED == []
    # The records this test was written for, so that a change to how they are declared
    # cannot leave it checking nothing.
    assert {str(pair) for pair in PAIRS} >= {
        "app.issuing.Issued",
        "app.issuing.ProjectRow",
        "app.lifecycle._ExpiryFields",
        "app.lifecycle._PolicyFields",
        "app.verification.Verdict",
    }


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_both_declarations_of_a_record_agree(pair):
    """Same fields, in the same order, with the same defaults."""
    module = importlib.import_module(pair.module)
    runtime = getattr(module, pair.typed.name)
    assert runtime._fields == pair.typed.fields
    defaults = {
        field: eval(source, vars(module))  # noqa: S307 (our own source: a constant or a name)
        for field, source in pair.typed.defaults.items()
    }
    assert runtime._field_defaults == defaults


def test_one_type_checking_idiom():
    """``TYPE_CHECKING = False``, never ``typing.TYPE_CHECKING``: see ARCHITECTURE.md."""
    other_idiom = set()
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "typing"
                and any(alias.name == "TYPE_CHECKING" for alias in node.names)
            ) or (isinstance(node, ast.Attribute) and ast.unparse(node) == "typing.TYPE_CHECKING"):
                other_idiom.add(path.relative_to(REPO_ROOT).as_posix())
    assert other_idiom == set()
