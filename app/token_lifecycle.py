"""A token's life after its birth: generating it with an expiry and environments,
rotating it, changing its expiry or environments, and finding the ones expiring.

Use cases of ``TokenService``, within the project's settings (``app.project_settings``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from app import config, db, durations, lifecycle, tokens
from app.errors import ConflictError, ValidationError
from app.issuing import DEFAULT_TOKEN_NAME, Issued, later, when
from app.lifecycle import Expiry
from app.models import AuditEvent, DeploymentToken, Project, TokenEnvironment
from app.project_settings import ProjectSettings
from app.records import TokenRecord
from app.use_cases import changed, naive

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_TOKEN_NAME", "TokenLifecycle"]


class TokenLifecycle(ProjectSettings):
    """Generate, rotate, re-scope and find expiring tokens."""

    def generate(
        self,
        project_name: str,
        name: str | None = None,
        *,
        expiry: Expiry | None = None,
        environments: Iterable[str] = (),
    ) -> tuple[TokenRecord, str]:
        """Store a new token's digest and return its record and, once, its plaintext.

        ``name`` None gives a unique default, "Deployment token 3". ``expiry``
        None applies the project's default lifetime; ``environments`` empty allows every
        environment of the project. The plaintext is returned only after the commit
        succeeded: a token the user sees is always a token that works.
        """
        wanted = list(environments)
        salt = config.load_salt(self._environ)
        plaintext = tokens.new_token()
        with self.storage.guard, db.write_transaction(self._database):
            # Plain SQL (app.issuing), the very write `tokens generate` makes on its own.
            issued = self._issuer.generate(
                self.storage.raw_connection(),
                salt=salt,
                plaintext=plaintext,
                project_name=project_name,
                name=name,
                expiry=expiry,
                environments=wanted,
                actor=self.actor,
                now=self._clock(),
            )
        log.info("generated token %d (%s) in project %r", issued.id, issued.preview, issued.project)
        return _record(issued), plaintext

    def rotate(
        self, project_name: str, token_id: int, *, grace: timedelta = timedelta(0)
    ) -> tuple[TokenRecord, str]:
        """Replace a token with a successor of the same name, environments and lifetime.

        The old token stops working at now + ``grace``, or when it expires if that comes
        sooner (at once with no grace, when it is revoked outright). One transaction; the
        plaintext of the successor is returned only after it committed.
        """
        successor, plaintext, _ = self.rotate_with_stop(project_name, token_id, grace=grace)
        return successor, plaintext

    def rotate_with_stop(
        self, project_name: str, token_id: int, *, grace: timedelta = timedelta(0)
    ) -> tuple[TokenRecord, str, datetime]:
        """As ``rotate``, and also when the old token stops working: now with no grace,
        else the sooner of now + ``grace`` and its own expiry (a grace never lengthens a
        token's life)."""
        if grace < timedelta(0):
            raise ValidationError("the grace period cannot be negative")
        lifecycle.check_duration(grace, "grace period")
        salt = config.load_salt(self._environ)
        plaintext = tokens.new_token()
        with self.storage.guard, db.write_transaction(self._database):
            # Plain SQL (app.issuing), as generate: the successor is the issuer's write,
            # and the whole rotation one transaction on one side of the store.
            successor, stop = self._issuer.rotate(
                self.storage.raw_connection(),
                salt=salt,
                plaintext=plaintext,
                project_name=project_name,
                token_id=token_id,
                grace=grace,
                actor=self.actor,
                clock=self._clock,
            )
        log.info(
            "rotated token %d into %d in project %r", token_id, successor.id, successor.project
        )
        return _record(successor), plaintext, stop

    def set_token_expiry(self, project_name: str, token_id: int, expiry: Expiry) -> TokenRecord:
        """Give a token a new expiry, within the project's policy.

        Refused for a token that was rotated: its end was set by the rotation, and a new
        expiry would keep a replaced token alive (or bring it back).
        """
        with self.storage.guard, db.write_transaction(self._database):
            project = self._project(project_name)
            token = self._token(project, token_id)
            if token.replaced_by is not None:
                raise ConflictError(
                    f"token {token.id} was rotated (token {token.replaced_by} replaces it), "
                    "so its expiry cannot be changed; revoke it to stop it sooner"
                )
            now = self._clock()
            expires_at = expiry.resolve(now, self._policy(project))
            token.expires_at = None if expires_at is None else naive(expires_at)
            token.save(only=[DeploymentToken.expires_at])
            self._audit(
                project,
                AuditEvent.EXPIRY_CHANGED,
                token,
                naive(now),
                "no expiry" if expires_at is None else f"expires {when(expires_at)}",
            )
            changed()
        return self._token_record(token, project.name)

    def set_token_environments(
        self, project_name: str, token_id: int, environments: Iterable[str]
    ) -> TokenRecord:
        """Limit a token to some of the project's environments (none: all of them)."""
        wanted = list(environments)
        with self.storage.guard, db.write_transaction(self._database):
            project = self._project(project_name)
            token = self._token(project, token_id)
            chosen = [self._environment(project, env) for env in wanted]
            TokenEnvironment.delete().where(TokenEnvironment.token == token).execute()
            for environment in {e.id: e for e in chosen}.values():
                TokenEnvironment.create(token=token, environment=environment)
            names = sorted({e.name for e in chosen}, key=str.casefold)
            self._audit(
                project,
                AuditEvent.ENVIRONMENTS_CHANGED,
                token,
                self._now(),
                "environments: " + (", ".join(names) if names else "all"),
            )
            changed()
        return self._token_record(token, project.name)

    def expiring(self, within: timedelta = durations.EXPIRING_WITHIN) -> list[TokenRecord]:
        """Across all projects, live tokens that expire within ``within`` or have expired,
        soonest first."""
        with self.storage.guard:
            query = (
                DeploymentToken.select(DeploymentToken, Project.name)
                .join(Project)
                .where(DeploymentToken.expires_at <= later(self._now(), within))
                .order_by(DeploymentToken.expires_at, DeploymentToken.id)
            )
            found: list[TokenRecord] = []
            for token in query:
                found.extend(self._token_records([token], token.project.name))
            return found


def _record(issued: Issued) -> TokenRecord:
    """A token just issued, as the service hands tokens out."""
    return TokenRecord(
        id=issued.id,
        project=issued.project,
        name=issued.name,
        preview=issued.preview,
        created_at=issued.created_at,
        created_by=issued.created_by,
        last_used_at=None,
        expires_at=issued.expires_at,
        environments=issued.environments,
        replaced_by=None,
    )
