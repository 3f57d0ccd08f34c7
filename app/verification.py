"""Verifying a token with plain SQL on a DB-API connection: the path pipelines hit.

It imports neither peewee nor a database driver, so ``deployment-tokens verify`` on SQLite
starts in a few milliseconds (``app.cli`` opens the file with ``sqlite3`` itself), and one
call costs one HMAC and one indexed SELECT, plus, at most once a minute per token, the
write that records its use. ``TokenService.check`` runs the same code on its own
connection, so the two paths cannot drift apart. Its statements, the dialects and the
opening of an SQLite file are ``app.store.plain_sql``'s.
"""

from __future__ import annotations

import hmac
from collections import namedtuple
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from app import config, tokens
from app.errors import StorageError
from app.names import name_key, refuse_token
from app.store import locations, plain_sql
from app.store.plain_sql import POSTGRESQL, SQLITE, naive_utc, open_current_sqlite_file

__all__ = [
    "LAST_USED_RESOLUTION",
    "POSTGRESQL",
    "SQLITE",
    "UNKNOWN",
    "TokenVerifier",
    "Verdict",
    "check_sqlite_file",
    "open_current_sqlite_file",
]

# Recording every use would turn each verify into a write; a minute is as precise as
# "Last used" needs to be, and it keeps verification a read.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# The expiry an unknown token is compared with (see TokenVerifier.check).
_LONG_AGO = datetime(2000, 1, 1)
UNKNOWN = "the token is unknown or has been revoked"


# Named tuples rather than dataclasses: importing dataclasses (and inspect with it) would
# cost the verify process more than the whole lookup does. For the same reason they are
# made with collections.namedtuple, not typing.NamedTuple (typing costs 2 ms): the
# classes under TYPE_CHECKING describe the same tuples to the type checker.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple

    from app.store.plain_sql import Connection, Dialect

    class Verdict(NamedTuple):
        """The outcome of a verification: the project's name, or why it was refused.

        ``code`` says why in one word, for programs: ``malformed``, ``unknown``,
        ``expired``, ``wrong_project``, ``wrong_environment`` or ``revoked``. An allowed
        token also tells the environment it was checked for, as stored (None when none
        was named), and the environments it is limited to (empty: every one).
        """

        project: str | None
        reason: str | None = None
        code: str | None = None
        token_id: int | None = None
        environment: str | None = None
        environments: tuple[str, ...] = ()

else:
    Verdict = namedtuple(
        "Verdict",
        ["project", "reason", "code", "token_id", "environment", "environments"],
        defaults=(None, None, None, None, ()),
    )
    Verdict.__doc__ = "The outcome of a verification: the project's name, or why it was refused."


