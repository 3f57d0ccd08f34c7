"""Trusted deployers: a project's OIDC bindings (``deployers add|list|remove|test``), and the
exchange of a CI job's ID token for a short-lived deployment token (``POST /v1/exchange``).

The exchanged token is an ordinary deployment token: the binding's name, its
environments, its lifetime, audited as "exchanged" with the binding and the claims that
matched. The ID token itself is never stored or logged; its issuer and ``jti`` are kept
until it expires, so it is exchanged once. On PostgreSQL the write is the server's
``dt_exchange`` (``deployers_v11.sql``): the verification service's role inserts nothing
itself; on SQLite it is the issuer's (``app.issuing``), in one transaction alike.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app import config, tokens
from app.access_levels import ADMIN
from app.errors import (
    AccessDeniedError,
    ConfigurationError,
    ConflictError,
    DeploymentTokensError,
    NotFoundError,
    ValidationError,
)
from app.issuing import describe_scope, when
from app.names import clean_name, project_key
from app.oidc import bindings
from app.store import salt_fingerprint, schema
from app.store.deployer_models import (
    CLAIMS_MAX_LENGTH,
    TrustedDeployer,
    exchange_on_the_server,
    on_the_server,
)
from app.store.models import Project
from app.store.plain_sql import SQLITE, naive_utc
from app.use_cases import lookups
from app.use_cases.context import Context, changed
from app.use_cases.lookups import aware

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.oidc.discovery import KeyCache

log = logging.getLogger(__name__)

__all__ = ["DeployerRecord", "Deployers", "Exchanged", "NoDeployerMatchesError"]

ADDED = "deployer added"
REMOVED = "deployer removed"
EXCHANGED = "exchanged"
# A jti is remembered until its token expires, and never longer than this.
REMEMBERED_AT_MOST = timedelta(days=1)


class NoDeployerMatchesError(DeploymentTokensError):
    """A genuine ID token, but no binding of the project lets it in (403)."""


@dataclass(frozen=True)
class DeployerRecord:
    """A binding, as listed."""

    id: int
    project: str
    name: str
    issuer: str
    audience: str
    claims: Mapping[str, str]
    environments: tuple[str, ...]
    lifetime: timedelta
    created_at: datetime
    created_by: str
    last_exchanged_at: datetime | None

    @property
    def description(self) -> str:
        """The binding in words: "GitHub acme/web: repository_id=1, environment=production"."""
        return f"{self.name}: {bindings.describe_claims(self.claims)}"


@dataclass(frozen=True)
class Exchanged:
    """A token just issued for an ID token. ``access_token`` is its plaintext: shown to
    the caller once, never logged (hence no repr)."""

    access_token: str = field(repr=False)
    token_id: int
    project: str
    environments: tuple[str, ...]
    expires_in: int
    deployer_id: int


class Deployers:
    """A project's trusted deployers, and the exchange."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self._keys: KeyCache | None = None

    @property
    def keys(self) -> KeyCache:
        """The issuers' keys this service has fetched (each worker of serve has its own).
        Made when first needed: PyJWT is the server extra's, not the desktop app's."""
        if self._keys is None:
            from app.oidc.discovery import KeyCache

            self._keys = KeyCache()
        return self._keys

    def add_deployer(
        self,
        project_name: str,
        *,
        issuer: str,
        audience: str,
        claims: Sequence[tuple[str, str]],
        environments: Iterable[str] = (),
        lifetime: timedelta = bindings.DEFAULT_LIFETIME,
        name: str | None = None,
    ) -> tuple[DeployerRecord, list[str]]:
        """Bind CI jobs of ``issuer`` whose ID token is for ``audience`` and carries
        ``claims`` exactly (or, for a ``*`` in the ref of ``workflow_ref`` or
        ``job_workflow_ref``, matching that pattern); returns the binding and what is weak
        about it (warnings)."""
        clean_issuer = bindings.check_issuer(issuer)
        clean_audience = bindings.check_audience(audience)
        required = bindings.check_claims(list(claims))
        stored = bindings.stored_claims(required)
        if len(stored) > CLAIMS_MAX_LENGTH:
            raise ValidationError(f"a binding's claims take at most {CLAIMS_MAX_LENGTH} characters")
        if not bindings.MIN_LIFETIME <= lifetime <= bindings.MAX_LIFETIME:
            raise ValidationError("an exchanged token lives from 1 minute to 1 hour (1m to 1h)")
        label = clean_name(name if name is not None else _default_name(clean_issuer), "name")
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require(ADMIN, project)
            chosen = _environments(project, environments)
            same = TrustedDeployer.select().where(
                (TrustedDeployer.project == project)
                & (TrustedDeployer.issuer == clean_issuer)
                & (TrustedDeployer.audience == clean_audience)
                & (TrustedDeployer.claims == stored)
                & (TrustedDeployer.environments == json.dumps(chosen))
            )
            if same.exists():
                raise ConflictError(f"project '{project.name}' already has that deployer")
            row = TrustedDeployer.create(
                project=project,
                name=label,
                issuer=clean_issuer,
                audience=clean_audience,
                claims=stored,
                environments=json.dumps(chosen),
                lifetime_seconds=int(lifetime.total_seconds()),
                created_at=self._context.stored_now(),
                created_by=self._context.actor,
            )
            record = _record(row, project.name)
            self._audit(project, ADDED, f"{_summary(record)}; audience {clean_audience}")
            changed()
        log.info("added trusted deployer %d to project %r", record.id, project.name)
        return record, bindings.weaknesses(required)

    def list_deployers(self, project_name: str) -> list[DeployerRecord]:
        """The project's bindings, oldest first."""
        with self._context.reading():
            project = lookups.project(project_name)
            found = TrustedDeployer.select().where(TrustedDeployer.project == project)
            return [_record(row, project.name) for row in found.order_by(TrustedDeployer.id)]

    def remove_deployer(self, project_name: str, deployer_id: int) -> DeployerRecord:
        """Remove a binding at once: its CI jobs can exchange no more (tokens already
        exchanged live out their few minutes)."""
        if isinstance(deployer_id, bool) or not isinstance(deployer_id, int):
            raise ValidationError("a deployer's id is a whole number")
        with self._context.writing():
            project = lookups.project(project_name)
            self._context.require(ADMIN, project)
            row = None
            if 1 <= deployer_id <= schema.MAX_ID:
                row = TrustedDeployer.get_or_none(
                    (TrustedDeployer.id == deployer_id) & (TrustedDeployer.project == project)
                )
            missing = NotFoundError(f"project '{project.name}' has no deployer {deployer_id}")
            if row is None:
                raise missing
            record = _record(row, project.name)
            deleted = on_the_server("dt_delete_deployer", row.id)
            if deleted is None:
                TrustedDeployer.delete().where(TrustedDeployer.id == row.id).execute()
            elif not deleted:  # removed by another client meanwhile
                raise missing
            self._audit(project, REMOVED, _summary(record))
            changed()
        log.info("removed trusted deployer %d of project %r", record.id, project.name)
        return record

    def exchange(self, subject_token: str, project_name: str) -> Exchanged:
        """A new token of ``project_name`` for a CI job's ID token, when a binding of the
        project matches it. TokenRefusedError (not genuine, not current, replayed),
        NoDeployerMatchesError, IssuerUnavailableError."""
        from app.oidc.validation import LEEWAY_SECONDS, TokenRefusedError

        rows, claims = self._validated(subject_token, project_name)
        binding = _matching(rows, claims, project_name)
        salt = self._context.salt()
        issue = Issue(
            binding=binding.id,
            # The binding's own values (a ref pattern, not the ref it matched): the store
            # checks the binding's claims are among them (dt_exchange's <@).
            matched=bindings.stored_claims(
                bindings.matched_claims(json.loads(binding.claims), claims)
            ),
            jti=str(claims["jti"]),
            jti_expires=naive_utc(_moment(claims["exp"] + LEEWAY_SECONDS)),
            plaintext=tokens.new_token(),
            salt=salt,
        )
        try:
            with self._context.writing():
                if self._context.access_controlled:
                    outcome = issue_on_the_server(issue)
                else:
                    outcome = issue_in_sqlite(self._context, issue)
        except AccessDeniedError:
            # Exchanging is its own right (schema version 12): a verify-only role lacks it.
            raise ConfigurationError(
                f"the database role {self._context.actor!r} may not exchange ID tokens: the "
                "database's owner grants it with 'deployment-tokens db grant-exchanger ROLE'"
            ) from None
        if outcome.code == "salt":
            raise ConfigurationError(
                f"{config.SALT_ENV} is not the salt this database's tokens were made with"
            )
        if outcome.code == "replayed":
            raise TokenRefusedError("the subject token was exchanged before (its jti is spent)")
        if outcome.code != "issued" or outcome.token_id is None:
            raise NoDeployerMatchesError(f"deployer {binding.id}: {outcome.reason}")
        log.info(
            "exchanged an ID token of %s for token %d in project %r (deployer %d)",
            binding.issuer,
            outcome.token_id,
            binding.project.name,
            binding.id,
        )
        return Exchanged(
            issue.plaintext,
            outcome.token_id,
            binding.project.name,
            outcome.environments,
            binding.lifetime_seconds,
            binding.id,
        )

    def explain(
        self, subject_token: str, project_name: str
    ) -> list[tuple[DeployerRecord, list[str]]]:
        """Each of the project's bindings with why the ID token would not match it (empty:
        it would), issuing nothing and spending no jti: what ``deployers test`` shows.
        TokenRefusedError and IssuerUnavailableError as ``exchange``."""
        _, claims = self._validated(subject_token)
        with self._context.reading():
            project = lookups.project(project_name)
            mine = TrustedDeployer.select().where(TrustedDeployer.project == project)
            return [
                (_record(row, project.name), _why_not(row, claims))
                for row in mine.order_by(TrustedDeployer.id)
            ]

    def _validated(
        self, subject_token: str, project_name: str | None = None
    ) -> tuple[list[TrustedDeployer], dict[str, Any]]:
        """The bindings (of ``project_name`` alone, when given: 300 pipelines' bindings
        need not be read for each exchange), and the ID token's claims once it is genuine
        and current for an issuer and an audience some binding trusts (of any project: a
        genuine token for the wrong project is 403, not 401)."""
        from app.oidc.validation import validate

        # In plain SQL: building these two queries with peewee cost more than checking the
        # JWT's signature.
        with self._context.reading():
            trusted = self._context.ask("trusted_issuers")
            key = None if project_name is None else project_key(project_name)
            rows = [_binding(*found) for found in self._context.ask("project_bindings", key)]
        claims = validate(
            subject_token,
            keys=self.keys,
            issuers={issuer for issuer, _ in trusted},
            audiences={audience for _, audience in trusted},
            now=self._context.now(),
        )
        return rows, claims

    def _audit(self, project: Project, action: str, detail: str) -> None:
        self._context.audit(project, action, None, self._context.stored_now(), detail)


