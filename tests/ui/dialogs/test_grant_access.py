"""Members > Grant…: the role completed from the database's login roles, a name it does
not have refused beside the field, and the level chosen (Viewer unless changed)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from tests.support.ui import button, click
from ui.access import ACCESS_LEVELS
from ui.dialogs.grant_access import GrantAccessDialog

ROLES = ["ci_runner", "release_bot", "alice"]


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)  # the dialog deletes itself when closed: its parent is kept
    return widget


@pytest.fixture
def dialog(qtbot, parent) -> GrantAccessDialog:
    dialog = GrantAccessDialog("web", ROLES, parent)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_role_is_completed_from_the_login_roles(qtbot, dialog):
    completer = dialog.role_field().completer()
    completer.setCompletionPrefix("RUN")  # contains, ignoring case
    assert completer.currentCompletion() == "ci_runner"
    assert not dialog.grant_button().isEnabled()


def test_a_role_the_database_lacks_is_refused_beside_the_field(qtbot, dialog):
    dialog.role_field().setText("ci_")  # part of a name: no scolding yet
    assert dialog.problem() == ""
    assert not dialog.grant_button().isEnabled()
    dialog.role_field().setText("mallory")
    assert dialog.problem() == "The database has no login role named “mallory”."
    assert not dialog.grant_button().isEnabled()
    dialog.accept()  # Enter on it: refused, still open
    assert dialog.isVisible()


def test_grant_gives_the_role_and_the_level_chosen(qtbot, dialog):
    assert dialog.level_choice().currentData() == "viewer"
    chosen = []
    dialog.chosen.connect(lambda role, level: chosen.append((role, level)))
    dialog.role_field().setText(" release_bot ")
    dialog.choose_level("manager")
    assert dialog.grant_button().isEnabled()
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Grant"))
    assert chosen == [("release_bot", "manager")]


def test_every_level_is_offered_with_its_meaning(dialog):
    levels = [dialog.level_choice().itemData(i) for i in range(dialog.level_choice().count())]
    assert levels == list(ACCESS_LEVELS)
    meanings = set()
    for index in range(len(levels)):
        dialog.level_choice().setCurrentIndex(index)
        meanings.add(dialog.findChild(QWidget, "levelMeaning").text())
    assert len(meanings) == len(levels)
    assert "" not in meanings


def test_without_a_list_of_roles_any_name_may_be_granted(parent):
    dialog = GrantAccessDialog("web", [], parent)
    dialog.role_field().setText("someone")
    assert dialog.grant_button().isEnabled()
    assert dialog.problem() == ""
