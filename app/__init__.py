"""Deployment Tokens: the domain (tokens, storage, use cases and the command line).

Nothing under ``app`` imports Qt, so the command line and ``verify`` stay light.
"""

from __future__ import annotations

# typing.TYPE_CHECKING without importing typing, which verify would pay for on every
# deployment; what follows is for annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from app.service import TokenService

__all__ = ["open_service"]


def open_service(
    database_url: str | None = None,
    *,
    create: bool = True,
    clock: Callable[[], datetime] | None = None,
    actor: str | None = None,
) -> TokenService:
    """Open the database and return the service the GUI and the CLI both use.

    ``database_url`` (``sqlite:///file.db``, ``postgresql://…``) overrides
    ML_DEPLOYMENT_DATABASE_URL, which overrides the default SQLite file in the user's
    data directory. With ``create`` false nothing is created or migrated: a missing SQLite
    file, or a database without this release's schema, is an error instead of a new,
    empty database. ``clock`` (returning an aware datetime) and ``actor`` stand in
    for the system clock and the operating-system user. Imported lazily so that
    ``import app`` stays cheap.
    """
    from app.service import open_service as _open_service

    return _open_service(database_url, create=create, clock=clock, actor=actor)
