"""JSON over HTTP for the destinations: one request at a time, on urllib.

Every answer that is not what the caller expected becomes a ``DestinationError`` with one
sentence a release manager can act on. Redirects are never followed: urllib would resend
the credential header to wherever a 3xx points. The credential and the value being
pushed are masked (``***``) in every text this module builds, however a server echoes
them, and exceptions are raised without their urllib cause.
"""

from __future__ import annotations

import email.message
import http.client
import json
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from app.destinations.targets import is_loopback
from app.errors import DeploymentTokensError
from app.shown import escaped

TIMEOUT_SECONDS = 10.0
# Waits before the second and third attempt of an idempotent request (_send_with_retries).
RETRY_DELAYS = (0.25, 0.75)
IDEMPOTENT = frozenset({"GET", "PUT", "DELETE"})
TRANSIENT_STATUSES = frozenset({502, 503, 504})
USER_AGENT = "deployment-tokens/1"
QUOTE_LIMIT = 200
MASK_MIN_LENGTH = 6
# What a JSON answer may be at most: these APIs answer with a few hundred bytes.
_READ_LIMIT = 1 << 20
_MULTIERROR = re.compile(r"^\d+ errors? occurred:\s*")


class DestinationError(DeploymentTokensError):
    """A push or check did not complete; ``status`` is the HTTP status, if there was one."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Response:
    status: int
    body: Any
    headers: Mapping[str, str]


@dataclass
class Client:
    """A service's base URL, the headers of every request, and what never to show.

    ``service`` names it in messages ("GitHub"); ``variable`` is where the credential came
    from ("$GITHUB_TOKEN"); ``secrets`` are masked wherever text is quoted.
    """

    base_url: str
    service: str
    variable: str
    # Out of repr: the headers carry the credential, ``secrets`` are the very values.
    headers: dict[str, str] = field(repr=False)
    secrets: tuple[str, ...] = field(repr=False)
    timeout: float = TIMEOUT_SECONDS
    context: ssl.SSLContext | None = None

    def call(
        self,
        method: str,
        path: str,
        what: str,
        body: Any = None,
        *,
        allow: Iterable[int] = (),
    ) -> Response:
        """``method`` on base URL + ``path``; the answer when 2xx or in ``allow``, else
        DestinationError. ``what`` names the thing for messages ("repository acme/web")."""
        url = self.base_url + path
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **self.headers}
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(  # noqa: S310 (https://, or http:// to loopback)
            url, data=data, method=method, headers=headers
        )
        status, raw, answer_headers = self._send_with_retries(request, method)
        parsed = _parsed(raw)
        if 200 <= status < 300 or status in set(allow):
            return Response(status, parsed, answer_headers)
        raise DestinationError(self._explain(status, parsed, raw, answer_headers, what), status)

    def mask(self, text: str) -> str:
        """``text`` with every secret replaced by ``***`` and control characters escaped."""
        for secret in self.secrets:
            # A shorter string is no credential or token, and masking it would garble text.
            if len(secret) >= MASK_MIN_LENGTH:
                text = text.replace(secret, "***")
        return escaped(text)

    def quote(self, text: str) -> str:
        """A server's words, masked and cut to ``QUOTE_LIMIT`` characters."""
        cleaned = self.mask(" ".join(text.split()))
        # Masked before the cut, so that the cut cannot leave the start of a secret behind.
        if len(cleaned) > QUOTE_LIMIT:
            cleaned = cleaned[: QUOTE_LIMIT - 1] + "…"
        return cleaned or "(no message)"

    def _send_with_retries(
        self, request: urllib.request.Request, method: str
    ) -> tuple[int, bytes, Mapping[str, str]]:
        """``_send``, and for a request that may be sent twice (GET, PUT, DELETE) again
        after a refused connection or a gateway's 502/503/504, twice at most: a
        load balancer restarting must not fail a rotation. A timeout is not retried (the
        user would wait three times as long), nor is a POST (not idempotent)."""
        attempts = RETRY_DELAYS if method in IDEMPOTENT else ()
        for delay in attempts:
            try:
                answer = self._send(request)
            except DestinationError as unreachable:
                if "no answer within" in str(unreachable):
                    raise
            else:
                if answer[0] not in TRANSIENT_STATUSES:
                    return answer
            sleep(delay)
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> tuple[int, bytes, Mapping[str, str]]:
        origin = self.mask(_origin(self.base_url))
        try:
            opener = _opener(self.base_url, self.context)
            with opener.open(request, timeout=self.timeout) as response:
                return int(response.status), response.read(_READ_LIMIT), _lower(response.headers)
        except urllib.error.HTTPError as error:
            try:
                raw = error.read(_READ_LIMIT)
            except (OSError, http.client.HTTPException):
                raw = b""
            finally:
                error.close()
            return int(error.code), raw, _lower(error.headers) if error.headers else {}
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            reason = self.mask(_unreachable(error, self.timeout))
            raise DestinationError(f"cannot reach {origin}: {reason}") from None

    def _explain(
        self, status: int, parsed: Any, raw: bytes, headers: Mapping[str, str], what: str
    ) -> str:
        said = self.quote(server_message(parsed, raw))
        if 300 <= status < 400:
            location = self.quote(headers.get("location", "") or "nowhere")
            return (
                f"{self.service} answered with a redirect ({status}) to {location}; "
                "redirects are not followed, check the URL"
            )
        if status == 401:
            return f"the credential was refused (401): check {self.variable}"
        if status == 403:
            return (
                f"the credential may not do this (403): {said}; check that {self.variable} "
                f"has write access to {what}"
            )
        if status == 404:
            return f"not found (404): {what} (or {self.variable} cannot see it)"
        if status >= 500:
            return f"{self.service} failed ({status}): {said}; try again later"
        return f"{self.service} refused {what} ({status}): {said}"


