"""What a trusted deployer's binding says, and whether a CI job's claims match it. Pure.

A binding names an issuer, an audience and claims that must match exactly, and optionally
environments and a lifetime (15 minutes by default, at most an hour). One pattern only:
a ``*`` in the ref of ``workflow_ref`` or ``job_workflow_ref``, after the ``@`` (a tag
``v*``, any branch). The repository and workflow file before the ``@`` stay literal: a
wildcard there, or in any other claim, would let in other repositories' or files'
workflows, as AWS trust policies let every repository of an organisation in. Presets
fill in GitHub Actions' and GitLab CI's issuer and immutable ids; ``weaknesses`` says what
went wrong elsewhere with bindings like the one given.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from app.errors import ValidationError

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
DEFAULT_LIFETIME = timedelta(minutes=15)
MAX_LIFETIME = timedelta(hours=1)
MIN_LIFETIME = timedelta(minutes=1)
ISSUER_MAX_LENGTH = 255
AUDIENCE_MAX_LENGTH = 255
CLAIM_KEY_MAX_LENGTH = 100
CLAIM_VALUE_MAX_LENGTH = 500
MAX_CLAIMS = 20

# Claims that name a repository, project, owner or group by something that can be
# re-registered (a name, or a path or subject built from names), and their immutable ids.
NAME_CLAIMS = frozenset(
    {"repository", "repository_owner", "project_path", "namespace_path", "sub",
     "workflow_ref", "job_workflow_ref", "ci_config_ref_uri", "actor", "user_login"}
)  # fmt: skip
ID_CLAIMS = frozenset({"repository_id", "repository_owner_id", "project_id", "namespace_id"})
# Ids of an owner or group: alone, every repository or project under it matches.
OWNER_ID_CLAIMS = frozenset({"repository_owner_id", "namespace_id"})
# What keeps a dispatched, modified workflow on an unprotected branch out.
PIN_CLAIMS = frozenset({"environment", "ref", "ref_protected", "environment_protected"})
# Claims ``OWNER/REPO/.github/workflows/FILE@REF`` whose REF may be a pattern: a WILDCARD
# matches any run of characters but ``@`` (git refs cannot hold a ``*``: no literal value
# changes meaning).
PATTERN_CLAIMS = frozenset({"workflow_ref", "job_workflow_ref"})
WILDCARD = "*"
_WHERE_WILDCARD = (
    "a '*' may stand only in the ref of workflow_ref or job_workflow_ref, after the '@', "
    "such as acme/web/.github/workflows/deploy.yml@refs/tags/v*"
)
_WORKFLOW_PATH = re.compile(r"[^/@*]+/[^/@*]+/\.github/workflows/[^@*]+")
# A branch name no literal text holds (values are printable): a ref pattern that
# matches it has a wildcard over the whole name, so matches every branch.
_ANY_BRANCH_PROBE = "refs/heads/\x00"

_LIFETIME = re.compile(r"([0-9]{1,4})([smh])")
_UNITS = {"s": 1, "m": 60, "h": 3600}


def check_issuer(url: str) -> str:
    """The issuer URL, exactly as its tokens' ``iss`` will carry it; ValidationError
    unless it is https:// (http:// only on a loopback address), with a host and no query
    or fragment."""
    issuer = url.strip()
    if not issuer or len(issuer) > ISSUER_MAX_LENGTH:
        raise ValidationError(f"an issuer is a URL of at most {ISSUER_MAX_LENGTH} characters")
    try:
        parts = urlsplit(issuer)
        host = parts.hostname
    except ValueError:
        raise ValidationError(f"the issuer {issuer!r} is not a URL") from None
    if not host or parts.query or parts.fragment or parts.username or parts.password:
        raise ValidationError(
            f"the issuer {issuer!r} must be a URL with a host and no query, fragment or login"
        )
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback(host)):
        return issuer
    raise ValidationError(
        f"the issuer {issuer!r} must use https:// (http:// only on a loopback address)"
    )


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_audience(audience: str) -> str:
    clean = audience.strip()
    if not clean or len(clean) > AUDIENCE_MAX_LENGTH or not clean.isprintable():
        raise ValidationError(
            f"an audience is 1 to {AUDIENCE_MAX_LENGTH} printable characters, such as "
            "deployment-tokens:deploy.example.com"
        )
    return clean


def parse_claim(text: str) -> tuple[str, str]:
    """``KEY=VALUE`` as (key, value); ValidationError for anything else."""
    key, equals, value = text.partition("=")
    key = key.strip()
    if not equals or not key or not value:
        raise ValidationError(f"a claim is KEY=VALUE, such as repository_id=123, not {text!r}")
    if len(key) > CLAIM_KEY_MAX_LENGTH or not key.isprintable() or " " in key:
        raise ValidationError(f"the claim name {key!r} is not one a token carries")
    if len(value) > CLAIM_VALUE_MAX_LENGTH or not value.isprintable():
        raise ValidationError(
            f"the value of claim {key!r} must be at most {CLAIM_VALUE_MAX_LENGTH} printable "
            "characters"
        )
    return key, value


def check_claims(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The claims a binding requires, each key once; at least one."""
    if not pairs:
        raise ValidationError("a binding needs at least one claim to match (--claim KEY=VALUE)")
    if len(pairs) > MAX_CLAIMS:
        raise ValidationError(f"a binding matches at most {MAX_CLAIMS} claims")
    claims: dict[str, str] = {}
    for key, value in pairs:
        if key in {"iss", "aud", "exp", "nbf", "iat", "jti"}:
            raise ValidationError(
                f"'{key}' is checked by the exchange itself: bind --issuer and --audience instead"
            )
        if claims.get(key, value) != value:
            raise ValidationError(f"the claim {key!r} is given twice with different values")
        _check_pattern(key, value)
        claims[key] = value
    return claims


