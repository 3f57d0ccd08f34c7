"""Faults while the app runs: one clear message, nothing half-written, no plaintext for a
token that was not stored, the app still running, and Retry once the fault is gone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from app import open_service
from app.errors import StorageError
from app.service import TokenService
from app.store import db
from tests.support.backends import SqliteStore
from tests.support.locks import lock_held_by_another_process, wait_for_locks
from tests.support.privileges import file_permissions_enforced
from tests.support.ui import (
    button,
    click,
    copy_and_close,
    generate_and_close,
    message_box,
    open_tokens_pane,
    reveal_dialog,
)
from ui.application import StartUp
from ui.background import WriteRunner
from ui.dialogs.reveal_token import RevealTokenDialog

sqlite_only = pytest.mark.only_backend("sqlite")
postgresql_only = pytest.mark.only_backend("postgresql")


def database_error(qtbot, *expected: str) -> QMessageBox:
    """The error box that must follow a failed Generate, checked for what users see."""
    box = message_box(qtbot)
    assert box.windowTitle() == "Database error"
    shown = " ".join((box.text(), box.informativeText(), box.detailedText()))
    for words in expected:
        assert words.lower() in shown.lower()
    assert "Nothing was changed" in box.informativeText()
    assert "Traceback" not in shown
    assert "mldt_" not in shown.replace("mldt_\u2026", "")
    assert button(box, "Retry") is not None
    return box


def no_token_was_revealed() -> None:
    revealed = [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, RevealTokenDialog) and widget.isVisible()
    ]
    assert revealed == []


def cancel(qtbot, box: QMessageBox) -> None:
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Cancel"))


def retry(qtbot, box: QMessageBox) -> None:
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Retry"))


def retry_and_save_the_token(qtbot, box: QMessageBox) -> str:
    """Retry once the fault is gone: the token is revealed, copied and the dialog closed,
    as a user saving it in a secret manager would; returns the token copied."""
    retry(qtbot, box)
    return copy_and_close(qtbot)


def verify_in_another_process(database_url: str, plaintext: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "app", "verify", "--database", database_url],
        input=plaintext + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout.strip()


@pytest.fixture
def web_window(qtbot, make_window, web_project):
    window = make_window()
    open_tokens_pane(qtbot, window, "web")
    return window


@sqlite_only
def test_a_read_only_database_can_be_read_but_refuses_changes(
    qtbot, make_window, service: TokenService, store: SqliteStore, database_url, monkeypatch
):
    service.add_project("web")
    kept, _ = service.generate("web", "kept")
    service.close()
    store.path.chmod(0o444)
    # Writes run on a pool thread, and capabilities belong to each thread: that thread
    # too must be refused what the file's mode refuses.
    real_run = WriteRunner.run

    def run_as_a_user(runner, work, succeeded, failed):
        def work_as_a_user():
            with file_permissions_enforced():
                return work()

        return real_run(runner, work_as_a_user, succeeded, failed)

    monkeypatch.setattr(WriteRunner, "run", run_as_a_user)
    with file_permissions_enforced():
        window = make_window()
        open_tokens_pane(qtbot, window, "web")
        pane = window.project_page().tokens_pane()
        assert pane.model().record(0).preview == kept.preview  # still readable
        before = store.dump()

        # Generate stays visible, disabled, saying why: nothing is tried, nothing lost.
        generate = pane.generate_button()
        assert not generate.isEnabled()
        assert generate.toolTip().startswith(f"Read-only: the database file {store.path}")
        click(qtbot, generate)
        no_token_was_revealed()
        assert store.dump() == before
        assert pane.model().rowCount() == 1

        # The administrator fixes the permissions (SQLite gave the -wal and -shm files
        # the database's own mode); the next change check sees it, and Generate works.
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{store.path}{suffix}")
            if path.exists():
                path.chmod(0o600)
        window.check_for_changes()
        qtbot.waitUntil(generate.isEnabled)
        assert window.read_only_reason() is None
        click(qtbot, generate)
        copy_and_close(qtbot)
    assert pane.model().rowCount() == 2
    assert store.table_counts()["deployment_token"] == 2


@sqlite_only
def test_a_database_locked_by_another_process_beyond_the_busy_timeout(
    qtbot, web_window, store: SqliteStore, database_url
):
    window = web_window
    # The real busy timeout is 5 s; a shorter one keeps the test quick and is the same path.
    wait_for_locks(window, store, 0.8)
    with lock_held_by_another_process(store):
        before = store.dump()
        pane = window.project_page().tokens_pane()
        click(qtbot, button(window, "Generate deployment token"))
        # The write waits for the lock on a pool thread: meanwhile the window keeps
        # running (this timer fires), instead of freezing for the busy timeout.
        still_waiting: list[bool] = []
        QTimer.singleShot(50, lambda: still_waiting.append(pane.is_busy()))
        qtbot.waitUntil(lambda: bool(still_waiting))
        assert still_waiting == [True]
        box = database_error(qtbot, "locked by another program")
        no_token_was_revealed()
        assert store.dump() == before
    plaintext = retry_and_save_the_token(qtbot, box)
    assert verify_in_another_process(database_url, plaintext) == "web"


@sqlite_only
def test_a_full_disk_stores_nothing_and_shows_no_token(qtbot, web_window, store: SqliteStore):
    window = web_window
    database = window.service.storage.database
    # SQLite's own quota: the file may not grow past the pages it has now. Fill the free
    # space of those pages until a token no longer fits, as a full disk would. The quota
    # is a pragma of each connection, so every connection (the writes' pool thread has
    # its own) gets it.
    [(pages,)] = database.execute_sql("PRAGMA page_count").fetchall()
    database.init(
        str(store.path),
        pragmas={**db.SQLITE_PRAGMAS, "max_page_count": pages},
        timeout=db.BUSY_TIMEOUT_SECONDS,
    )
    window.service.reconnect()
    refusal = ""
    for _ in range(5_000):
        try:
            window.service.generate("web", "filler")
        except StorageError as error:
            refusal = str(error)
            break
    assert "disk is full" in refusal
    before = store.dump()

    click(qtbot, button(window, "Generate deployment token"))
    box = database_error(qtbot, "disk is full")
    no_token_was_revealed()
    assert store.dump() == before
    cancel(qtbot, box)
    assert window.isVisible()

    # Space is freed: Generate works again.
    database.init(str(store.path), pragmas=db.SQLITE_PRAGMAS, timeout=db.BUSY_TIMEOUT_SECONDS)
    window.service.reconnect()
    generate_and_close(qtbot, window)
    assert store.table_counts()["deployment_token"] == len(before["deployment_token"]) + 1


@sqlite_only
def test_a_database_replaced_by_a_corrupt_file_then_restored(
    qtbot, web_window, store: SqliteStore, tmp_path: Path
):
    window = web_window
    plaintext = generate_and_close(qtbot, window)
    backup = tmp_path / "backup.db"
    with open_service(store.url) as other:
        other.storage.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    backup.write_bytes(store.path.read_bytes())
    # Someone copies garbage over the database (a new file under the same name).
    garbage = tmp_path / "garbage"
    garbage.write_bytes(os.urandom(8192))
    garbage.replace(store.path)

    click(qtbot, button(window, "Generate deployment token"))
    box = database_error(qtbot, "was replaced")
    no_token_was_revealed()
    retry(qtbot, box)
    box = database_error(qtbot, "not a usable database")
    no_token_was_revealed()
    assert store.path.read_bytes()[:16] != b"SQLite format 3\x00"  # left as it was

    backup.replace(store.path)
    retry_and_save_the_token(qtbot, box)
    with open_service(store.url) as restored:
        assert restored.verify(plaintext) == "web"
        assert restored.count_tokens("web") == 2


@sqlite_only
def test_the_database_deleted_while_the_app_runs(qtbot, web_window, store: SqliteStore):
    window = web_window
    generate_and_close(qtbot, window)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store.path}{suffix}").unlink(missing_ok=True)

    click(qtbot, button(window, "Generate deployment token"))
    box = database_error(qtbot, "was deleted while the app was running")
    no_token_was_revealed()
    # Retry never makes an empty database in its place: that would hide the loss.
    retry(qtbot, box)
    box = database_error(qtbot, "was deleted")
    cancel(qtbot, box)
    assert not store.path.exists()
    assert window.isVisible()
    # The background check says so in the status bar, without a box.
    window.check_for_changes()
    assert "was deleted" in window.statusBar().currentMessage()
    assert not isinstance(QApplication.activeModalWidget(), QMessageBox)


@postgresql_only
def test_postgresql_going_down_offers_retry(qtbot, make_window, own_cluster):
    url = own_cluster.url("postgres")
    with open_service(url) as setup:
        setup.add_project("web")
    window = make_window(database_url=url)
    open_tokens_pane(qtbot, window, "web")

    own_cluster.stop()
    click(qtbot, button(window, "Generate deployment token"))
    box = database_error(qtbot, "cannot reach the database server", "retry")
    assert "Start the database server" in box.informativeText()
    no_token_was_revealed()
    # Still down: Retry says so again, and the app keeps running.
    retry(qtbot, box)
    box = database_error(qtbot, "cannot reach the database server")
    window.check_for_changes()
    assert "Cannot check for changes" in window.statusBar().currentMessage()
    assert "retry" in window.statusBar().toolTip()

    own_cluster.start()
    plaintext = retry_and_save_the_token(qtbot, box)
    assert verify_in_another_process(url, plaintext) == "web"
    window.check_for_changes()
    assert window.statusBar().currentMessage() == "The database is reachable again."
    with open_service(url) as check:
        assert check.count_tokens("web") == 1
        assert [e.action for e in check.audit_log("web")] == ["generated"]


@postgresql_only
def test_postgresql_down_at_start_up_offers_retry(qtbot, own_cluster, settings, clipboard):
    url = own_cluster.url("postgres")
    own_cluster.stop()
    startup = StartUp(url, settings=settings, clipboard=clipboard)
    outcomes = []
    startup.finished.connect(outcomes.append)
    startup.attempt()
    box = message_box(qtbot)
    assert "cannot start" in box.text()
    assert "cannot reach the database server" in box.text().lower()
    assert button(box, "Retry") is not None

    own_cluster.start()
    with qtbot.waitSignal(startup.finished, timeout=10_000):
        click(qtbot, button(box, "Retry"))
    [window] = outcomes
    qtbot.addWidget(window)
    assert window.isVisible()
    window.close_database()


@sqlite_only
def test_a_corrupt_file_at_start_up_offers_retry_and_close(
    qtbot, sqlite_url, database_path, settings, clipboard
):
    database_path.write_bytes(b"\x00not a database" * 500)
    startup = StartUp(sqlite_url, settings=settings, clipboard=clipboard)
    outcomes = []
    startup.finished.connect(outcomes.append)
    startup.attempt()
    box = message_box(qtbot)
    assert "not a usable database" in box.text()
    with qtbot.waitSignal(startup.finished):
        click(qtbot, button(box, "Close"))
    assert outcomes == [None]
    assert database_path.read_bytes() == b"\x00not a database" * 500


@sqlite_only
def test_a_token_generated_while_the_user_moved_on_is_still_revealed(
    qtbot, web_window, service: TokenService, store: SqliteStore
):
    window = web_window
    service.add_project("api")
    wait_for_locks(window, store, 5.0)
    with lock_held_by_another_process(store):
        click(qtbot, button(window, "Generate deployment token"))
        # While the write waits for the lock, the user opens another project.
        api = next(p for p in service.list_projects() if p.name == "api")
        window.open_project(api, "Deployment Tokens")
    dialog = reveal_dialog(qtbot)  # shown once: it must not be lost
    assert any("for web" in label.text() for label in dialog.findChildren(QLabel))
    with qtbot.waitSignal(dialog.finished):
        dialog.done(0)
    assert window.project_page().tokens_pane().model().rowCount() == 0  # api has none
    assert service.count_tokens("web") == 1


@sqlite_only
def test_a_database_others_can_write_at_start_up_shows_the_one_command_that_fixes_it(
    qtbot, sqlite_url, database_path, service, settings, clipboard
):
    service.add_project("web")
    database_path.chmod(0o666)
    startup = StartUp(sqlite_url, settings=settings, clipboard=clipboard)
    outcomes = []
    startup.finished.connect(outcomes.append)
    startup.attempt()
    box = message_box(qtbot)
    assert "everyone can write it" in box.text()
    assert "chmod" not in box.text()  # the command stands alone, below
    informative = box.informativeText()
    assert f"<pre>chmod go-w {database_path}</pre>" in informative
    # Advice for other failures would only mislead here.
    assert "disk" not in informative
    assert "server" not in informative
    assert button(box, "Retry") is not None
    database_path.chmod(0o600)
    with qtbot.waitSignal(startup.finished, timeout=10_000):
        click(qtbot, button(box, "Retry"))
    [window] = outcomes
    qtbot.addWidget(window)
    assert window.isVisible()
    window.close_database()