def _matching(
    rows: Sequence[TrustedDeployer], claims: Mapping[str, Any], project_name: str
) -> TrustedDeployer:
    """The project's first binding (by id) that ``claims`` match; NoDeployerMatchesError
    saying why each of them does not."""
    key = project_key(project_name)
    reasons = []
    for row in sorted(rows, key=lambda r: r.id):
        if key is None or row.project.name_key != key or row.issuer != claims.get("iss"):
            continue
        why = _why_not(row, claims)
        if not why:
            return row
        reasons.append(f"deployer {row.id}: {'; '.join(why)}")
    name = project_name.strip()
    if not reasons:
        raise NoDeployerMatchesError(f"project '{name}' trusts no deployer of this issuer")
    raise NoDeployerMatchesError(f"no deployer of project '{name}' matches ({' | '.join(reasons)})")


def _binding(
    id_: int,
    name: str,
    issuer: str,
    audience: str,
    claims: str,
    environments: str,
    lifetime_seconds: int,
    project_id: int,
    project_name: str,
    project_name_key: str,
) -> TrustedDeployer:
    """A binding as an exchange reads it (``project_bindings``): what matching and
    issuing use, its project's name and key with it."""
    row = TrustedDeployer(
        id=id_,
        name=name,
        issuer=issuer,
        audience=audience,
        claims=claims,
        environments=environments,
        lifetime_seconds=lifetime_seconds,
    )
    row.project = Project(id=project_id, name=project_name, name_key=project_name_key)
    return row


