"""The errors a user can be shown: each message is one clear sentence, never a secret."""

from __future__ import annotations


class DeploymentTokensError(Exception):
    """Base of every error whose message is meant for the user as it is."""


class ConfigurationError(DeploymentTokensError):
    """The environment or the command line is set up wrongly (salt, database URL)."""


class ValidationError(DeploymentTokensError):
    """The user gave a value that cannot be accepted (an empty name, say)."""


class NotFoundError(DeploymentTokensError):
    """A project or token the user named does not exist (any more)."""


class AccessDeniedError(DeploymentTokensError):
    """The database refuses this role the change: it needs a higher level on the project
    (PostgreSQL's access control). Nothing was changed. (Exit 1.)"""


class ConflictError(DeploymentTokensError):
    """The change would clash with what is stored (a duplicate project name)."""


class StillHasTokensError(ConflictError):
    """A project asked to be deleted only if it has no live tokens still has some."""


class LockedError(ConflictError):
    """Another session held a lock the change needed for longer than the lock timeout;
    nothing was changed, and trying again may succeed. (Exit 1, like a conflict.)"""

    def __init__(
        self, subject: str, holders: tuple[int, ...], outcome: str = "nothing was changed"
    ) -> None:
        self.subject = subject
        self.holders = holders
        shown = f" (pid {' or '.join(map(str, holders))})" if holders else ""
        super().__init__(f"{subject} is locked by another session{shown}; {outcome}, try again")

    def saying(self, outcome: str) -> LockedError:
        """The same error, saying what did not happen (``nothing was revoked``)."""
        return LockedError(self.subject, self.holders, outcome)


class StorageError(DeploymentTokensError):
    """The database could not be opened, read or written."""


class UnavailableError(StorageError):
    """The database server cannot be reached (down, restarting, or the network is out).

    Worth retrying: nothing was changed, and the next attempt reconnects.
    """


class UnsafePermissionsError(StorageError):
    """The database, or its directory, could be changed by someone else.

    ``fix`` is the one shell command that makes it the user's alone; the message ends
    with it, and the desktop app shows it on a line of its own.
    """

    def __init__(self, problem: str, *, fix: str) -> None:
        super().__init__(f"{problem}; fix it with: {fix}")
        self.problem = problem
        self.fix = fix