def server_message(parsed: Any, raw: bytes) -> str:
    """What a service said went wrong: Vault's ``errors``, GitHub's and GitLab's
    ``message`` (GitLab's may be a dict of fields), GitLab's ``error``; else the body."""
    if isinstance(parsed, dict):
        errors = parsed.get("errors")
        if isinstance(errors, list) and errors and "message" not in parsed:
            return "; ".join(_vault_error(str(error)) for error in errors)
        message = parsed.get("message", parsed.get("error"))
        if isinstance(message, dict):
            return "; ".join(
                f"{key} {' '.join(map(str, value)) if isinstance(value, list) else value}"
                for key, value in message.items()
            )
        if message is not None:
            return str(message)
    return raw.decode("utf-8", "replace")


def _vault_error(text: str) -> str:
    """Vault's multierror text ("1 error occurred:\n\t* permission denied") as one line."""
    text = _MULTIERROR.sub("", text.strip())
    return "; ".join(item.strip().removeprefix("* ") for item in text.splitlines() if item.strip())


def ssl_context(cafile: str | None, capath: str | None = None) -> ssl.SSLContext | None:
    """A context trusting the given CA file or directory, or None for the system's trust."""
    if not cafile and not capath:
        return None
    try:
        return ssl.create_default_context(cafile=cafile or None, capath=capath or None)
    except (OSError, ssl.SSLError) as error:
        where = cafile or capath
        raise DestinationError(
            f"cannot read the CA certificates in {escaped(str(where))}: "
            f"{escaped(getattr(error, 'strerror', None) or str(error))}"
        ) from None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: it would carry the credential along."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(url: str, context: ssl.SSLContext | None) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_NoRedirects()]
    if context is not None:
        handlers.append(urllib.request.HTTPSHandler(context=context))
    if is_loopback(urlsplit(url).hostname or ""):
        handlers.append(urllib.request.ProxyHandler({}))  # no proxy for this machine
    return urllib.request.build_opener(*handlers)


def _lower(headers: email.message.Message) -> dict[str, str]:
    """Header names in lower case: HTTP's are case-insensitive."""
    return {name.lower(): value for name, value in headers.items()}


def _parsed(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _unreachable(error: BaseException, timeout: float) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"its TLS certificate is not trusted ({reason.verify_message})"
    if isinstance(reason, ssl.SSLError):
        return f"TLS failed ({reason.reason or reason})"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "no such host"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason) or type(reason).__name__


def sleep(seconds: float) -> None:
    """``time.sleep``: a module function, so that tests can take the wait out."""
    time.sleep(seconds)
