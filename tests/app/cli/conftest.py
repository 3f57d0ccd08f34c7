"""What the command line's tests share: a project to work in."""

from __future__ import annotations

import pytest


@pytest.fixture
def web(cli):
    """A project "Web", added through the command line; its name."""
    assert cli("projects", "add", "Web").code == 0
    return "Web"
