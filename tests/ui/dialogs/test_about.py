"""Help > About: the app's name, its installed version, and the database it has open."""

from __future__ import annotations

from importlib.metadata import version

import pytest
from PySide6.QtWidgets import QWidget

from ui.dialogs import about


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_about_shows_the_installed_version_and_the_database(parent):
    box = about.show_about(parent, "Deployment Tokens", "/srv/tokens.sqlite3")
    assert box.windowTitle() == "About Deployment Tokens"
    assert box.text() == f"<b>Deployment Tokens</b> {version('deployment-tokens')}"
    assert "Database: /srv/tokens.sqlite3" in box.informativeText()
    assert not box.iconPixmap().isNull()
    box.close()


def test_a_database_still_opening_is_said_and_a_location_is_escaped(parent):
    box = about.show_about(parent, "Deployment Tokens", None)
    assert "Database: not open yet" in box.informativeText()
    box.close()
    box = about.show_about(parent, "Deployment Tokens", "postgresql://a<b>@host/db")
    assert "a&lt;b&gt;@host" in box.informativeText()
    box.close()


def test_without_package_metadata_the_version_is_unknown(parent, monkeypatch):
    from importlib.metadata import PackageNotFoundError

    def missing(name: str) -> str:
        raise PackageNotFoundError(name)

    monkeypatch.setattr(about, "version", missing)
    box = about.show_about(parent, "Deployment Tokens", None)
    assert box.text() == "<b>Deployment Tokens</b> (version unknown)"
    box.close()
