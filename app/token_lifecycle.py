"""A token's life after its birth: generating it with an expiry and environments,
rotating it, changing its expiry or environments, and finding the ones expiring.

Use cases of ``TokenService``, within the project's settings (``app.project_settings``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from app import config, db, durations, lifecycle, salt_fingerprint, tokens
from app.errors import ConflictError, ValidationError
from app.lifecycle import Expiry
from app.models import AuditEvent, DeploymentToken, Environment, Project, TokenEnvironment
from app.names import clean_name
from app.project_settings import ProjectSettings
from app.records import TokenRecord
from app.use_cases import already_revoked, aware, changed, naive

log = logging.getLogger(__name__)

DEFAULT_TOKEN_NAME = "Deployment token"  # noqa: S105 (a label, not a secret)


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
        label = None if name is None else clean_name(name, "token name")
        wanted = list(environments)
        salt = config.load_salt(self._environ)
        plaintext = tokens.new_token()
        with self.storage.guard, db.write_transaction(self._database):
            salt_fingerprint.check(salt, remember=True)
            project = self._project(project_name)
            now = self._clock()
            expires_at = (expiry or Expiry.default()).resolve(now, self._policy(project))
            token, scope = self._insert_token(
                project,
                label or self._default_name(project),
                (plaintext, salt),
                now,
                expires_at,
                [self._environment(project, env) for env in wanted],
            )
            self._audit(
                project, AuditEvent.GENERATED, token, naive(now), _describe_scope(expires_at, scope)
            )
            changed()
        log.info("generated token %d (%s) in project %r", token.id, token.preview, project.name)
        return self._token_record(token, project.name), plaintext

    def rotate(
        self, project_name: str, token_id: int, *, grace: timedelta = timedelta(0)
    ) -> tuple[TokenRecord, str]:
        """Replace a token with a successor of the same name, environments and lifetime.

        The old token stops working at now + ``grace`` (at once with no grace, when it is
        revoked outright). One transaction; the plaintext of the successor is returned
        only after it committed.
        """
        if grace < timedelta(0):
            raise ValidationError("the grace period cannot be negative")
        salt = config.load_salt(self._environ)
        plaintext = tokens.new_token()
        with self.storage.guard, db.write_transaction(self._database):
            salt_fingerprint.check(salt, remember=True)
            project = self._project(project_name)
            old = self._token(project, token_id)
            if old.replaced_by is not None:
                raise ConflictError(
                    f"token {old.id} was rotated already: token {old.replaced_by} replaces it"
                )
            now = self._clock()
            successor, scope = self._insert_token(
                project,
                old.name,
                (plaintext, salt),
                now,
                self._successor_expiry(project, old, now),
                [
                    link.environment
                    for link in TokenEnvironment.select().where(TokenEnvironment.token == old)
                ],
            )
            expires_at = None if successor.expires_at is None else aware(successor.expires_at)
            stop = now + grace
            self._audit(
                project,
                AuditEvent.ROTATED,
                old,
                naive(now),
                f"replaced by token {successor.id} ({successor.preview}); the old token "
                + ("was revoked at once" if not grace else f"stops at {_when(stop)}"),
            )
            self._audit(
                project,
                AuditEvent.GENERATED,
                successor,
                naive(now),
                f"rotated from token {old.id} ({old.preview}); "
                + _describe_scope(expires_at, scope),
            )
            if grace:
                old.expires_at = min(old.expires_at or naive(stop), naive(stop))
                old.replaced_by = successor.id
                old.save(only=[DeploymentToken.expires_at, DeploymentToken.replaced_by])
            elif DeploymentToken.delete().where(DeploymentToken.id == old.id).execute() != 1:
                raise already_revoked(project, token_id)
            changed()
        log.info("rotated token %d into %d in project %r", old.id, successor.id, project.name)
        return self._token_record(successor, project.name), plaintext

    def set_token_expiry(self, project_name: str, token_id: int, expiry: Expiry) -> TokenRecord:
        """Give a token a new expiry, within the project's policy."""
        with self.storage.guard, db.write_transaction(self._database):
            project = self._project(project_name)
            token = self._token(project, token_id)
            now = self._clock()
            expires_at = expiry.resolve(now, self._policy(project))
            token.expires_at = None if expires_at is None else naive(expires_at)
            token.save(only=[DeploymentToken.expires_at])
            self._audit(
                project,
                AuditEvent.EXPIRY_CHANGED,
                token,
                naive(now),
                "no expiry" if expires_at is None else f"expires {_when(expires_at)}",
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
                .where(DeploymentToken.expires_at <= self._now() + within)
                .order_by(DeploymentToken.expires_at, DeploymentToken.id)
            )
            found: list[TokenRecord] = []
            for token in query:
                found.extend(self._token_records([token], token.project.name))
            return found

    # Helpers

    def _insert_token(
        self,
        project: Project,
        label: str,
        secret: tuple[str, bytes],
        now: datetime,
        expires_at: datetime | None,
        environments: Sequence[Environment],
    ) -> tuple[DeploymentToken, list[str]]:
        """Insert a token's row and its environments; returns it and their names."""
        plaintext, salt = secret
        token = DeploymentToken.create(
            project=project,
            name=label,
            digest=tokens.digest(plaintext, salt),
            preview=tokens.preview(plaintext),
            created_at=naive(now),
            created_by=self.actor,
            expires_at=None if expires_at is None else naive(expires_at),
        )
        unique = list({environment.id: environment for environment in environments}.values())
        for environment in unique:
            TokenEnvironment.create(token=token, environment=environment)
        return token, [environment.name for environment in unique]

    def _successor_expiry(
        self, project: Project, old: DeploymentToken, now: datetime
    ) -> datetime | None:
        """The old token's lifetime from now, or the policy's default where the policy
        (changed since) no longer allows that lifetime."""
        policy = self._policy(project)
        lifetime = None if old.expires_at is None else old.expires_at - old.created_at
        try:
            return lifecycle.check_expiry(None if lifetime is None else now + lifetime, now, policy)
        except ValidationError:
            return Expiry.default().resolve(now, policy)

    @staticmethod
    def _default_name(project: Project) -> str:
        """ "Deployment token N", N counting the project's default names (inside the
        generate's write transaction, so two generates never get the same N)."""
        (
            Project.update(default_names_given=Project.default_names_given + 1)
            .where(Project.id == project.id)
            .execute()
        )
        given = Project.select(Project.default_names_given).where(Project.id == project.id).scalar()
        return f"{DEFAULT_TOKEN_NAME} {given}"


def _when(moment: datetime) -> str:
    return aware(naive(moment)).strftime("%Y-%m-%d %H:%M UTC")


def _describe_scope(expires_at: datetime | None, environments: list[str]) -> str:
    """A new token's expiry and environments, as the audit trail records them."""
    expiry = "no expiry" if expires_at is None else f"expires {_when(expires_at)}"
    names = sorted(environments, key=str.casefold)
    return f"{expiry}; environments: {', '.join(names) if names else 'all'}"
