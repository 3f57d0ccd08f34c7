"""Where notifications go: e-mail addresses and webhook URLs, checked before they are
stored. A message never quotes a URL (a webhook's path may be a secret of its own)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

from app.errors import ValidationError
from app.names import refuse_token

EMAIL_MAX_LENGTH = 254  # RFC 5321's limit on a path, less the angle brackets
URL_MAX_LENGTH = 2000

EMAIL = "email"
WEBHOOK = "webhook"
KINDS = (EMAIL, WEBHOOK)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine: localhost, 127.0.0.0/8 or ::1."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def clean_email(value: str) -> str:
    """The address as it will be stored, or ValidationError saying what is wrong."""
    text = value.strip()
    if not text:
        raise ValidationError("the e-mail address cannot be empty")
    refuse_token(text, "e-mail address")
    if len(text) > EMAIL_MAX_LENGTH:
        raise ValidationError(f"an e-mail address is at most {EMAIL_MAX_LENGTH} characters")
    if not text.isprintable() or any(character.isspace() for character in text):
        raise ValidationError("an e-mail address cannot contain spaces or control characters")
    # Here, not at the top: the e-mail package costs the desktop app's start 10 ms.
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    try:
        address = Address(addr_spec=text)
    except (HeaderParseError, ValueError, IndexError):
        raise _not_an_address() from None
    domain = address.domain.rstrip(".")
    if not address.username or not domain or ("." not in domain and not is_loopback(domain)):
        raise _not_an_address()
    return address.addr_spec


def _not_an_address() -> ValidationError:
    return ValidationError("that is not an e-mail address: give one such as ops@example.com")


def clean_webhook_url(value: str) -> str:
    """The URL as it will be stored, or ValidationError saying what is wrong (without
    quoting it)."""
    text = value.strip()
    if not text:
        raise ValidationError("the webhook URL cannot be empty")
    refuse_token(text, "webhook URL")
    if len(text) > URL_MAX_LENGTH:
        raise ValidationError(f"a webhook URL is at most {URL_MAX_LENGTH} characters")
    if not text.isascii() or not text.isprintable() or " " in text:
        raise ValidationError(
            "a webhook URL is ASCII without spaces or control characters (percent-encode "
            "anything else)"
        )
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    try:
        host, _ = parts.hostname, parts.port
    except ValueError:
        raise ValidationError("the webhook URL's port is not a number from 1 to 65535") from None
    if scheme not in ("https", "http") or not host:
        raise ValidationError("a webhook URL starts with https:// and names a host")
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            "a webhook URL carries no user name or password: each POST is signed instead "
            "(README, Notifications)"
        )
    if parts.fragment or text.endswith("#"):
        raise ValidationError("a webhook URL has no #fragment: servers never see one")
    if scheme == "http" and not is_loopback(host):
        raise ValidationError(
            "a webhook URL must be https://; plain http:// only to a loopback address "
            "(localhost, 127.0.0.1, ::1)"
        )
    return urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, ""))


def clean_address(kind: str, value: str) -> str:
    """An address of either kind, checked."""
    return clean_email(value) if kind == EMAIL else clean_webhook_url(value)


def shown(kind: str, address: str) -> str:
    """An address as logs, notify's output and the audit trail say it: a webhook by its
    origin alone (its path and query may be a secret of the receiver's)."""
    if kind == EMAIL:
        return address
    parts = urlsplit(address)
    cut = "/\u2026" if (parts.path not in ("", "/") or parts.query) else "/"
    return urlunsplit((parts.scheme, parts.netloc, "", "", "")) + cut


def address_key(kind: str, address: str) -> str:
    """What two addresses share when they reach the same place: e-mail addresses ignore
    case (in practice every server does), URLs only in the scheme and host."""
    if kind == EMAIL:
        return address.casefold()
    parts = urlsplit(address)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, parts.query, ""))
