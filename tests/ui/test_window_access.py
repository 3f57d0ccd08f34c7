"""Who the user is and what the window's own actions allow, in the status bar: the
login role and its levels, or the SQLite file's one user (a read-only file:
test_read_only_window.py)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from app.config import current_user
from app.records import AccessRecord, Identity
from ui.window_access import identity_text


def test_on_postgresql_the_status_bar_names_the_role_and_its_levels():
    levels = (
        AccessRecord("bob", None, "manager"),
        AccessRecord("bob", "web", "admin"),
    )
    shown, tip = identity_text(
        Identity("bob", "postgresql://bob@db/tokens", levels), controlled=True
    )
    assert shown == "Role: bob"
    assert "postgresql://bob@db/tokens" in tip
    assert "Your levels: manager on all projects; admin on web." in tip
    _, without = identity_text(
        Identity("carol", "postgresql://carol@db/tokens", ()), controlled=True
    )
    assert "You hold no level yet: ask an admin for one." in without


@pytest.mark.only_backend("sqlite")
def test_on_sqlite_the_status_bar_names_the_local_user_and_the_file(window, database_path):
    label = window.findChild(QLabel, "identityStatus")
    assert label is not None
    assert label.isVisible()
    user = window.service.actor
    assert user == current_user()  # the operating-system user, as the audit log names it
    assert label.text() == f"User: {user}"
    assert str(database_path) in label.toolTip()
    assert "admin of every project" in label.toolTip()
    assert label.accessibleName() == label.text()
    # Beside the database label, which keeps saying where the data is.
    location = window.findChild(QLabel, "databaseLocation")
    assert location.text() == f"Database: {database_path}"
    assert label.x() < location.x()
    # Everyone is admin on SQLite: New project is not held back.
    assert window.new_project_refusal() is None
    assert window.projects_page().new_button().isEnabled()
