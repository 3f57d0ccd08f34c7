"""Every database write of the window runs here, off the GUI thread, so a locked or
distant database never freezes the window.

One ``WriteRunner`` per widget that writes (a pane, a page, a dialog) runs one write at a
time on a pool thread. The work opens that thread's own connection (the service keeps one
per thread) and closes it when done; the result or the error is queued back to the GUI
thread as a signal, and handed to the caller's callbacks there.

Most writes take a few milliseconds, so the runner waits up to ``ANSWER_WITHIN_MS`` for
the answer (less than a delay a user would notice) and, when it has come, delivers it at
once: what the click changes is on screen in the same turn of the event loop, with no
busy flicker. A write that takes longer (a lock held by another program,
a distant server) goes on in the background: the runner shows a busy cursor over its
widget and disables the controls that would start another write, until the answer comes.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QApplication, QWidget

T = TypeVar("T")

# How long a click waits for its write before the window goes on without it. Under the
# 0.1 s users perceive as instant; a write on an unlocked SQLite file takes 2-7 ms, its
# answer back on the GUI thread 2-10 ms (measured on a busy 2-core machine).
ANSWER_WITHIN_MS = 100


class Connections(Protocol):
    """What the runner needs of the service: closing the calling thread's connection."""

    def close(self) -> None: ...


class _Relay(QObject):
    """Lives in the GUI thread. The worker emits; since the receivers are this object's
    own slots, Qt queues the calls to the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._on_success = on_success
        self._on_failure = on_failure
        self.succeeded.connect(self._deliver)
        self.failed.connect(self._report)

    @Slot(object)
    def _deliver(self, result: object) -> None:
        self.deleteLater()
        self._on_success(result)

    @Slot(object)
    def _report(self, error: object) -> None:
        self.deleteLater()
        if isinstance(error, Exception):
            self._on_failure(error)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay, answered: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._relay = relay
        self._answered = answered

    def run(self) -> None:
        try:
            try:
                result = self._work()
            except Exception as error:  # handed to the GUI thread, which reports it
                self._hand_back(error, failed=True)
            else:
                self._hand_back(result, failed=False)
                del result  # a plaintext token may be in it: only the GUI thread keeps it
        finally:
            self._work = _nothing
            self._answered.set()

    def _hand_back(self, answer: object, *, failed: bool) -> None:
        # RuntimeError: its widget was deleted meanwhile, and nobody waits for the answer.
        with contextlib.suppress(RuntimeError):
            (self._relay.failed if failed else self._relay.succeeded).emit(answer)


def _nothing() -> None:
    return None


class WriteRunner(QObject):
    """Runs ``parent``'s writes on a pool thread, one at a time.

    ``connections`` is the service: after each write the pool thread's connection is
    closed. ``controls`` are disabled while a write is slow; ``is_busy`` says whether one
    is running at all. ``answer_within_ms`` (default ``ANSWER_WITHIN_MS``, read at each
    run) is how long a click waits for a quick answer.
    """

    busy_changed = Signal(bool)

    def __init__(
        self,
        connections: Connections,
        parent: QWidget,
        *,
        controls: Iterable[QWidget] = (),
        answer_within_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._connections = connections
        self._widget = parent
        self._controls = list(controls)
        self._answer_within_ms = answer_within_ms
        self._running: _Relay | None = None
        self._shown_busy = False
        # The controls this runner disabled (and which of them had the focus).
        self._disabled: list[QWidget] = []
        self._had_focus: QWidget | None = None
        self._focus_moved_to: QWidget | None = None

    def is_busy(self) -> bool:
        """Whether a write is running (slow or not: its answer has not been handled)."""
        return self._running is not None

    def shows_busy(self) -> bool:
        """Whether the widget shows that a slow write is running (busy cursor, controls
        disabled)."""
        return self._shown_busy

    def run(
        self,
        work: Callable[[], T],
        succeeded: Callable[[T], object],
        failed: Callable[[Exception], object],
    ) -> bool:
        """Run ``work`` on a pool thread on a connection of its own, then
        ``succeeded(result)`` or ``failed(error)`` on the GUI thread: before this returns
        if the answer came within ``ANSWER_WITHIN_MS``, else when it comes. If the widget
        is deleted first, neither is called.

        Returns False, and runs nothing, while another write of this runner is running.
        """
        if self._running is not None:
            return False
        connections = self._connections

        def on_its_own_connection() -> T:
            try:
                return work()
            finally:
                connections.close()  # the pool thread's own connection

        relay = _Relay(self._finished(succeeded), self._finished(failed), self)
        self._running = relay
        answered = threading.Event()
        QThreadPool.globalInstance().start(_Task(on_its_own_connection, relay, answered))
        within_ms = ANSWER_WITHIN_MS if self._answer_within_ms is None else self._answer_within_ms
        if answered.wait(within_ms / 1000):
            # The answer is queued to the relay: deliver it now, in this turn.
            QCoreApplication.sendPostedEvents(relay, QEvent.Type.MetaCall)
        if self._running is relay:
            self._show_busy(True)
        return True

    def _finished(self, callback: Callable[[Any], object]) -> Callable[[Any], None]:
        def handled(answer: Any) -> None:
            # Not busy before the callback runs: it may start the next write (Retry).
            self._running = None
            self._show_busy(False)
            callback(answer)

        return handled

    def _show_busy(self, busy: bool) -> None:
        """A busy cursor over the widget and its controls disabled, while a write is slow."""
        if busy == self._shown_busy:
            return
        self._shown_busy = busy
        if busy:
            self._widget.setCursor(Qt.CursorShape.BusyCursor)
            focused = QApplication.focusWidget()
            self._disabled = [control for control in self._controls if control.isEnabled()]
            self._had_focus = focused if focused in self._disabled else None
            for control in self._disabled:
                control.setEnabled(False)
            # Where Qt moved the focus from a disabled control: given back if still there.
            self._focus_moved_to = QApplication.focusWidget()
        else:
            self._widget.unsetCursor()
            for control in self._disabled:
                control.setEnabled(True)
            # Disabling took the focus away: give it back, unless the user moved it.
            if self._had_focus is not None and QApplication.focusWidget() is self._focus_moved_to:
                self._had_focus.setFocus()
            self._disabled = []
            self._had_focus = self._focus_moved_to = None
        self.busy_changed.emit(busy)
