"""What every endpoint reads from a request, and how it refuses what no gateway or
pipeline sends: credentials, form fields, bounded bodies, the caller's address."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import logging
from collections.abc import Sequence
from urllib.parse import parse_qs

import falcon

from app.http.rate_limits import Network, address_group

log = logging.getLogger(__name__)

# A verification request carries a token and a project name: a few hundred bytes.
MAX_BODY_BYTES = 8 * 1024
# A revocation batch from GitLab: a few hundred findings at most.
MAX_REVOCATION_BODY_BYTES = 512 * 1024
REVOCATION_PATH = "/v1/revoke_tokens"


class RequestHygiene:
    """Refuse what no gateway or pipeline sends, before anything reads it: a large body,
    header values that are not ASCII, a second Authorization header."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        limit = MAX_REVOCATION_BODY_BYTES if req.path == REVOCATION_PATH else MAX_BODY_BYTES
        if (req.content_length or 0) > limit:
            raise falcon.HTTPBadRequest(title="the request body is too large")
        for name, value in req.headers.items():
            if not value.isascii():
                raise falcon.HTTPBadRequest(title=f"the {name.title()} header is not ASCII")
        # WSGI servers join repeated headers with a comma; a token never has one.
        if "," in (req.get_header("Authorization") or ""):
            raise falcon.HTTPBadRequest(title="send one Authorization header")


class Callers:
    """Who a request comes from, for counting its failures: the direct peer, or, when
    the peer is a trusted proxy, the address that proxy says it serves."""

    def __init__(self, trusted: Sequence[Network]) -> None:
        self._trusted = trusted

    def group(self, req: falcon.Request) -> str:
        """The address group (address_group) the request's caller is counted under."""
        return address_group(self.address(req))

    def address(self, req: falcon.Request) -> str:
        peer = req.remote_addr or "unknown"
        if not self._trusted or not self._is_trusted(ip_address(peer)):
            return peer
        forwarded = req.get_header("X-Forwarded-For")
        if forwarded:
            # Each proxy appends the address it saw: from the right, the first address
            # that is not a trusted proxy's is the one no caller could have written.
            for hop in reversed(forwarded.split(",")):
                address = ip_address(hop)
                if address is None:
                    return peer
                if not self._is_trusted(address):
                    return str(address)
            return peer
        real = ip_address(req.get_header("X-Real-IP") or "")
        return peer if real is None else str(real)

    def _is_trusted(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        if address is None:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self._trusted)


def ip_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in ``text`` ("192.0.2.1", "2001:db8::1", "[2001:db8::1]:443",
    "192.0.2.1:443"), or None."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def bearer(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer`` header, or None."""
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def basic(header: str | None) -> tuple[str, str] | None:
    """The (name, secret) of an ``Authorization: Basic`` header, or None."""
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    name, colon, secret = decoded.partition(":")
    return (name, secret) if colon and name and secret else None


def form_field(req: falcon.Request, name: str) -> str | None:
    if (req.content_type or "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return None
    body = read_body(req, MAX_BODY_BYTES)
    if body is None:
        return None
    try:
        fields = parse_qs(body.decode("ascii"), strict_parsing=False)
    except UnicodeDecodeError:
        return None
    values = fields.get(name, [])
    return values[0] if len(values) == 1 else None


def read_body(req: falcon.Request, limit: int) -> bytes | None:
    """The request's body, or None when it is larger than ``limit`` or did not arrive
    (the client went away, or was too slow: serve's worker cuts a request off)."""
    try:
        body = req.bounded_stream.read(limit + 1)
    except OSError:
        return None
    return body if len(body) <= limit else None


def unauthorized(resp: falcon.Response) -> None:
    resp.status = falcon.HTTP_401
    resp.set_header("WWW-Authenticate", 'Bearer realm="deployment-tokens"')
    resp.text = "the token is missing, malformed, unknown, revoked or expired\n"


def internal_error(
    req: falcon.Request, resp: falcon.Response, error: Exception, params: object
) -> None:
    """A bug: 500, and the traceback logged with the request's path (never its query
    string, which could hold a token; serve's log also redacts what a traceback says)."""
    log.error("unexpected error answering %s %s", req.method, req.path, exc_info=error)
    resp.status = falcon.HTTP_500
    resp.content_type = "text/plain"
    resp.text = "internal server error\n"


def plain_error(req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError) -> None:
    resp.content_type = "text/plain"
    resp.text = f"{error.title}\n"
