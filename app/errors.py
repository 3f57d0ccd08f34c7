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


class ConflictError(DeploymentTokensError):
    """The change would clash with what is stored (a duplicate project name)."""


class StillHasTokensError(ConflictError):
    """A project asked to be deleted only if it has no live tokens still has some."""


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
