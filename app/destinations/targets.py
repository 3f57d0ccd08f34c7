"""Where a pushed token goes: an OpenBao/Vault KV v2 field, a GitHub Actions secret or a
GitLab CI/CD variable, checked as strictly as the service itself checks it.

Pure: no network, nothing imported beyond the standard library and ``app.errors``, so the
command line can list and add destinations without loading an HTTP client. A target is
what the store keeps (``to_json``); credentials are never part of it: they come from the
environment at push time, under the names each tool's own CLI reads.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from app.errors import ConfigurationError, ValidationError

VAULT, GITHUB, GITLAB = "vault", "github", "gitlab"
KINDS = (VAULT, GITHUB, GITLAB)

GITHUB_API_URL = "https://api.github.com"
VAULT_DEFAULT_FIELD = "token"
GITLAB_DEFAULT_SCOPE = "*"

# The environment variables each tool's own CLI reads its credential from, in its order.
CREDENTIAL_VARIABLES: dict[str, tuple[str, ...]] = {
    VAULT: ("VAULT_TOKEN", "BAO_TOKEN"),
    GITHUB: ("GITHUB_TOKEN", "GH_TOKEN"),
    GITLAB: ("GITLAB_TOKEN",),
}
SERVICE_NAMES = {VAULT: "OpenBao/Vault", GITHUB: "GitHub", GITLAB: "GitLab"}

URL_MAX_LENGTH = 2000
GITLAB_KEY_MAX_LENGTH = 255
GITLAB_SCOPE_MAX_LENGTH = 255
# GitHub's limits: owner (a user or organization login) 39, repository name 100.
_GITHUB_OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
_GITHUB_REPOSITORY = re.compile(r"[A-Za-z0-9._-]{1,100}")
_GITHUB_SECRET = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_GITLAB_KEY = re.compile(r"[A-Za-z0-9_]+")
# C0 and C1 controls, DEL, line and paragraph separators and bidirectional controls: a
# name holding one could rewrite the line it is printed on.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# The API's own path segments: someone who pastes secret/data/ci/web means secret/ci/web.
_KV_API_SEGMENTS = ("data", "metadata", "delete", "undelete", "destroy", "subkeys")


@dataclass(frozen=True)
class Target:
    """One destination: its kind, where the service is, and which secret to write."""

    kind: str
    url: str
    location: str
    name: str
    scope: str | None

    def to_json(self) -> str:
        """The target as the store keeps it: stable, with sorted keys."""
        fields = {
            "kind": self.kind,
            "url": self.url,
            "location": self.location,
            "name": self.name,
            "scope": self.scope,
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Target:
        """A target read back from the store, checked again: the rules may have tightened."""
        try:
            fields = json.loads(text)
        except ValueError:
            raise ValidationError("the stored destination is not valid JSON") from None
        if not isinstance(fields, dict) or set(fields) != {
            "kind",
            "url",
            "location",
            "name",
            "scope",
        }:
            raise ValidationError("the stored destination does not have the expected fields")
        kind, url, location = fields["kind"], fields["url"], fields["location"]
        name, scope = fields["name"], fields["scope"]
        if not all(isinstance(value, str) for value in (kind, url, location, name)) or not (
            scope is None or isinstance(scope, str)
        ):
            raise ValidationError("the stored destination has a field of the wrong type")
        if kind == VAULT:
            return vault_target(url, location, name)
        if kind == GITHUB:
            return github_target(location, name, scope, url)
        if kind == GITLAB:
            return gitlab_target(url, location, name, scope)
        raise ValidationError(f"unknown destination kind {_quoted(kind)}")

    def describe(self) -> str:
        """One line for people, naming the service, the secret and its scope."""
        if self.kind == VAULT:
            return f"OpenBao/Vault {self.url} {self.location} (field {self.name})"
        if self.kind == GITHUB:
            where = f"GitHub {self.location}, secret {self.name}"
            if self.url != GITHUB_API_URL:
                where = f"GitHub {self.url} {self.location}, secret {self.name}"
            if self.scope is not None:
                return f"{where}, environment {self.scope}"
            return where
        return (
            f"GitLab {self.url} project {self.location}, variable {self.name}, scope {self.scope}"
        )


@dataclass(frozen=True)
class Receipt:
    """What a push or check did: where (``describe()``), the version written if the
    service numbers them, and how the write was confirmed."""

    where: str
    version: str | None
    confirmed: str


def vault_target(url: str, path: str, field: str | None = None) -> Target:
    """A field of an OpenBao/Vault KV version 2 secret, given as ``MOUNT/PATH``."""
    field_name = VAULT_DEFAULT_FIELD if field is None else field.strip()
    _require_plain(field_name, "the Vault field name", 512)
    return Target(VAULT, clean_url(url, "the OpenBao/Vault URL"), _kv_path(path), field_name, None)


def github_target(
    repository: str, secret: str, environment: str | None = None, api_url: str | None = None
) -> Target:
    """A GitHub Actions secret of a repository, or of one of its environments."""
    url = GITHUB_API_URL if api_url is None else clean_url(api_url, "the GitHub API URL")
    scope = None
    if environment is not None:
        scope = environment.strip()
        # GitHub's limit on an environment's name; it may hold spaces and most punctuation.
        _require_plain(scope, "the GitHub environment name", 255)
    return Target(GITHUB, url, _github_repository(repository), _github_secret(secret), scope)


def gitlab_target(
    url: str, project_id: str | int, variable: str, environment_scope: str | None = None
) -> Target:
    """A CI/CD variable of a GitLab project (by its numeric id), for an environment scope."""
    scope = GITLAB_DEFAULT_SCOPE if environment_scope is None else environment_scope.strip()
    _require_plain(scope, "the GitLab environment scope", GITLAB_SCOPE_MAX_LENGTH)
    key = variable.strip()
    if not key:
        raise ValidationError("the GitLab variable key cannot be empty")
    if len(key) > GITLAB_KEY_MAX_LENGTH:
        raise ValidationError(
            f"a GitLab variable key is at most {GITLAB_KEY_MAX_LENGTH} characters"
        )
    if not _GITLAB_KEY.fullmatch(key):
        raise ValidationError("a GitLab variable key may hold only letters, digits and underscores")
    return Target(GITLAB, clean_url(url, "the GitLab URL"), _gitlab_project(project_id), key, scope)


def credential(target: Target, environ: Mapping[str, str]) -> str:
    """The credential for the target's service, from the first of its variables that is
    set, once its address is the target's (``check_address``); ConfigurationError naming
    them when none is, or when it cannot be an HTTP header's."""
    check_address(target, environ)
    for variable in CREDENTIAL_VARIABLES[target.kind]:
        value = environ.get(variable, "").strip()
        if value:
            if not value.isascii() or not value.isprintable():
                # http.client would refuse the header, quoting it in its error.
                raise ConfigurationError(
                    f"{variable} holds a line break or another character no credential "
                    "has: set it again"
                )
            return value
    first, *others = CREDENTIAL_VARIABLES[target.kind]
    alternatives = f" (or {' or '.join(others)})" if others else ""
    raise ConfigurationError(f"set {first}{alternatives} to push to {SERVICE_NAMES[target.kind]}")


