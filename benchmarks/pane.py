"""The desktop app on a large project: opening its tokens pane, its memory, and Generate."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import datasets
from benchmarks.harness import Figure, alternate

PROBE = Path(__file__).resolve().parent / "probes" / "pane_memory.py"
# The first page the pane reads: its default order, newest first (service.token_page).
FIRST_PAGE_SQL = (
    "SELECT * FROM deployment_token WHERE project_id = ? "
    "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET 0"
)


def _wait_until(condition: Callable[[], bool], application: Any, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        application.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("the app did not get there in time")


@contextmanager
def _window_on(url: str, scratch: Path) -> Iterator[tuple[Any, Any, Any]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from ui import create_main_window
    from ui.application import application

    app = application()
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    window = create_main_window(url, settings=settings)
    window.resize(1120, 700)
    window.show()
    _wait_until(window.isVisible, app)
    project = next(p for p in window.projects_page().projects() if p.name == datasets.PROJECT)
    try:
        yield app, window, project
    finally:
        from PySide6.QtCore import QCoreApplication, QEvent

        window.close()
        window.service.close()
        window.deleteLater()
        # Deleted now, not at the next event loop: its timers must not outlive the file.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _click_item(list_widget: Any, label: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    (item,) = list_widget.findItems(label, Qt.MatchFlag.MatchExactly)
    QTest.mouseClick(
        list_widget.viewport(),
        Qt.MouseButton.LeftButton,
        pos=list_widget.visualItemRect(item).center(),
    )


class _Painted:
    """Notes the next Paint event of one widget, with a filter on that widget only."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        painted = self

        class Watcher(QObject):
            def eventFilter(self, watched: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint:
                    painted.seen = True
                return False

        self.seen = False
        self._watcher = Watcher()
        widget.installEventFilter(self._watcher)


def measure_open(*, tokens: int = 100_000, rounds: int = 9) -> Figure:
    from ui.models.paged import PAGE_SIZE
    from ui.pages.project import DEPLOYMENT_TOKENS

    datasets.use_benchmark_salt()
    cached = datasets.cached_sqlite(tokens)
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        url = datasets.working_copy(cached, scratch)
        with _window_on(url, scratch) as (app, window, project):
            raw = sqlite3.connect(url.removeprefix("sqlite:///"))
            page = window.project_page()
            viewport = page.tokens_pane().table().viewport()
            painted = _Painted(viewport)
            bare = _BareTable(window)

            def floor() -> float:
                # What Qt itself needs to show the same first page: the rows read with
                # sqlite3, a minimal model, a bare QTableView, shown and painted.
                started = time.perf_counter()
                rows = raw.execute(FIRST_PAGE_SQL, (project.id, PAGE_SIZE)).fetchall()
                bare.show(rows, app)
                return (time.perf_counter() - started) * 1000

            def subject() -> float:
                window.open_project(project)  # on its Settings pane: tokens not loaded
                app.processEvents()
                painted.seen = False
                started = time.perf_counter()
                _click_item(page.sidebar(), DEPLOYMENT_TOKENS)
                _wait_until(lambda: painted.seen, app)
                elapsed = (time.perf_counter() - started) * 1000
                if page.tokens_pane().model().rowCount() == 0:
                    raise RuntimeError("the pane opened empty")
                return elapsed

            try:
                floor_stats, subject_stats = alternate(floor, subject, rounds=rounds, warmup=1)
            finally:
                raw.close()
                bare.close()
    return Figure(
        name="open the tokens pane",
        subject=f"click Deployment Tokens to rows painted, {tokens:,} tokens in the project",
        floor=f"the same first page ({PAGE_SIZE} rows, newest first) read with `sqlite3` into a "
        "minimal QAbstractTableModel, shown in a bare QTableView and painted",
        subject_stats=subject_stats,
        floor_stats=floor_stats,
        max_ratio=1.5,
        max_subject=100.0,
    )


class _BareTable:
    """Qt's own floor for a table of rows: a minimal model in a bare QTableView."""

    def __init__(self, parent: Any) -> None:
        from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
        from PySide6.QtWidgets import QTableView

        class Model(QAbstractTableModel):
            def __init__(self, rows: list[tuple[Any, ...]]) -> None:
                super().__init__()
                self.rows = rows

            def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
                return len(self.rows)

            def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
                return len(self.rows[0]) if self.rows else 0

            def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
                if role == Qt.ItemDataRole.DisplayRole:
                    return str(self.rows[index.row()][index.column()])
                return None

        self._model_class = Model
        self._view = QTableView()
        self._view.resize(parent.size())
        self._painted = _Painted(self._view.viewport())

    def show(self, rows: list[tuple[Any, ...]], app: Any) -> None:
        self._view.hide()
        self._view.setModel(self._model_class(rows))
        self._painted.seen = False
        self._view.show()
        _wait_until(lambda: self._painted.seen, app)

    def close(self) -> None:
        self._view.close()


def _peak_rss_mb(url: str, project: str, scratch: Path) -> float:
    result = subprocess.run(
        [sys.executable, str(PROBE), url, project, str(scratch)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the memory probe failed: {result.stderr.strip()[-300:]}")
    return float(result.stdout.split()[-1])


def measure_memory(*, tokens: int = 100_000, rounds: int = 5) -> Figure:
    datasets.use_benchmark_salt()
    cached = datasets.cached_sqlite(tokens)
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        url = datasets.working_copy(cached, scratch)
        floor, subject = alternate(
            lambda: _peak_rss_mb(url, datasets.EMPTY_PROJECT, scratch),
            lambda: _peak_rss_mb(url, datasets.PROJECT, scratch),
            rounds=rounds,
            warmup=1,
        )
    return Figure(
        name="memory of the tokens pane",
        subject=f"peak RSS with the pane of a project of {tokens:,} tokens open",
        floor="the same app with the pane of an empty project open",
        subject_stats=subject,
        floor_stats=floor,
        unit="MB",
        max_difference=30.0,
    )


def measure_generate(*, tokens: int = 100_000, rounds: int = 9) -> Figure:
    from ui.dialogs.reveal_token import RevealTokenDialog
    from ui.pages.project import DEPLOYMENT_TOKENS

    datasets.use_benchmark_salt()
    cached = datasets.cached_sqlite(tokens)
    shown: list[Any] = []
    original_paint = RevealTokenDialog.paintEvent

    waiting: list[Any] = []  # the event loop the subject waits in, while it does

    def noting_paint(dialog: Any, event: Any) -> None:
        shown.append(dialog)
        original_paint(dialog, event)
        if waiting:
            waiting[0].quit()

    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        url = datasets.working_copy(cached, scratch)
        RevealTokenDialog.paintEvent = noting_paint  # type: ignore[method-assign]
        try:
            with _window_on(url, scratch) as (app, window, project):
                window.open_project(project, DEPLOYMENT_TOKENS)
                app.processEvents()
                button = window.project_page().tokens_pane().generate_button()
                floor_generate = _ThreadedReveal(url.removeprefix("sqlite:///"), project.id)

                def subject() -> float:
                    from PySide6.QtCore import QEventLoop, Qt, QTimer
                    from PySide6.QtTest import QTest

                    shown.clear()
                    # Waits as the app does, in an event loop that sleeps until the write
                    # in the background reports back: a loop spinning processEvents would
                    # take the interpreter from that thread and time itself.
                    loop = QEventLoop()
                    waiting[:] = [loop]
                    QTimer.singleShot(10_000, loop.quit)
                    started = time.perf_counter()
                    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
                    if not shown:
                        loop.exec()
                    elapsed = (time.perf_counter() - started) * 1000
                    waiting.clear()
                    if not shown:
                        raise RuntimeError("the reveal dialog did not appear")
                    dialog = shown[0]
                    dialog.done(0)
                    app.processEvents()
                    return elapsed

                try:
                    floor_stats, subject_stats = alternate(
                        floor_generate.click, subject, rounds=rounds, warmup=1
                    )
                finally:
                    floor_generate.close()
        finally:
            RevealTokenDialog.paintEvent = original_paint  # type: ignore[method-assign]
    return Figure(
        name="Generate",
        subject=f"click Generate deployment token to the reveal dialog painted, {tokens:,} "
        "tokens in the project",
        floor="click a bare button to a bare QDialog with a QLabel showing the token, painted, "
        "with the write on a worker thread as a responsive window needs: the click hands a "
        "QRunnable to the QThreadPool, which makes a token and its HMAC-SHA256 and INSERTs "
        "its row with `sqlite3` (one autocommitted statement, the app's pragmas, a "
        "connection kept open), then signals the GUI thread, which waits in its event loop",
        subject_stats=subject_stats,
        floor_stats=floor_stats,
        max_ratio=1.5,
        max_subject=50.0,
    )


# What the floor of Generate stores: a token row as the issuer's would be, by hand.
FLOOR_INSERT_SQL = (
    "INSERT INTO deployment_token "
    "(project_id, name, digest, preview, created_at, created_by, expires_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


class _ThreadedReveal:
    """Qt's own floor for a Generate that keeps the window responsive on a locked
    database: the write on a pool thread, its answer queued back to the GUI thread, then
    a bare dialog showing the token, painted.

    Built from Qt and ``sqlite3`` alone, not from the app's runner (``ui.background``),
    so the floor measures what any design pays and not the subject's own code.
    """

    def __init__(self, path: str, project_id: int) -> None:
        import hmac
        import secrets
        import sqlite3
        import threading
        from datetime import UTC, datetime, timedelta

        from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, Signal, Slot
        from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

        from app import config

        salt = config.load_salt()
        # Opened once and only ever used by one pool thread at a time: the floor does not
        # pay for a connection per write. The app's pragmas: a commit costs the same.
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA synchronous = normal")
        connection.execute("PRAGMA foreign_keys = 1")
        connection.execute("PRAGMA busy_timeout = 5000")
        self._connection = connection
        writing = threading.Lock()

        reveal = self._reveal

        class Relay(QObject):
            """Lives in the GUI thread; its own slot receives, so an emit from the pool
            thread is queued to the GUI thread."""

            written = Signal(object)

            def __init__(self) -> None:
                super().__init__()
                self.written.connect(self.deliver)

            @Slot(object)
            def deliver(self, plaintext: str) -> None:
                reveal(plaintext)

        class Insert(QRunnable):
            def run(self) -> None:
                plaintext = "mldt_" + secrets.token_hex(24)
                now = datetime.now(UTC).replace(tzinfo=None)
                row = (
                    project_id,
                    "benchmark floor",
                    hmac.digest(salt, plaintext.encode("ascii"), "sha256").hex(),
                    plaintext[:5] + "\u2026" + plaintext[-4:],
                    now.isoformat(" "),
                    "benchmark",
                    (now + timedelta(days=90)).isoformat(" "),
                )
                with writing:
                    connection.execute(FLOOR_INSERT_SQL, row)
                relay.written.emit(plaintext)

        floor = self

        class Painted(QObject):
            """On the dialog: its first paint ends the wait."""

            def eventFilter(self, watched: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint and not floor.painted:
                    floor.painted = True
                    if floor.loop is not None:
                        floor.loop.quit()
                return False

        relay = Relay()
        self._relay = relay
        self._watcher = Painted()
        self._insert_class = Insert
        self._pool = QThreadPool.globalInstance()
        self._window = QWidget()
        self._button = QPushButton("Generate", self._window)
        QVBoxLayout(self._window).addWidget(self._button)
        self._button.clicked.connect(lambda: self._pool.start(self._insert_class()))
        self._window.show()
        self.loop: Any = None
        self.painted = False
        self._dialog: Any = None

    def click(self) -> float:
        """Milliseconds from the click to the dialog painted with the new token."""
        from PySide6.QtCore import QEventLoop, Qt, QTimer
        from PySide6.QtTest import QTest

        self.loop = loop = QEventLoop()
        QTimer.singleShot(10_000, loop.quit)
        self.painted = False
        started = time.perf_counter()
        QTest.mouseClick(self._button, Qt.MouseButton.LeftButton)
        if not self.painted:
            loop.exec()
        elapsed = (time.perf_counter() - started) * 1000
        self.loop = None
        if not self.painted:
            raise RuntimeError("the floor's dialog did not appear")
        self._dialog.done(0)
        self._dialog.deleteLater()
        self._dialog = None
        return elapsed

    def _reveal(self, plaintext: str) -> None:
        from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

        dialog = QDialog()
        QVBoxLayout(dialog).addWidget(QLabel(plaintext))
        dialog.installEventFilter(self._watcher)
        self._dialog = dialog
        dialog.show()

    def close(self) -> None:
        self._pool.waitForDone()
        self._window.close()
        self._connection.close()
