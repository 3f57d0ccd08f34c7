"""A database locked by another program freezes no action of the window.

Another process holds SQLite's write lock (a backup, a migration, a ``sqlite3`` shell left
in a transaction), or on PostgreSQL another session holds the row every change moves.
Each writing action of the window is clicked as a user would: while its write waits for
the lock the window keeps running its event loop (a timer ticks, the busy state shows),
and once the lock is let go the action completes as it always does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from app.service import TokenService
from tests.support import backends
from tests.support.backends import SqliteStore
from tests.support.locks import (
    change_counter_locked_by_another_session,
    lock_held_by_another_process,
    wait_for_locks,
    with_lock_timeout,
)
from tests.support.ui import (
    button,
    click,
    click_list_item,
    copy_and_close,
    message_box,
    open_tokens_pane,
    project_sidebar,
    sidebar,
)
from ui.background import WriteRunner
from ui.dialogs.new_project import NewProjectDialog, RenameProjectDialog
from ui.dialogs.reveal_token import RevealTokenDialog
from ui.dialogs.rotate_token import RotateTokenDialog
from ui.main_window import MainWindow
from ui.models.tokens import Column

# Longer than the test needs the lock for: the write must still be waiting when the lock
# is let go, not failing with "database is locked" (SQLite's busy timeout, PostgreSQL's
# lock timeout).
BUSY_TIMEOUT_S = 30.0
# Timer ticks that show the event loop ran while the write waited.
TICKS = 5
TICK_MS = 20


@dataclass
class Action:
    """A writing action: ``start`` clicks up to the write (the store as the test
    prepared it), ``done`` says whether the window shows it completed, ``finish`` checks
    what was stored once it has."""

    start: Callable[[], None]
    done: Callable[[], bool]
    finish: Callable[[], None] = lambda: None


def modal(kind: type) -> object | None:
    widget = QApplication.activeModalWidget()
    return widget if isinstance(widget, kind) else None


def open_pane(qtbot, window: MainWindow, label: str) -> None:
    open_tokens_pane(qtbot, window, "web")
    click_list_item(qtbot, project_sidebar(window), label)


def open_settings(qtbot, window: MainWindow) -> None:
    open_tokens_pane(qtbot, window, "web")
    click_list_item(qtbot, project_sidebar(window), "Settings")


def generate(qtbot, window: MainWindow, service: TokenService) -> Action:
    open_tokens_pane(qtbot, window, "web")

    def finish() -> None:
        plaintext = copy_and_close(qtbot)
        assert service.verify(plaintext) == "web"

    return Action(
        start=lambda: click(qtbot, button(window, "Generate deployment token")),
        done=lambda: modal(RevealTokenDialog) is not None,
        finish=finish,
    )


def rotate(qtbot, window: MainWindow, service: TokenService) -> Action:
    [old, _] = service.generate("web", "nightly")
    open_tokens_pane(qtbot, window, "web")

    def start() -> None:
        click(qtbot, window.project_page().tokens_pane().table().rotate_button(0))
        qtbot.waitUntil(lambda: modal(RotateTokenDialog) is not None)
        click(qtbot, button(modal(RotateTokenDialog), "Rotate"))

    def finish() -> None:
        plaintext = copy_and_close(qtbot)
        assert service.verify(plaintext) == "web"
        successor = {t.id: t for t in service.list_tokens("web")}[old.id].replaced_by
        assert service.check(plaintext).token_id == successor

    return Action(start, lambda: modal(RevealTokenDialog) is not None, finish)


def revoke(qtbot, window: MainWindow, service: TokenService) -> Action:
    _, plaintext = service.generate("web", "doomed")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()

    def start() -> None:
        click(qtbot, pane.table().action_button(0))
        click(qtbot, button(message_box(qtbot), "Delete"))

    def finish() -> None:
        assert service.verify(plaintext) is None

    return Action(start, lambda: pane.model().rowCount() == 0, finish)


def rename_token(qtbot, window: MainWindow, service: TokenService) -> Action:
    service.generate("web", "old name")
    open_tokens_pane(qtbot, window, "web")
    table = window.project_page().tokens_pane().table()
    index = table.model().index(0, Column.NAME)

    def start() -> None:
        table.setCurrentIndex(index)
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_F2)
        editor = table.indexWidget(index) or QApplication.focusWidget()
        editor.selectAll()
        qtbot.keyClicks(editor, "new name")
        qtbot.keyClick(editor, Qt.Key.Key_Return)

    def finish() -> None:
        assert [token.name for token in service.list_tokens("web")] == ["new name"]

    return Action(start, lambda: index.data() == "new name", finish)


def add_environment(qtbot, window: MainWindow, service: TokenService) -> Action:
    open_pane(qtbot, window, "Environments")
    pane = window.project_page().environments_pane()

    def start() -> None:
        qtbot.keyClicks(pane.name_field(), "production")
        click(qtbot, pane.findChild(QPushButton, "addEnvironmentButton"))

    def finish() -> None:
        assert [e.name for e in service.list_environments("web")] == ["production"]
        assert pane.name_field().text() == ""

    return Action(start, lambda: pane.names() == ["production"], finish)


def remove_environment(qtbot, window: MainWindow, service: TokenService) -> Action:
    service.add_environment("web", "staging")
    open_pane(qtbot, window, "Environments")
    pane = window.project_page().environments_pane()

    def start() -> None:
        pane.list_widget().setCurrentRow(0)
        click(qtbot, pane.findChild(QPushButton, "removeEnvironmentButton"))

    def finish() -> None:
        assert service.list_environments("web") == []

    return Action(start, lambda: pane.names() == [], finish)


def change_policy(qtbot, window: MainWindow, service: TokenService) -> Action:
    open_pane(qtbot, window, "Token policy")
    pane = window.project_page().policy_pane()

    def start() -> None:
        pane.default_choice().setCurrentIndex(pane.default_choice().findText("7 days"))
        click(qtbot, pane.findChild(QPushButton, "savePolicyButton"))

    def finish() -> None:
        assert service.token_policy("web").default_lifetime == timedelta(days=7)

    def done() -> bool:
        return window.statusBar().currentMessage() == "Saved the token policy of web."

    return Action(start, done, finish)


def add_project(qtbot, window: MainWindow, service: TokenService) -> Action:
    click_list_item(qtbot, sidebar(window), "Projects")
    page = window.projects_page()

    def start() -> None:
        click(qtbot, button(page, "New project"))
        qtbot.waitUntil(lambda: modal(NewProjectDialog) is not None)
        dialog = modal(NewProjectDialog)
        qtbot.keyClicks(dialog.name_field(), "api")
        click(qtbot, dialog.create_button())

    def finish() -> None:
        assert service.find_project("api") is not None

    def done() -> bool:
        return modal(NewProjectDialog) is None and page.project_row("api") is not None

    return Action(start, done, finish)


def rename_project(qtbot, window: MainWindow, service: TokenService) -> Action:
    open_settings(qtbot, window)

    def start() -> None:
        click(qtbot, window.project_page().settings_pane().rename_button())
        qtbot.waitUntil(lambda: modal(RenameProjectDialog) is not None)
        dialog = modal(RenameProjectDialog)
        dialog.name_field().selectAll()
        qtbot.keyClicks(dialog.name_field(), "storefront")
        click(qtbot, dialog.submit_button())

    def finish() -> None:
        assert [p.name for p in service.list_projects()] == ["storefront"]

    def done() -> bool:
        return modal(RenameProjectDialog) is None and window.windowTitle().startswith("storefront")

    return Action(start, done, finish)


def delete_project(qtbot, window: MainWindow, service: TokenService) -> Action:
    open_settings(qtbot, window)

    def start() -> None:
        click(qtbot, window.project_page().settings_pane().delete_button())
        click(qtbot, button(message_box(qtbot), "Delete project"))

    def finish() -> None:
        assert service.list_projects() == []

    def done() -> bool:
        return window.current_page() is window.projects_page() and not (
            window.projects_page().projects()
        )

    return Action(start, done, finish)


def find_leaked(qtbot, window: MainWindow, service: TokenService) -> Action:
    # Finding takes the write lock too: the service looks up in a write transaction.
    _, leaked = service.generate("web", "leaked")
    dialog = window.report_leak()

    def start() -> None:
        dialog.text_field().setPlainText(f"seen in a log: {leaked}")
        click(qtbot, button(dialog, "Find tokens"))

    def finish() -> None:
        assert service.verify(leaked) == "web"  # found, not revoked
        dialog.close()

    return Action(start, lambda: dialog.summary().startswith("Found 1 token"), finish)


def revoke_leaked(qtbot, window: MainWindow, service: TokenService) -> Action:
    _, leaked = service.generate("web", "leaked")
    dialog = window.report_leak()
    dialog.text_field().setPlainText(f"seen in a log: {leaked}")
    click(qtbot, button(dialog, "Find tokens"))

    def start() -> None:
        click(qtbot, dialog.revoke_button())
        click(qtbot, button(message_box(qtbot), "Revoke"))

    def finish() -> None:
        assert service.verify(leaked) is None
        dialog.close()

    return Action(start, lambda: dialog.summary().startswith("Revoked 1 token"), finish)


ACTIONS = {
    "generate": generate,
    "rotate": rotate,
    "revoke": revoke,
    "rename token": rename_token,
    "add environment": add_environment,
    "remove environment": remove_environment,
    "change policy": change_policy,
    "add project": add_project,
    "rename project": rename_project,
    "delete project": delete_project,
    "find leaked tokens": find_leaked,
    "revoke leaked tokens": revoke_leaked,
}


def runners(window: MainWindow) -> list[WriteRunner]:
    return window.findChildren(WriteRunner)


@contextlib.contextmanager
def lock_held_elsewhere(store: backends.TestStore) -> Iterator[None]:
    if isinstance(store, SqliteStore):
        with lock_held_by_another_process(store):
            yield
    else:
        with change_counter_locked_by_another_session(store.url):
            yield


def waiting_window(make_window, store: backends.TestStore) -> MainWindow:
    """A window whose writes wait ``BUSY_TIMEOUT_S`` for a lock held elsewhere."""
    if isinstance(store, SqliteStore):
        window = make_window()
        wait_for_locks(window, store, BUSY_TIMEOUT_S)
        return window
    return make_window(database_url=with_lock_timeout(store.url, BUSY_TIMEOUT_S))


# On PostgreSQL finding takes no row lock: nothing there waits for the one held.
SQLITE_ONLY = {"find leaked tokens"}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.only_backend("sqlite"))
        if name in SQLITE_ONLY
        else name
        for name in ACTIONS
    ],
)
def test_no_action_freezes_the_window_while_another_program_holds_the_lock(
    qtbot, make_window, service: TokenService, store: backends.TestStore, web_project, name
):
    window = waiting_window(make_window, store)
    action = ACTIONS[name](qtbot, window, service)
    ticks: list[int] = []
    timer = QTimer(window)
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(len(ticks)))
    with lock_held_elsewhere(store):
        action.start()
        # The write waits for the lock on a pool thread (it cannot finish: the lock is
        # held until this block ends). Meanwhile the GUI thread runs its event loop: the
        # timer, started only now, ticks again and again, and the window shows it is busy.
        qtbot.waitUntil(lambda: any(runner.is_busy() for runner in runners(window)))
        timer.start()
        qtbot.waitUntil(lambda: len(ticks) >= TICKS, timeout=int(BUSY_TIMEOUT_S * 100))
        assert not action.done()
        assert any(runner.shows_busy() for runner in runners(window))
    # Let go: the write goes through and the action completes as it always does.
    qtbot.waitUntil(action.done, timeout=int(BUSY_TIMEOUT_S * 1000))
    timer.stop()
    assert not any(runner.is_busy() or runner.shows_busy() for runner in runners(window))
    action.finish()