def credential_variable(target: Target, environ: Mapping[str, str]) -> str:
    """The name of the variable the credential comes from, for messages (``$GH_TOKEN``)."""
    variables = CREDENTIAL_VARIABLES[target.kind]
    chosen = next((name for name in variables if environ.get(name, "").strip()), variables[0])
    return "$" + chosen


# Where each tool's CLI sends the credential of CREDENTIAL_VARIABLES: a push never sends
# it anywhere else (check_address).
ADDRESS_VARIABLES: dict[str, tuple[str, ...]] = {
    VAULT: ("VAULT_ADDR", "BAO_ADDR"),
    GITHUB: ("GITHUB_API_URL",),
    GITLAB: ("GITLAB_HOST", "CI_SERVER_URL"),
}


def check_address(target: Target, environ: Mapping[str, str]) -> None:
    """Refuse to send a credential to a server other than the one its tool would send it
    to: a destination is anyone's with admin on the project, the credential the pusher's.
    OpenBao/Vault: ``VAULT_ADDR`` (or ``BAO_ADDR``), when set; GitLab: ``GITLAB_HOST`` (or
    ``CI_SERVER_URL``), when set; GitHub: ``api.github.com``, or ``GITHUB_API_URL``."""
    if target.kind == GITHUB:
        github_api_url(target, environ)
        return
    for variable in ADDRESS_VARIABLES[target.kind]:
        value = environ.get(variable, "").strip()
        if not value:
            continue
        if "://" not in value:  # glab's GITLAB_HOST may be a bare host name
            value = "https://" + value
        if _key(value) != _key(target.url):
            raise ConfigurationError(
                f"{variable} is {_origin(value)} but this destination is at "
                f"{_origin(target.url)}: the credential is for the former, so nothing was "
                f"sent (unset {variable}, or fix the destination)"
            )
        return


