"""Verifying a token, and whether the configured salt can make and check tokens here."""

from __future__ import annotations

from datetime import timedelta

from app import config
from app.errors import ConfigurationError
from app.store import db, salt_fingerprint
from app.store.plain_sql import naive_utc
from app.use_cases.context import Context
from app.verification import Verdict


class Verifying:
    """Whether a token may be used, and why not."""

    def __init__(self, context: Context) -> None:
        self._context = context

    def verify(
        self, plaintext: str, project_name: str | None = None, environment: str | None = None
    ) -> str | None:
        """The name of the project the token belongs to, or None if it is not valid.

        With ``project_name``, a valid token of another project is not valid either;
        with ``environment``, nor is one not allowed there. Expired tokens are not valid.
        """
        return self.check(plaintext, project_name, environment).project

    def check(
        self,
        plaintext: str,
        project_name: str | None = None,
        environment: str | None = None,
        *,
        environment_required: bool = True,
    ) -> Verdict:
        """Verify like ``verify``, and say why a token was refused (``Verdict.code``).

        A token limited to environments needs one of them named, unless
        ``environment_required`` is False: introspection asks what a token is, not
        whether it may deploy somewhere, and reports its environments instead.

        Plain SQL on the service's connection (``app.verification``): the query builder
        would cost more than the lookup itself on this path.
        """
        salt = self._context.salt()
        storage = self._context.storage
        with storage.verify_guard:
            return self._context.verifier.check(
                storage.raw_connection(),
                salt,
                plaintext,
                project_name,
                environment,
                environment_required=environment_required,
            )

    def salt_problem(self) -> str | None:
        """What is wrong with the configured salt, or None when tokens can be generated.

        Besides an unset or short salt, this catches a salt that differs from the one
        this database's tokens were made with.
        """
        problem = config.salt_problem(self._context.environ)
        if problem is not None:
            return problem
        try:
            with self._context.reading():
                salt_fingerprint.check(self._context.salt())
        except ConfigurationError as error:
            return str(error)
        return None

    def expiry_counts(self) -> dict[str, tuple[int, int, int]]:
        """Each project's live tokens that expire within 1, 7 and 30 days (cumulative),
        for the service's /metrics: Prometheus can alert on them without ``notify``.
        Projects with none are left out."""
        now = self._context.now()
        with self._context.reading():
            _, dialect = db.on_the_models_database()
            at = [dialect.store_time(naive_utc(now + timedelta(days=d))) for d in (1, 7, 0, 30)]
            rows = self._context.ask("expiry_counts", *at)
        return {str(name): (int(day), int(week), int(month)) for name, day, week, month in rows}
