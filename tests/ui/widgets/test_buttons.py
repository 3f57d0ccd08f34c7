"""ActionButton: Enter presses a focused button outside a dialog, as Space does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui.widgets.buttons import ActionButton


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_enter_and_space_press_a_focused_action_button(qtbot, key):
    button = ActionButton("Generate deployment token")
    qtbot.addWidget(button)
    with qtbot.waitSignal(button.clicked, timeout=1000):
        qtbot.keyClick(button, key)


def test_a_plain_push_button_ignores_enter_which_is_why_action_button_exists(qtbot):
    button = QPushButton("Generate deployment token")
    qtbot.addWidget(button)
    clicks: list[bool] = []
    button.clicked.connect(clicks.append)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.wait(300)
    assert clicks == []


def test_other_keys_do_not_press_it(qtbot):
    button = ActionButton("Generate deployment token")
    qtbot.addWidget(button)
    clicks: list[bool] = []
    button.clicked.connect(clicks.append)
    qtbot.keyClick(button, Qt.Key.Key_A)
    qtbot.wait(300)
    assert clicks == []