def _why_not(row: TrustedDeployer, claims: Mapping[str, Any]) -> list[str]:
    """Why ``claims`` do not match the binding (empty: they do)."""
    if row.issuer != claims.get("iss"):
        return ["the token is another issuer's"]
    audience = claims.get("aud")
    audiences = {audience} if isinstance(audience, str) else set(audience or ())
    why = [] if row.audience in audiences else ["the audience differs"]
    return why + bindings.mismatches(json.loads(row.claims), claims)


def _environments(project: Project, names: Iterable[str]) -> list[str]:
    """The project's environments of these names, as stored, each once, by key."""
    found = {}
    for name in names:
        environment = lookups.environment(project, name)
        found[environment.name_key] = environment.name
    return [found[key] for key in sorted(found)]


def _record(row: TrustedDeployer, project_name: str) -> DeployerRecord:
    return DeployerRecord(
        id=row.id,
        project=project_name,
        name=row.name,
        issuer=row.issuer,
        audience=row.audience,
        claims=json.loads(row.claims),
        environments=tuple(json.loads(row.environments)),
        lifetime=timedelta(seconds=row.lifetime_seconds),
        created_at=aware(row.created_at),
        created_by=row.created_by,
        last_exchanged_at=None if row.last_exchanged_at is None else aware(row.last_exchanged_at),
    )