def github_api_url(target: Target, environ: Mapping[str, str]) -> str:
    """``$GITHUB_API_URL`` when set (GitHub Actions and gh read it: GitHub Enterprise
    Server), else api.github.com. A destination naming another API URL (GitHub
    Enterprise) is pushed to only when ``GITHUB_API_URL`` says the same."""
    override = environ.get("GITHUB_API_URL", "").strip()
    url = clean_url(override, "GITHUB_API_URL") if override else GITHUB_API_URL
    if target.url not in (GITHUB_API_URL, url):
        raise ConfigurationError(
            f"this destination names GitHub at {target.url}: set GITHUB_API_URL to it to "
            "push there with GITHUB_TOKEN"
        )
    return url


def _key(url: str) -> str:
    """The origin as compared: every loopback spelling (localhost, 127.0.0.1, ::1) is this
    machine's, so one of them stands for all."""
    origin = _origin(url)
    host = urlsplit(origin).hostname or ""
    if is_loopback(host) or host == "localhost":
        return origin.replace(f"//{host}", "//localhost", 1).replace("//[::1]", "//localhost", 1)
    return origin


def _origin(url: str) -> str:
    """scheme://host[:port], lower-cased, the default port left out."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"https": 443, "http": 80}.get(scheme)
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" + (f":{port}" if port not in (None, default) else "")


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine: exactly localhost, or a literal address of
    127.0.0.0/8 or ::1 (never a name a resolver answers for, "localhost." included:
    plain http:// goes only where no DNS answer can send it)."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def clean_url(value: str, label: str) -> str:
    """An https:// URL (http:// only to this machine, where nothing crosses a network),
    with no credentials, query or fragment, and no trailing slash."""
    text = value.strip()
    if not text:
        raise ValidationError(f"{label} cannot be empty")
    _require_plain(text, label, URL_MAX_LENGTH)
    if any(character.isspace() for character in text):
        raise ValidationError(f"{label} cannot contain spaces")
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        raise ValidationError(f"{label} is not a URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not host:
        raise ValidationError(f"{label} must be an https:// URL")
    if scheme == "http" and not is_loopback(host):
        raise ValidationError(f"{label} must use https:// (http:// only on this machine)")
    if parts.username is not None or parts.password is not None:
        # A URL is stored and shown; credentials belong in the environment.
        raise ValidationError(f"{label} cannot contain a user name or password")
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise ValidationError(f"{label} cannot have a query or fragment")
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def _kv_path(value: str) -> str:
    path = value.strip()
    _require_plain(path, "the Vault path", 1024)
    if path.startswith("/"):
        raise ValidationError("give the Vault path as MOUNT/PATH, without a leading slash")
    segments = path.rstrip("/").split("/")
    if len(segments) < 2:
        raise ValidationError("give the Vault path as MOUNT/PATH, such as secret/ci/web")
    if any(segment in ("", ".", "..") for segment in segments):
        raise ValidationError("a Vault path cannot have empty, '.' or '..' segments")
    if segments[1] in _KV_API_SEGMENTS:
        mount, rest = segments[0], "/".join(segments[2:]) or "PATH"
        raise ValidationError(
            f"that looks like an API path: give MOUNT/PATH ({mount}/{rest}), "
            f"without '{segments[1]}/'"
        )
    return "/".join(segments)


def _github_repository(value: str) -> str:
    text = value.strip()
    owner, slash, name = text.partition("/")
    if (
        not slash
        or not _GITHUB_OWNER.fullmatch(owner)
        or not _GITHUB_REPOSITORY.fullmatch(name)
        or name in (".", "..")
    ):
        raise ValidationError(
            "give the GitHub repository as OWNER/REPO, such as acme/web "
            "(letters, digits, '-', and in the name '.' and '_')"
        )
    return f"{owner}/{name}"


def _github_secret(value: str) -> str:
    name = value.strip()
    if not name:
        raise ValidationError("the GitHub secret name cannot be empty")
    if not _GITHUB_SECRET.fullmatch(name):
        raise ValidationError(
            "a GitHub secret name may hold only letters, digits and underscores, "
            "and cannot start with a digit"
        )
    if name.upper().startswith("GITHUB_"):
        raise ValidationError("a GitHub secret name cannot start with GITHUB_")
    # GitHub treats secret names case-insensitively and shows them upper-case.
    return name.upper()


def _gitlab_project(value: str | int) -> str:
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise ValidationError(
            "give the GitLab project by its numeric id (Settings > General), such as 42"
        )
    return str(int(text))


def _require_plain(value: str, label: str, max_length: int) -> None:
    if not value:
        raise ValidationError(f"{label} cannot be empty")
    if len(value) > max_length:
        raise ValidationError(f"{label} is at most {max_length} characters")
    if _CONTROL.search(value):
        raise ValidationError(f"{label} cannot contain control characters")


def _quoted(value: str) -> str:
    return repr(_CONTROL.sub("?", value[:40]))
