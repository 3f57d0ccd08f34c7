"""The levels of access to a project (``app/access_levels.py``): their order, and the
one line a refused role is told."""

from __future__ import annotations

import pytest

from app.access_levels import ACCESS_LEVELS, ADMIN, MANAGER, VIEWER, level_rank, refusal


def test_the_levels_rise_from_viewer_to_admin():
    assert ACCESS_LEVELS == (VIEWER, MANAGER, ADMIN) == ("viewer", "manager", "admin")
    assert [level_rank(level) for level in (None, *ACCESS_LEVELS)] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("held", "needed", "enough"),
    [
        (None, VIEWER, False),
        (VIEWER, VIEWER, True),
        (VIEWER, MANAGER, False),
        (MANAGER, VIEWER, True),
        (MANAGER, ADMIN, False),
        (ADMIN, MANAGER, True),
        (ADMIN, ADMIN, True),
    ],
)
def test_a_higher_level_allows_what_a_lower_one_does(held, needed, enough):
    assert (level_rank(held) >= level_rank(needed)) is enough


@pytest.mark.parametrize(
    ("needed", "project", "held", "said"),
    [
        ("admin", "web", "manager", "admin on project 'web', and you are manager there"),
        ("manager", "web", None, "manager on project 'web', and you hold no level there"),
        ("admin", None, "viewer", "admin on every project, and you are viewer there"),
        ("viewer", None, None, "viewer on every project, and you hold no level there"),
    ],
)
def test_a_refusal_names_the_level_needed_where_and_what_the_role_holds(
    needed, project, held, said
):
    assert refusal(needed, project, held, "ann") == f"this needs {said} (ann)"