class TokenVerifier:
    """Verifies tokens against the tables that ``app.store.models`` describes, in plain SQL.

    One verifier serves one database; the connection is passed to each call, since the
    caller may reconnect between calls or use one connection per thread.
    """

    def __init__(
        self, dialect: Dialect, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._dialect = dialect
        self._sql = dialect.sql
        self._clock = clock
        # The salt last seen to match the stored fingerprint: once it has, no further
        # call needs to read the fingerprint while the salt stays the same.
        self._matched_salt: bytes | None = None
        self._last_project: tuple[str | None, str] = (None, "")
        # Worked out once a second, in the driver's form (see _tick): the start and end
        # of the current second, and the moment a use must be after to count as recent.
        self._second: int | None = None
        self._second_starts: Any = None
        self._second_ends: Any = None
        self._cutoff: Any = None
        # What an unknown token is checked against, shaped like a lookup's row: a digest
        # no token has ("-" is not hex) and an expiry long past, in the driver's form.
        self._absent: tuple[Any, ...] = (0, "-" * 64, None, 0, dialect.store_time(_LONG_AGO))
        self._absent += (None, "", "", False)

    def check(
        self,
        connection: Connection,
        salt: bytes,
        plaintext: object,
        project_name: str | None = None,
        environment: str | None = None,
        *,
        environment_required: bool = True,
    ) -> Verdict:
        """Verify like ``TokenService.verify``, and say why a token was refused.

        ``salt`` is ``config.load_salt()``. Raises ConfigurationError for a salt other
        than the one the database remembers, and the driver's errors for an unreadable
        database. A token limited to environments needs one named, unless
        ``environment_required`` is False (introspection reports them instead)."""
        _refuse_secrets(project_name, environment)
        if salt != self._matched_salt:
            # A verifier with the wrong salt must say so, not call every token unknown.
            self.check_salt(connection, salt)
        if not isinstance(plaintext, str):
            return Verdict(None, "a deployment token is text", "malformed")
        problem = tokens.format_problem(plaintext)
        if problem is not None:
            return Verdict(None, problem, "malformed")
        digest = tokens.digest(plaintext, salt)
        row = connection.execute(self._sql["lookup"], (digest,)).fetchone()
        known = row is not None
        # An unknown token goes through the same steps as a known one (the comparison,
        # the clock, the expiry), on a row no token has: telling an expired token from
        # one that never existed must not be a matter of timing either.
        found = row if known else self._absent
        token_id, stored_digest, last_used_at, project_id, expires_at, replaced_by = found[:6]
        name, key, limited = found[6:]
        matched = hmac.compare_digest(stored_digest, digest)
        now = self._clock()
        self._tick(now)  # once per call: what follows compares with this second's bounds
        expired = expires_at is not None and self._has_expired(expires_at, now)
        if not (known and matched):
            return Verdict(None, UNKNOWN, "unknown")
        # What makes a token unusable comes before its scope: an expired token is
        # refused alike whatever project is named, and so says nothing about its own.
        if expired:
            return Verdict(None, _expired(expires_at, replaced_by), "expired", token_id)
        if project_name is not None and self._key_of(project_name) != key:
            reason = f"the token does not belong to project '{project_name.strip()}'"
            return Verdict(None, reason, "wrong_project", token_id)
        checked: str | None = None
        limited_to: tuple[str, ...] = ()
        if limited or environment is not None:
            refused, checked, limited_to = self._environments(
                connection, project_id, name, token_id, limited, environment
            )
            if refused is None and environment is None and environment_required:
                refused = _none_named(limited_to)
            if refused is not None:
                return Verdict(None, refused, "wrong_environment", token_id)
        if not self._record_use(connection, token_id, last_used_at, now):
            return Verdict(None, "the token has been revoked", "revoked", token_id)
        return Verdict(name, None, None, token_id, checked, limited_to)

    def _environments(
        self,
        connection: Connection,
        project_id: int,
        project: str,
        token_id: int,
        limited: object,
        environment: str | None,
    ) -> tuple[str | None, str | None, tuple[str, ...]]:
        """Why the token may not deploy to ``environment`` (None when it may), that
        environment's stored name, and the environments the token is limited to."""
        allowed: list[Any] = []
        if limited:
            allowed = connection.execute(self._sql["token_environments"], (token_id,)).fetchall()
        limited_to = tuple(row[0] for row in allowed)
        if environment is None:
            return None, None, limited_to
        shown = environment.strip()
        wanted = name_key(shown)
        for stored, key in allowed:
            if key == wanted:
                return None, stored, limited_to
        # Not one of the token's: only the reason needs to know whether it exists.
        found = connection.execute(self._sql["environment"], (project_id, wanted)).fetchone()
        if found is None:
            return f"project '{project}' has no environment '{shown}'", None, limited_to
        if allowed:
            return f"the token is not allowed in environment '{shown}'", None, limited_to
        return None, found[1], limited_to

    def _tick(self, now: datetime) -> None:
        """Work out this second's bounds in the driver's form, once a second.

        Most calls are for tokens that expire long after this second and were used
        moments ago: comparing with values worked out once a second answers them
        without formatting ``now`` on every call.
        """
        second = int(now.timestamp())
        if second != self._second:
            whole = naive_utc(now).replace(microsecond=0)
            store = self._dialect.store_time
            self._second_starts = store(whole)
            self._second_ends = store(whole + timedelta(seconds=1))
            self._cutoff = store(whole - LAST_USED_RESOLUTION)
            self._second = second

    def _has_expired(self, expires_at: Any, now: datetime) -> bool:
        """Whether ``expires_at`` (as the driver returned it) is at or before ``now``
        (the moment ``_tick`` was last given)."""
        if expires_at >= self._second_ends:
            return False
        if expires_at <= self._second_starts:
            return True
        # It expires within this very second: compare exactly.
        return bool(expires_at <= self._dialect.store_time(naive_utc(now)))

    def _key_of(self, project_name: str) -> str:
        # A pipeline asks about the same project every time: normalise it once.
        if project_name != self._last_project[0]:
            self._last_project = (project_name, name_key(project_name.strip()))
        return self._last_project[1]

    def check_salt(self, connection: Connection, salt: bytes) -> None:
        """Raise ConfigurationError if ``salt`` is not the one this database remembers."""
        # With no fingerprint stored, no token was ever generated here: any salt may be
        # the first, so it is checked again next time.
        if plain_sql.check_salt(connection.execute, self._dialect, salt):
            self._matched_salt = salt

    def _record_use(
        self, connection: Connection, token_id: int, last_used_at: Any, now: datetime
    ) -> bool:
        """Record the use unless it was recorded within the resolution.

        ``last_used_at`` is as the driver returned it. Returns False when the token
        turned out to be revoked since it was read. On PostgreSQL the server records
        its own time and applies the resolution again (its clock is the one stored).
        """
        # The cutoff as of this call's second (check ticked the clock).
        if last_used_at is not None and last_used_at > self._cutoff:
            return True
        now = naive_utc(now)
        try:
            if self._dialect.records_use_on_server:
                # One statement, so one transaction of its own on the autocommit
                # connection: the function's row locks end with it.
                recorded = connection.execute(
                    self._sql["record_use_on_server"], (token_id,)
                ).fetchone()
                return bool(recorded[0])
            connection.execute(self._dialect.begin_write)
            try:
                updated = connection.execute(
                    self._sql["record_use"], (self._dialect.store_time(now), token_id)
                ).rowcount
                if updated:
                    plain_sql.bump_revision(connection.execute, self._dialect)
                connection.execute("COMMIT")
            except BaseException as failure:
                try:
                    connection.execute("ROLLBACK")
                except Exception:
                    # SQLite ends the transaction itself on a full disk or an I/O
                    # error; "no transaction is active" would hide why.
                    raise failure from None
                raise
        except Exception as error:  # any driver's error: the verifier knows no driver
            # The token was valid when read; failing a deployment because a timestamp
            # could not be written would be worse than a stale "Last used".
            import logging  # only here: the verify process never pays for it otherwise

            logging.getLogger(__name__).warning(
                "could not record the use of token %d: %s",
                token_id,
                locations.describe_error(error),
            )
            return True
        return int(updated) == 1


def _none_named(limited_to: tuple[str, ...]) -> str | None:
    """Why a token limited to ``limited_to`` is refused when no environment was named."""
    return (
        f"the token is limited to {_listed(limited_to)} and none was named" if limited_to else None
    )


def _refuse_secrets(project_name: str | None, environment: str | None) -> None:
    """A token or another secret of ours given as the project or environment is refused,
    never echoed in a "does not belong to" reason. ("mld" begins every prefix: the
    common case costs one substring test.)"""
    if project_name is not None and tokens.SECRET_MARK in project_name:
        refuse_token(project_name, "project name")
    if environment is not None and tokens.SECRET_MARK in environment:
        refuse_token(environment, "environment name")


def _expired(expires_at: Any, replaced_by: int | None) -> str:
    """Why an expired token was refused, with when (as the driver returned it).

    Cut from the ISO form rather than parsed and formatted (a few microseconds): an
    unknown token's answer, which has no time to format, must not be told apart by how
    long it takes."""
    if not isinstance(expires_at, str):  # a datetime (PostgreSQL); ISO text on SQLite
        if expires_at.tzinfo is not None:
            expires_at = naive_utc(expires_at)
        expires_at = expires_at.isoformat(" ")
    when = f"{expires_at[:16]} UTC"
    if replaced_by is not None and replaced_by > 0:  # (negative: a rotation's claim)
        return f"the token was rotated and its grace period ended at {when}"
    return f"the token expired at {when}"


def _listed(environments: tuple[str, ...]) -> str:
    """``environment 'a'`` or ``environments 'a', 'b'``, for a reason."""
    quoted = ", ".join(f"'{name}'" for name in environments)
    return f"environment{'s' if len(environments) > 1 else ''} {quoted}"


def check_sqlite_file(
    url: str,
    plaintext: object,
    project_name: str | None = None,
    environment: str | None = None,
) -> Verdict | None:
    """Verify against the SQLite file ``url`` names, with ``sqlite3`` alone.

    Returns None when this path does not apply (see ``open_current_sqlite_file``): the
    caller then opens the full service, which handles those. Never creates a file, nor
    writes to one that is empty or another application's (StorageError: verifying never
    sets a database up). Raises StorageError and ConfigurationError like the service.
    """
    import sqlite3

    opened = open_current_sqlite_file(url, schema_required=True)
    if opened is None:
        return None
    connection, path = opened
    try:
        salt = config.load_salt()
        return TokenVerifier(SQLITE).check(connection, salt, plaintext, project_name, environment)
    except sqlite3.Error as error:
        raise StorageError(f"{locations.describe_error(error)} ({path})") from None
    finally:
        connection.close()
