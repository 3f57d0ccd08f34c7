"""The errors a user is shown (``app/errors.py``): the kinds callers catch, and the
messages the two errors that build their own compose."""

from __future__ import annotations

import pytest

from app.errors import (
    AccessDeniedError,
    ConfigurationError,
    ConflictError,
    DeploymentTokensError,
    LockedError,
    NotFoundError,
    StillHasTokensError,
    StorageError,
    UnavailableError,
    UnsafePermissionsError,
    ValidationError,
)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (ConfigurationError, DeploymentTokensError),
        (ValidationError, DeploymentTokensError),
        (NotFoundError, DeploymentTokensError),
        (AccessDeniedError, DeploymentTokensError),
        (StillHasTokensError, ConflictError),
        (LockedError, ConflictError),
        (UnavailableError, StorageError),
        (UnsafePermissionsError, StorageError),
        (StorageError, DeploymentTokensError),
    ],
)
def test_each_error_is_caught_as_its_kind(error, kind):
    """The command line chooses its exit code by kind: a locked row exits as a conflict,
    an unreachable server as a storage error."""
    assert issubclass(error, kind)
    assert issubclass(error, DeploymentTokensError)


def test_a_lock_names_what_is_locked_and_who_holds_it():
    error = LockedError("project 'web'", (4711, 4712))
    assert str(error) == (
        "project 'web' is locked by another session (pid 4711 or 4712); "
        "nothing was changed, try again"
    )
    assert (error.subject, error.holders) == ("project 'web'", (4711, 4712))


def test_a_lock_whose_holder_is_unknown_names_no_pid():
    assert str(LockedError("the token", ())) == (
        "the token is locked by another session; nothing was changed, try again"
    )


def test_saying_gives_the_same_lock_with_another_outcome():
    error = LockedError("project 'web'", (4711,))
    said = error.saying("nothing was revoked")
    assert isinstance(said, LockedError)
    assert said is not error
    assert (said.subject, said.holders) == (error.subject, error.holders)
    assert str(said) == (
        "project 'web' is locked by another session (pid 4711); nothing was revoked, try again"
    )
    assert str(error).endswith("nothing was changed, try again")  # the first one unchanged


def test_unsafe_permissions_end_with_the_one_command_that_fixes_them():
    error = UnsafePermissionsError(
        "/home/ann/tokens.db can be written by others", fix="chmod 600 /home/ann/tokens.db"
    )
    assert str(error) == (
        "/home/ann/tokens.db can be written by others; fix it with: chmod 600 /home/ann/tokens.db"
    )
    assert error.problem == "/home/ann/tokens.db can be written by others"
    assert error.fix == "chmod 600 /home/ann/tokens.db"
    assert isinstance(error, StorageError)
