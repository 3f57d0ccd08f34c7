"""The choices beside Generate: a name too long for the field is not cut silently."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from app import lifecycle
from app.names import NAME_MAX_LENGTH
from tests.support.ui import click_list_item, open_tokens_pane, project_sidebar

pytestmark = pytest.mark.usefixtures("no_clipboard_left")


def notes_beside(field) -> list[str]:
    group = field.parentWidget()
    return [label.text() for label in group.findChildren(QLabel) if label.isVisible()]


def test_a_name_cut_at_the_limit_says_so_beside_the_field(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    field = window.project_page().tokens_pane().options().name_field()
    qtbot.keyClicks(field, "Nightly")
    assert notes_beside(field) == ["Token name:"]
    # A pasted name longer than a name may be: the field keeps the first 100.
    field.clear()
    QApplication.clipboard().setText("GitLab CI deploy job " * 10)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(field.text()) == NAME_MAX_LENGTH
    assert notes_beside(field) == [
        "Token name:",
        f"At most {NAME_MAX_LENGTH} characters; more is left out",
    ]
    # Shorter again: the note goes.
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert notes_beside(field) == ["Token name:"]


def test_generate_and_the_policy_page_offer_the_same_lifetimes(qtbot, window, web_project):
    # One list of lifetimes (app.lifecycle), one No expiry label, offered in both places.
    expected = [
        "7 days",
        "30 days",
        "60 days",
        "90 days (default)",
        "1 year",
        "A date…",
        "No expiry",
    ]
    open_tokens_pane(qtbot, window, "web")
    expires = window.project_page().tokens_pane().options().expires_choice()
    assert [expires.itemText(i) for i in range(expires.count())] == expected
    click_list_item(qtbot, project_sidebar(window), "Token policy")
    default = window.project_page().policy_pane().default_choice()
    offered = [default.itemText(i) for i in range(default.count())]
    assert offered == [text.removesuffix(" (default)") for text in expected if text != "A date…"]
    assert [default.itemData(i) for i in range(default.count())] == [
        *lifecycle.LIFETIME_CHOICES,
        None,
    ]
