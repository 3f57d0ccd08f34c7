"""Who may do what: the levels PostgreSQL holds for each login role, and changing them.

The database decides (``app/store/access_control_v8.sql``: row-level security, the
levels' functions, the actor stamped from ``session_user``); these use cases ask its
functions and say what they answered. SQLite has one local user, admin of everything:
changing access there is a configuration error.
"""

from __future__ import annotations

import logging

from app.access_levels import ACCESS_LEVELS, ADMIN
from app.errors import ConfigurationError, NotFoundError, ValidationError
from app.names import refuse_token
from app.records import AccessRecord, Identity
from app.use_cases import lookups
from app.use_cases.context import Context, changed

log = logging.getLogger(__name__)

NEEDS_POSTGRESQL = (
    "access control needs PostgreSQL: an SQLite file has one user, who is admin of every "
    "project (see the README, 'Team set-up')"
)
# PostgreSQL's own limit on a role's name.
ROLE_NAME_MAX_LENGTH = 63


class Access:
    """The levels of the login roles, per project and on every project."""

    def __init__(self, context: Context) -> None:
        self._context = context

    def whoami(self) -> Identity:
        """The role this connection acts as, where, and its levels (on every project
        first, then per project by name)."""
        context = self._context
        levels: tuple[AccessRecord, ...]
        with context.reading():
            if not context.access_controlled:
                levels = (AccessRecord(context.actor, None, ADMIN),)
            else:
                levels = tuple(
                    AccessRecord(context.actor, project, level)
                    for project, level in context.ask("whoami")
                )
        return Identity(context.actor, context.storage.location, levels)

    def level(self, project_name: str) -> str | None:
        """This role's level on the project (viewer, manager, admin); a project it may
        not see is unknown (NotFoundError)."""
        with self._context.reading():
            return self._context.level_on(lookups.project(project_name))

    def project_admins(self, project_name: str) -> list[str]:
        """Who may grant levels on the project: its admins, those of every project, and
        the database's owner (by role name, each once)."""
        context = self._context
        with context.reading():
            project = lookups.project(project_name)
            if not context.access_controlled:
                return [context.actor]
            names = [str(role) for role, _ in context.ask("project_admins", project.id)]
        return list(dict.fromkeys(names))

    def list_access(self, project_name: str | None = None) -> list[AccessRecord]:
        """The levels held on the project and on every project (all of them, without a
        project), as far as this role may see them: those on the projects it
        administers, and its own."""
        self._refuse_sqlite()
        context = self._context
        with context.reading():
            project = None if project_name is None else lookups.project(project_name)
            rows = context.ask("access_list", None if project is None else project.id)
        return [AccessRecord(str(role), name, str(level)) for role, name, level in rows]

    def grant_access(self, role: str, project_name: str | None, level: str) -> AccessRecord:
        """Give ``role`` ``level`` on the project (on every project, present and future,
        when None), replacing the level it held there. The database refuses it unless
        this role is admin there."""
        self._refuse_sqlite()
        wanted = _role_name(role)
        if level not in ACCESS_LEVELS:
            raise ValidationError(f"a level is {', '.join(ACCESS_LEVELS)}, not '{level}'")
        context = self._context
        with context.writing():
            project = None if project_name is None else lookups.project(project_name)
            context.require(ADMIN, project)
            context.ask("grant_level", wanted, None if project is None else project.id, level)
            changed()
        log.info("gave %r %s on %s", wanted, level, project_name or "every project")
        return AccessRecord(wanted, None if project is None else project.name, level)

    def revoke_access(self, role: str, project_name: str | None) -> AccessRecord:
        """Take away the level ``role`` holds on the project (on every project when
        None); NotFoundError when it holds none there."""
        self._refuse_sqlite()
        wanted = _role_name(role)
        context = self._context
        with context.writing():
            project = None if project_name is None else lookups.project(project_name)
            context.require(ADMIN, project)
            project_id = None if project is None else project.id
            held = [
                AccessRecord(str(name), shown, str(level))
                for name, shown, level in context.ask("access_list", project_id)
                if name == wanted and shown == (None if project is None else project.name)
            ]
            where = "every project" if project is None else f"project '{project.name}'"
            if not held:
                raise NotFoundError(f"{wanted} holds no level of its own on {where}")
            # The revision first: a role that takes its own last manager-or-above level
            # away may no longer move it once it is gone (row-level security would skip
            # the update silently, and other clients would never hear of the change).
            changed()
            context.ask("revoke_level", wanted, project_id)
        log.info("took %r's %s on %s away", wanted, held[0].level, where)
        return held[0]

    def login_roles(self) -> list[str]:
        """Every login role of the database's cluster, to complete a name (none on
        SQLite)."""
        if not self._context.access_controlled:
            return []
        with self._context.reading():
            return [str(name) for (name,) in self._context.ask("login_roles")]

    def _refuse_sqlite(self) -> None:
        if not self._context.access_controlled:
            raise ConfigurationError(NEEDS_POSTGRESQL)


def _role_name(role: str) -> str:
    """A role's name as PostgreSQL stores it: as typed, ValidationError for one it
    could not hold."""
    name = str(role).strip()
    refuse_token(name, "role name")
    if not name or len(name) > ROLE_NAME_MAX_LENGTH or "\x00" in name:
        raise ValidationError(
            f"a role's name is 1 to {ROLE_NAME_MAX_LENGTH} characters, as `psql \\du` lists it"
        )
    return name
