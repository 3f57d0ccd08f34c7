"""Running a database write off the GUI thread, so a locked or distant database never
freezes the window: the answer comes back to the GUI thread as a queued signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


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
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # handed to the GUI thread, which reports it
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)
            del result  # a plaintext token may be in it: only the GUI thread keeps it
        finally:
            self._work = _nothing


def _nothing() -> None:
    return None


def run_in_background(
    parent: QObject,
    work: Callable[[], Any],
    succeeded: Callable[[Any], None],
    failed: Callable[[Exception], None],
) -> None:
    """Run ``work`` on a pool thread, then ``succeeded(result)`` or ``failed(error)`` on
    the thread ``parent`` lives in. If ``parent`` is deleted first, neither is called."""
    QThreadPool.globalInstance().start(_Task(work, _Relay(succeeded, failed, parent)))