def _check_pattern(key: str, value: str) -> None:
    """ValidationError for a wildcard anywhere but in the ref of a workflow's claim: the
    repository and the workflow file must be literal, or another one's workflow is in."""
    error = _pattern_error(key, value)
    if error is not None:
        raise ValidationError(error)


def _pattern_error(key: str, value: str) -> str | None:
    if WILDCARD not in value:
        return None
    if key not in PATTERN_CLAIMS:
        return f"the claim {key!r} must match exactly: {_WHERE_WILDCARD}"
    path, at, ref = value.partition("@")
    if not at or WILDCARD in path:
        return (
            f"the repository and workflow file of {key!r}, before the '@', must be literal: "
            f"{_WHERE_WILDCARD}"
        )
    if not _WORKFLOW_PATH.fullmatch(path):
        return f"a pattern of {key!r} is OWNER/REPO/.github/workflows/FILE@REF: {_WHERE_WILDCARD}"
    if "@" in ref:
        return f"a pattern of {key!r} has one '@', before the ref: {_WHERE_WILDCARD}"
    return None


def is_pattern(key: str, value: str) -> bool:
    """Whether a binding's ``value`` of claim ``key`` is a pattern; else it matches
    exactly (as one stored before patterns were taken, with a '*' where none may be)."""
    return key in PATTERN_CLAIMS and WILDCARD in value and _pattern_error(key, value) is None


def claim_matches(key: str, wanted: str, value: object) -> bool:
    """Whether a token's claim ``value`` matches the binding's ``wanted`` value."""
    text = claim_text(value)
    if text is None:
        return False
    if not is_pattern(key, wanted):
        return text == wanted
    path, _, ref = wanted.partition("@")
    got_path, at, got_ref = text.partition("@")
    return bool(at) and got_path == path and "@" not in got_ref and _glob(ref, got_ref)


def _glob(pattern: str, text: str) -> bool:
    """Whether ``text`` is ``pattern``, each WILDCARD standing for any run of characters.
    Leftmost matching is enough for a lone kind of wildcard, and cannot take the
    exponential time a backtracking regular expression would on crafted refs."""
    if WILDCARD not in pattern:
        return text == pattern
    first, *middle, last = pattern.split(WILDCARD)
    end = len(text) - len(last)
    if end < len(first) or not text.startswith(first) or not text.endswith(last):
        return False
    at = len(first)
    for piece in middle:
        found = text.find(piece, at, end)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def matched_claims(required: Mapping[str, str], claims: Mapping[str, Any]) -> dict[str, str]:
    """What of ``claims`` matched the binding's ``required`` claims, as the binding says
    it: the pattern itself for a claim that matched a pattern, the value otherwise. The
    store checks that the binding's claims are among these (``dt_exchange``), so a
    token's ref never stands in for the pattern it matched; a claim that does not match
    keeps the token's text (or is left out when it has none), and that check fails."""
    matched = {}
    for key, wanted in required.items():
        if key not in claims:
            continue
        if claim_matches(key, wanted, claims[key]):
            matched[key] = wanted
        elif (text := claim_text(claims[key])) is not None:
            matched[key] = text
    return matched


def parse_lifetime(text: str) -> timedelta:
    """``15m``, ``1h``, ``900s``: from a minute to an hour; ValidationError otherwise."""
    found = _LIFETIME.fullmatch(text.strip())
    if found is None:
        raise ValidationError(f"a lifetime is a number and s, m or h, such as 15m, not {text!r}")
    lifetime = timedelta(seconds=int(found[1]) * _UNITS[found[2]])
    if not MIN_LIFETIME <= lifetime <= MAX_LIFETIME:
        raise ValidationError("an exchanged token lives from 1 minute to 1 hour (1m to 1h)")
    return lifetime


