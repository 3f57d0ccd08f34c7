"""An issuer's signing keys: ``{issuer}/.well-known/openid-configuration`` names its
``jwks_uri``, which lists them. Cached per process, for each issuer:

* fetched when first needed, with timeouts, and again after ``MAX_AGE_SECONDS``;
* fetched again for a key id the cache does not know (the issuer rotated its keys), but
  at most once every ``REFETCH_SECONDS``: a stream of tokens with made-up key ids cannot
  make the service hammer the issuer;
* kept when a fetch fails: with keys cached the exchange goes on while the issuer is
  down. Only an issuer never reached leaves nothing to check with
  (``IssuerUnavailableError``, answered 503).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import jwt

from app.errors import DeploymentTokensError
from app.oidc.bindings import is_loopback

log = logging.getLogger(__name__)

ALGORITHMS = ("RS256", "ES256")
FETCH_TIMEOUT_SECONDS = 5.0
REFETCH_SECONDS = 60.0
MAX_AGE_SECONDS = 3600.0
MAX_DOCUMENT_BYTES = 256 * 1024

# A URL to its body; raises OSError (or ValueError) when it cannot be had.
Fetch = Callable[[str], bytes]


class IssuerUnavailableError(DeploymentTokensError):
    """The issuer's keys could not be fetched, and none are cached."""


class UnknownKeyError(DeploymentTokensError):
    """The token names a key its issuer does not list (or not for RS256/ES256)."""


def fetch_url(url: str) -> bytes:
    """GET ``url`` with a timeout, at most ``MAX_DOCUMENT_BYTES``."""
    import urllib.request

    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
        body: bytes = response.read(MAX_DOCUMENT_BYTES + 1)
    if len(body) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"more than {MAX_DOCUMENT_BYTES} bytes")
    return body


@dataclass
class _Entry:
    keys: dict[str, jwt.PyJWK] = field(default_factory=dict)
    fetched: float | None = None  # when the keys were last fetched
    attempted: float = float("-inf")  # when a fetch was last tried
    lock: threading.Lock = field(default_factory=threading.Lock)


class KeyCache:
    """The signing keys of each issuer, fetched by discovery; thread-safe."""

    def __init__(
        self, fetch: Fetch = fetch_url, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def key(self, issuer: str, kid: str | None) -> jwt.PyJWK:
        """The issuer's key ``kid`` (None: its only key). UnknownKeyError when it has no
        such key; IssuerUnavailableError when its keys cannot be had at all."""
        with self._lock:
            entry = self._entries.setdefault(issuer, _Entry())
        with entry.lock:
            now = self._clock()
            may_fetch = now - entry.attempted >= REFETCH_SECONDS
            stale = entry.fetched is None or now - entry.fetched >= MAX_AGE_SECONDS
            if may_fetch and (stale or _find(entry.keys, kid) is None):
                self._refresh(issuer, entry, now)
            if entry.fetched is None:
                raise IssuerUnavailableError(f"the signing keys of {issuer} cannot be fetched")
            found = _find(entry.keys, kid)
        if found is None:
            raise UnknownKeyError(f"{issuer} lists no RS256 or ES256 key with that key id")
        return found

    def cached(self, kid: str | None, issuers: Iterable[str]) -> tuple[str, jwt.PyJWK] | None:
        """The one issuer of ``issuers`` whose cached keys list ``kid``, and that key, when
        ``key`` would answer with it without fetching. None otherwise (no kid, no such
        key cached, keys due for a refetch, the id at two issuers): then ``key``, asked
        for the token's own issuer, decides (and fetches, at most once a minute).

        Without the locks: an entry's keys are replaced whole, never changed, so a
        reader sees the old set or the new one, never waiting for a fetch under way."""
        if kid is None:
            return None
        now = self._clock()
        found = None
        for issuer in issuers:
            entry = self._entries.get(issuer)
            key = None if entry is None else entry.keys.get(kid)
            if entry is None or key is None or entry.fetched is None:
                continue
            stale = now - entry.fetched >= MAX_AGE_SECONDS
            if found is not None or (stale and now - entry.attempted >= REFETCH_SECONDS):
                return None
            found = (issuer, key)
        return found

    def _refresh(self, issuer: str, entry: _Entry, now: float) -> None:
        """Fetch the issuer's keys into ``entry``; on failure keep what it holds."""
        entry.attempted = now
        try:
            keys = self._keys_of(issuer)
        except (OSError, ValueError, KeyError, TypeError, jwt.PyJWKError) as error:
            kept = "keeping the keys cached" if entry.fetched is not None else "none cached"
            log.warning("cannot fetch the signing keys of %s (%s): %s", issuer, error, kept)
            return
        entry.keys, entry.fetched = keys, now

    def _keys_of(self, issuer: str) -> dict[str, jwt.PyJWK]:
        discovery_url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        document = json.loads(self._fetch(discovery_url))
        # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer asked.
        if not isinstance(document, dict) or document.get("issuer") != issuer:
            raise ValueError("its discovery document names another issuer")
        jwks_uri = document["jwks_uri"]
        parts = urlsplit(jwks_uri)
        if not (
            parts.scheme == "https"
            or (parts.scheme == "http" and is_loopback(parts.hostname or ""))
        ):
            raise ValueError("its jwks_uri is not an https:// URL")
        listed = json.loads(self._fetch(jwks_uri))
        keys: dict[str, jwt.PyJWK] = {}
        for data in listed["keys"]:
            if not isinstance(data, dict) or data.get("use", "sig") != "sig":
                continue
            try:
                key = jwt.PyJWK(data)
            except (jwt.PyJWKError, jwt.InvalidKeyError):
                continue  # a key type or curve we do not take: others may do
            if key.algorithm_name in ALGORITHMS:
                keys[str(data.get("kid", ""))] = key
        if not keys:
            raise ValueError("its key set has no RS256 or ES256 signing key")
        return keys


def _find(keys: dict[str, jwt.PyJWK], kid: str | None) -> jwt.PyJWK | None:
    if kid is None:
        return next(iter(keys.values())) if len(keys) == 1 else None
    return keys.get(kid)
