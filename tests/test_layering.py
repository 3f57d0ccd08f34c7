"""The layering contracts of ARCHITECTURE.md ("The layers", "Rules"), checked by reading
every module's imports (at the top, inside functions, under TYPE_CHECKING, and through
``importlib.import_module`` or ``__import__`` with a literal name):

- ``app`` imports neither ``ui`` nor Qt, except the launcher (``app/__main__.py``), the
  one module that composes the command line and the desktop app;
- ``ui`` never imports the store (``app.store``, peewee, playhouse): widgets never run
  queries, they call the service;
- the modules of verify's and generate's fast paths import no peewee.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

QT = ("ui", "PySide6", "shiboken6")
STORE = ("app.store", "peewee", "playhouse")
PEEWEE = (
    "peewee",
    "playhouse",
    "app.store.orm",
    "app.store.models",
    "app.store.db",
    "app.store.migrations",
)
PEEWEE_FREE = (
    "app.access_levels",
    "app.tokens",
    "app.names",
    "app.store.schema",
    "app.store.locations",
    "app.lifecycle",
    "app.verification",
    "app.issuing",
    "app.store.plain_sql",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules_of(package: str) -> dict[str, Path]:
    return {module_name(path): path for path in sorted((ROOT / package).rglob("*.py"))}


def imports_in(source: str, module: str, *, is_package: bool = False) -> set[tuple[str, int]]:
    """Every module ``source`` imports, with the line: ``from a import b`` counts as both
    ``a`` and ``a.b`` (b may be a module); relative imports are resolved from ``module``."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {(alias.name, node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add((base, node.lineno))
            found |= {(f"{base}.{alias.name}", node.lineno) for alias in node.names}
        elif isinstance(node, ast.Call) and _dynamic_import(node):
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add((first.value, node.lineno))
    return found


def _dynamic_import(call: ast.Call) -> bool:
    function = call.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name in ("import_module", "__import__") and bool(call.args)


def loaded_at_import(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """What importing the module runs imports of: its imports outside functions and
    outside ``if TYPE_CHECKING:``."""
    tree = ast.parse(source)
    pending: list[ast.AST] = list(tree.body)
    kept: list[ast.stmt] = []
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            kept.append(node)
        pending.extend(ast.iter_child_nodes(node))
    body = ast.unparse(ast.Module(body=kept, type_ignores=[]))
    return {name for name, _ in imports_in(body, module, is_package=is_package)}


def violations(package: str, banned: tuple[str, ...], only: tuple[str, ...] = ()) -> list[str]:
    """``module:line imports name`` for each import of a ``banned`` module (or one inside
    it) by a module of ``package`` (or of ``only``, when given)."""
    found = []
    for module, path in modules_of(package).items():
        if only and module not in only:
            continue
        is_package = path.name == "__init__.py"
        for name, line in sorted(imports_in(path.read_text(), module, is_package=is_package)):
            if any(name == ban or name.startswith(ban + ".") for ban in banned):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


def test_app_never_imports_ui_or_qt_except_the_launcher():
    found = [v for v in violations("app", QT) if not v.startswith("app/__main__.py:")]
    assert found == []


def test_the_launcher_imports_ui_only_when_the_desktop_app_starts():
    """At its top it imports only the command line, so every command stays free of Qt."""
    tree = ast.parse((ROOT / "app" / "__main__.py").read_text())
    top = {
        alias.name if isinstance(node, ast.Import) else node.module
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert top <= {"__future__", "app.cli"}


def test_ui_never_imports_the_store():
    assert violations("ui", STORE) == []


def test_the_fast_paths_import_no_peewee():
    assert {name for name in PEEWEE_FREE if name in modules_of("app")} == set(PEEWEE_FREE)
    assert violations("app", PEEWEE, only=PEEWEE_FREE) == []


def test_nor_does_any_module_the_fast_paths_load_when_imported():
    """Through another module of ours: importing verification must not import the store."""
    modules = modules_of("app")
    loads = {
        module: loaded_at_import(path.read_text(), module, is_package=path.name == "__init__.py")
        for module, path in modules.items()
    }
    for start in PEEWEE_FREE:
        seen, pending = {start}, [start]
        while pending:
            for name in loads[pending.pop()]:
                banned = any(name == ban or name.startswith(ban + ".") for ban in PEEWEE)
                assert not banned, f"importing {start} imports {name}"
                if name in modules and name not in seen:
                    seen.add(name)
                    pending.append(name)


@pytest.mark.parametrize(
    "source",
    [
        "import ui",
        "import PySide6.QtWidgets",
        "from ui.main_window import MainWindow",
        "from PySide6 import QtCore",
        "def f():\n    import ui\n",
        "if TYPE_CHECKING:\n    from ui import launch\n",
        "import importlib\nimportlib.import_module('ui')\n",
        "from importlib import import_module\nimport_module('PySide6.QtGui')\n",
        "__import__('ui')",
        "import ui.application as application",
    ],
)
def test_a_qt_import_is_seen_however_it_is_written(source):
    found = imports_in(source, "app.cli.verify")
    assert any(name.split(".")[0] in QT for name, _ in found), found


@pytest.mark.parametrize(
    ("source", "module"),
    [
        ("from app.store import models", "ui.pages.tokens"),
        ("from app.store.orm import peewee", "ui.pages.tokens"),
        ("from ..store.orm import peewee", "app.cli.tokens"),
        ("from .store import orm", "app.tokens"),
        ("import playhouse.db_url", "ui.background"),
    ],
)
def test_a_store_import_is_seen_however_it_is_written(source, module):
    found = {name for name, _ in imports_in(source, module)}
    assert found & {"app.store.models", "app.store.orm", "playhouse.db_url"}, found