def stored_claims(claims: Mapping[str, str]) -> str:
    """The claims as stored and audited: JSON, keys sorted, no spaces."""
    return json.dumps(dict(claims), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def claim_text(value: object) -> str | None:
    """A token's claim as the text a binding compares: strings as they are, whole numbers
    in decimal, booleans as ``true``/``false`` (GitLab sends ``ref_protected`` as a string,
    other issuers may not); None for what no binding can match (lists, objects)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return None


def mismatches(required: Mapping[str, str], claims: Mapping[str, object]) -> list[str]:
    """Why ``claims`` do not match the binding's ``required`` claims (empty: they do).
    Names the claims, never their values: a refusal is sent to whoever presented them."""
    reasons = []
    for key, value in sorted(required.items()):
        if key not in claims:
            reasons.append(f"the token has no '{key}' claim")
        elif claim_matches(key, value, claims[key]):
            continue
        elif not is_pattern(key, value):
            reasons.append(f"'{key}' differs")
        elif str(claim_text(claims[key])).partition("@")[0] != value.partition("@")[0]:
            reasons.append(f"'{key}' names another repository or workflow file (before the '@')")
        else:
            reasons.append(f"the ref of '{key}' (after the '@') does not match the pattern")
    return reasons


def describe_claims(claims: Mapping[str, str]) -> str:
    return ", ".join(f"{key}={value}" for key, value in sorted(claims.items()))


def github_preset(
    repository: str, repository_id: str, owner_id: str, environment: str | None
) -> tuple[str, dict[str, str], str]:
    """GitHub Actions: (issuer, claims, name). Ids, not names: a deleted repository's name
    can be taken by someone else; the environment, when given, is the deployment's gate."""
    owner, slash, name = repository.strip().partition("/")
    if not slash or not owner or not name or "/" in name:
        raise ValidationError(f"--github takes OWNER/REPO, not {repository!r}")
    claims = {
        "repository_id": _whole_number(repository_id, "--repository-id"),
        "repository_owner_id": _whole_number(owner_id, "--owner-id"),
    }
    if environment is not None:
        claims["environment"] = environment
    return GITHUB_ISSUER, claims, f"GitHub {owner}/{name}"


def gitlab_preset(
    url: str, project_id: str, ref_protected: bool, environment: str | None
) -> tuple[str, dict[str, str], str]:
    """GitLab CI: (issuer, claims, name). The instance's URL is the issuer."""
    issuer = check_issuer(url).rstrip("/")
    claims = {"project_id": _whole_number(project_id, "--gitlab-project-id")}
    if ref_protected:
        claims["ref_protected"] = "true"
    if environment is not None:
        claims["environment"] = environment
    host = urlsplit(issuer).hostname or issuer
    return issuer, claims, f"GitLab {host} project {claims['project_id']}"


def weaknesses(claims: Mapping[str, str]) -> list[str]:
    """What is weak about a binding that requires ``claims``: the mistakes made with
    trusted publishing and OIDC trust policies elsewhere. Empty when none."""
    keys = set(claims)
    found = []
    if not keys & (NAME_CLAIMS | ID_CLAIMS):
        found.append(
            "no claim names a repository or project: any job of this issuer that asks for "
            "this audience can deploy (checking the audience alone lets everyone in)"
        )
    elif not keys & ID_CLAIMS:
        found.append(
            f"it matches names only ({', '.join(sorted(keys & NAME_CLAIMS))}): a deleted "
            "repository's or group's name can be registered by someone else; bind the "
            "immutable ids (repository_id and repository_owner_id on GitHub, project_id "
            "and namespace_id on GitLab)"
        )
    elif not keys & (ID_CLAIMS - OWNER_ID_CLAIMS) and not keys & NAME_CLAIMS:
        found.append(
            "it binds an owner or group only: every repository or project under it can deploy"
        )
    found += _pattern_weaknesses(claims)
    if not keys & PIN_CLAIMS:
        found.append(
            "no environment or protected ref is pinned: anyone who can push a branch can "
            "dispatch a modified workflow that deploys (bind environment, or ref_protected)"
        )
    if "workflow_ref" in keys:
        found.append(
            "workflow_ref names the workflow that started the run; for a reusable workflow "
            "the file that runs the job is job_workflow_ref (PyPI confused the two)"
        )
    return found


def _pattern_weaknesses(claims: Mapping[str, str]) -> list[str]:
    """Values that look like patterns but are not, and ref patterns that let any branch
    in with nothing else pinned."""
    found = []
    for key, value in sorted(claims.items()):
        literal_star = WILDCARD in value and not is_pattern(key, value)
        if literal_star or any(mark in value for mark in "?[") or value.endswith((":", "/")):
            found.append(
                f"the value of '{key}' looks like a pattern: claims match exactly (a '*' is "
                "a wildcard only in the ref of workflow_ref and job_workflow_ref), so it "
                "matches only that literal text"
            )
        ref = value.partition("@")[2]
        if (
            is_pattern(key, value)
            and _glob(ref, _ANY_BRANCH_PROBE)
            and not PIN_CLAIMS & set(claims)
        ):
            found.append(
                f"the ref pattern of '{key}' matches any branch and no environment is "
                "pinned: anyone who can push a branch can dispatch a modified workflow "
                "that deploys (bind a protected environment, or match tags or one branch)"
            )
    return found


def _whole_number(text: str, option: str) -> str:
    clean = text.strip()
    if not clean.isascii() or not clean.isdigit() or len(clean) > 20:
        raise ValidationError(f"{option} takes the numeric id, not {text!r}")
    return str(int(clean))
