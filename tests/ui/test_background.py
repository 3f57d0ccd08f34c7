"""The one runner of the window's writes: off the GUI thread, on a connection of its own,
answers handed back on the GUI thread, one write at a time, busy while slow."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from ui.background import WriteRunner


class Connections:
    """Records which thread closed its connection, as ``TokenService.close`` would."""

    def __init__(self) -> None:
        self.closed_on: list[threading.Thread] = []

    def close(self) -> None:
        self.closed_on.append(threading.current_thread())


@pytest.fixture
def widget(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_a_quick_write_is_answered_before_run_returns_on_the_gui_thread(widget):
    connections = Connections()
    runner = WriteRunner(connections, widget)
    ran_on: list[threading.Thread] = []
    answers: list[object] = []

    def work() -> int:
        ran_on.append(threading.current_thread())
        return 42

    def succeeded(result: int) -> None:
        answers.append((result, threading.current_thread()))

    assert runner.run(work, succeeded, answers.append)
    assert answers == [(42, threading.main_thread())]
    assert ran_on != [threading.main_thread()]
    # The pool thread closed its own connection, after the work.
    assert connections.closed_on == ran_on
    assert not runner.is_busy()
    assert not runner.shows_busy()


def test_an_error_is_handed_back_and_the_connection_still_closed(widget):
    connections = Connections()
    runner = WriteRunner(connections, widget)
    errors: list[Exception] = []

    def work() -> None:
        raise ValueError("refused")

    runner.run(work, lambda _result: None, errors.append)
    assert [str(error) for error in errors] == ["refused"]
    assert len(connections.closed_on) == 1


def test_a_slow_write_shows_busy_runs_alone_and_gives_the_controls_back(qtbot, widget):
    button = QPushButton("Save", widget)
    other = QPushButton("Other", widget)
    QVBoxLayout(widget).addWidget(button)
    widget.layout().addWidget(other)
    widget.show()
    qtbot.waitExposed(widget)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    runner = WriteRunner(Connections(), widget, controls=[button], answer_within_ms=10)
    release = threading.Event()
    answers: list[str] = []

    assert runner.run(lambda: release.wait(10) and "saved", answers.append, answers.append)
    # Not answered yet: the window goes on, showing that it waits.
    assert answers == []
    assert runner.is_busy()
    assert runner.shows_busy()
    assert not button.isEnabled()
    assert widget.cursor().shape() == Qt.CursorShape.BusyCursor
    # One write at a time.
    assert not runner.run(lambda: "second", answers.append, answers.append)

    release.set()
    qtbot.waitUntil(lambda: answers == ["saved"])
    assert not runner.is_busy()
    assert not runner.shows_busy()
    assert button.isEnabled()
    assert button.hasFocus()  # given back: the user had not moved it
    assert widget.cursor().shape() == Qt.CursorShape.ArrowCursor


def test_a_control_disabled_before_the_write_stays_disabled(qtbot, widget):
    button = QPushButton("Remove", widget)
    button.setEnabled(False)
    runner = WriteRunner(Connections(), widget, controls=[button], answer_within_ms=0)
    release = threading.Event()
    answers: list[object] = []
    runner.run(lambda: release.wait(10), answers.append, answers.append)
    release.set()
    qtbot.waitUntil(lambda: answers == [True])
    assert not button.isEnabled()


def test_the_callback_may_start_the_next_write(widget):
    runner = WriteRunner(Connections(), widget)
    answers: list[int] = []

    def first(result: int) -> None:
        answers.append(result)
        assert runner.run(lambda: 2, answers.append, answers.append)  # a Retry does this

    runner.run(lambda: 1, first, answers.append)
    assert answers == [1, 2]


def test_nothing_is_called_back_once_the_widget_is_gone(qtbot):
    widget = QWidget()
    runner = WriteRunner(Connections(), widget, answer_within_ms=0)
    release = threading.Event()
    answers: list[object] = []

    def work() -> str:
        release.wait(10)
        return "late"

    runner.run(work, answers.append, answers.append)
    widget.deleteLater()
    qtbot.waitUntil(lambda: not _alive(runner))
    release.set()
    qtbot.wait(50)  # time for an answer to arrive, if one could
    assert answers == []


def _alive(runner: WriteRunner) -> bool:
    try:
        runner.objectName()
    except RuntimeError:
        return False
    return True
