"""The levels of access to a project and the one line that explains a refusal.

Pure and free of imports: the plain-SQL issuer (``app.issuing``, on the path of
``tokens generate``) checks a level with it, as the use cases do (``Context.require``).
"""

from __future__ import annotations

# Lowest first: each allows what the one before does.
ACCESS_LEVELS = ("viewer", "manager", "admin")
VIEWER, MANAGER, ADMIN = ACCESS_LEVELS


def level_rank(level: str | None) -> int:
    """0 for no level, then 1, 2, 3 for viewer, manager, admin."""
    return 0 if level is None else ACCESS_LEVELS.index(level) + 1


def refusal(needed: str, project: str | None, held: str | None, actor: str) -> str:
    """What a role is told when it holds ``held`` where the change needs ``needed``, on
    the project (on every project when None)."""
    where = "every project" if project is None else f"project '{project}'"
    holds = f"you are {held} there" if held else "you hold no level there"
    return f"this needs {needed} on {where}, and {holds} ({actor})"