def _summary(record: DeployerRecord) -> str:
    scope = describe_scope(None, record.environments).split("; ", 1)[1]
    minutes = int(record.lifetime.total_seconds()) // 60
    return (
        f"deployer {record.id} ({record.name}): {record.issuer}, "
        f"{bindings.describe_claims(record.claims)}; {scope}; lifetime {minutes} min"
    )


def _default_name(issuer: str) -> str:
    from urllib.parse import urlsplit

    if issuer == bindings.GITHUB_ISSUER:
        return "GitHub Actions"
    return f"OIDC {urlsplit(issuer).hostname}"[:100]


def _moment(epoch: float) -> datetime:
    return datetime.fromtimestamp(min(epoch, 253402300799), UTC)


# The write of an exchange: the server's dt_exchange on PostgreSQL, the same steps here on
# SQLite (one writer at a time: the transaction holds the write lock).


@dataclass(frozen=True)
class Issue:
    """What an exchange asks the store to issue. ``plaintext`` never leaves the process:
    the store gets its digest."""

    binding: int
    matched: str
    jti: str
    jti_expires: datetime
    plaintext: str = field(repr=False)
    salt: bytes = field(repr=False)


@dataclass(frozen=True)
class Outcome:
    code: str
    token_id: int | None = None
    environments: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        return {
            "no binding": "it was removed",
            "no match": "the claims do not match",
            "environment gone": "one of its environments was removed",
        }.get(self.code, self.code)


def issue_on_the_server(issue: Issue) -> Outcome:
    """PostgreSQL: dt_exchange, in the caller's transaction."""
    code, token_id, names = exchange_on_the_server(
        issue.binding,
        issue.matched,
        issue.jti,
        issue.jti_expires,
        (tokens.digest(issue.plaintext, issue.salt), tokens.preview(issue.plaintext)),
        tokens.salt_fingerprint(issue.salt),
    )
    if code == "salt":
        salt_fingerprint.check(issue.salt)  # says which salt is wrong
    return Outcome(code, token_id, tuple(names or ()))


def issue_in_sqlite(context: Context, issue: Issue) -> Outcome:
    """SQLite: the steps of dt_exchange, in the caller's write transaction, in the
    issuer's plain SQL (peewee building each query cost more than the rest together)."""
    connection = context.storage.raw_connection()
    sql = SQLITE.sql
    found = connection.execute(sql["binding_now"], (issue.binding,)).fetchone()
    if found is None:
        return Outcome("no binding")
    binding_issuer, claims, name, environments, lifetime_seconds, project_name = found
    if not json.loads(claims).items() <= json.loads(issue.matched).items():
        return Outcome("no match")
    issuer = context.issuer
    issuer.remember_salt(connection, issue.salt)
    now = context.now()
    stored_now = naive_utc(now)
    connection.execute(sql["forget_spent_subjects"], (SQLITE.store_time(stored_now),))
    ends = min(issue.jti_expires, stored_now + REMEMBERED_AT_MOST)
    try:
        spent = (binding_issuer, issue.jti, SQLITE.store_time(ends))
        connection.execute(sql["spend_subject"], spent)
    except sqlite3.IntegrityError:  # the (issuer, jti) index: exchanged before
        return Outcome("replayed")
    project = issuer.project(connection, project_name)
    try:
        wanted = [issuer.environment(connection, project, n) for n in json.loads(environments)]
    except NotFoundError:
        return Outcome("environment gone")
    expires_at = now + timedelta(seconds=lifetime_seconds)
    issued = issuer.insert_token(
        connection, project, name, (issue.plaintext, issue.salt), now, expires_at,
        wanted, context.actor, issue.binding,
    )  # fmt: skip
    names = ", ".join(issued.environments) or "all"
    detail = (
        f"deployer {issue.binding} ({name}) matched {claims}; "
        f"expires {when(expires_at)}; environments: {names}"
    )
    issuer.audit(
        connection, (project.id, project.name), EXCHANGED, (issued.id, issued.preview),
        context.actor, now, detail[:1000],
    )  # fmt: skip
    connection.execute(sql["binding_exchanged"], (SQLITE.store_time(stored_now), issue.binding))
    issuer.changed(connection)
    return Outcome("issued", issued.id, issued.environments)
