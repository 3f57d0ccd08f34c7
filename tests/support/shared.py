"""What the tests of one module share when starting it for each test would take most of
their time: a database, and processes (serve, nginx) started once and stopped after the
module's last test."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from tests.support.backends import PostgresqlStore, SqliteStore, TestStore


@contextlib.contextmanager
def module_store(
    backend: str, directory: Path, request: pytest.FixtureRequest
) -> Iterator[TestStore]:
    """An empty database on ``backend`` for a module's tests: a file in ``directory``, or
    a PostgreSQL database of its own on the test cluster, dropped afterwards."""
    if backend == "sqlite":
        yield SqliteStore(directory / "tokens.db")
        return
    created = PostgresqlStore(request.getfixturevalue("postgresql_admin_url"))
    try:
        yield created
    finally:
        created.drop()


class Started:
    """Things a module's tests share, each started by the first test that asks for it
    (so in that test's environment: its salt, its isolated data directory) and all
    stopped, last started first, when the module is done."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._stack = contextlib.ExitStack()
        self._started: dict[str, Any] = {}

    def get(self, name: str, start: Callable[[], AbstractContextManager[Any]]) -> Any:
        """What ``start()`` entered, the first time ``name`` is asked for; the same after."""
        if name not in self._started:
            self._started[name] = self._stack.enter_context(start())
        return self._started[name]

    def close(self) -> None:
        self._stack.close()


@contextlib.contextmanager
def started_once(directory: Path) -> Iterator[Started]:
    started = Started(directory)
    try:
        yield started
    finally:
        started.close()
