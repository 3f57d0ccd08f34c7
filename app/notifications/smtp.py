"""E-mail through SMTP, configured by one URL in ``ML_DEPLOYMENT_SMTP_URL``:

    smtp://USER:PASSWORD@HOST:PORT/?from=ADDRESS     (port 587 by default: submission)
    smtps://USER:PASSWORD@HOST:PORT/?from=ADDRESS    (port 465 by default: implicit TLS)

User and password are percent-decoded, as in any URL. On ``smtp://`` the connection is
upgraded with STARTTLS, which the server must offer, unless the host is a loopback
address (a local relay: then STARTTLS when offered) or ``?starttls=no`` says not to; a
password is never sent over a connection that is not encrypted, except to a loopback
address. ``?starttls=required`` requires it on loopback too. ``?cafile=PATH`` trusts a
private CA's certificate besides the system's. The password never appears in a message,
an exception's text, a log line or ``repr``.
"""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from app import config, shown
from app.errors import ConfigurationError, ValidationError
from app.notifications.addresses import clean_email, is_loopback

TIMEOUT_SECONDS = 30.0
DEFAULT_PORTS = {"smtp": 587, "smtps": 465}
STARTTLS_CHOICES = ("required", "no")
_ENV = config.SMTP_URL_ENV
_EXAMPLE = "smtp://USER:PASSWORD@HOST:587/?from=ADDRESS"


class DeliveryError(Exception):
    """A message could not be handed over; the text says why, and never holds a secret."""


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    implicit_tls: bool
    # "required", "if offered" (loopback) or "no".
    starttls: str
    sender: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    cafile: str | None = None
    timeout: float = TIMEOUT_SECONDS

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def settings(environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
    """The configured SMTP server; None when ML_DEPLOYMENT_SMTP_URL is not set."""
    url = config.smtp_url(environ)
    return None if url is None else parse(url)


def parse(url: str) -> SmtpSettings:
    """``url`` as settings; ConfigurationError (never quoting the password) if it is wrong."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise _wrong("it is not a URL with a valid port") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not host:
        raise _wrong("it starts with smtp:// or smtps:// and names a host")
    options = _options(parts.query)
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if password is not None and not username:
        raise _wrong("a password needs a user name before it")
    starttls = _starttls(scheme, host, options.get("starttls"))
    if password and not is_loopback(host) and scheme == "smtp" and starttls == "no":
        raise _wrong(
            "with starttls=no the password would cross the network unencrypted; use "
            "smtps://, or STARTTLS"
        )
    cafile = options.get("cafile")
    if cafile is not None and not Path(cafile).is_file():
        raise _wrong(f"its cafile {shown.for_display(cafile)} is not a file")
    return SmtpSettings(
        host=host,
        port=port or DEFAULT_PORTS[scheme],
        implicit_tls=scheme == "smtps",
        starttls=starttls,
        sender=_sender(options.get("from")),
        username=username,
        password=password,
        cafile=cafile,
    )


def _wrong(why: str) -> ConfigurationError:
    return ConfigurationError(f"{_ENV} is not usable: {why} (for example {_EXAMPLE})")


def _options(query: str) -> dict[str, str]:
    try:
        parsed = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise _wrong("its query is not NAME=VALUE pairs joined by &") from None
    unknown = sorted(set(parsed) - {"from", "starttls", "cafile"})
    if unknown:
        raise _wrong(
            f"it has an unknown option {shown.for_display(unknown[0])!r} (known: from, "
            "starttls, cafile)"
        )
    if any(len(values) > 1 for values in parsed.values()):
        raise _wrong("an option is given twice")
    return {name: values[0] for name, values in parsed.items()}


def _starttls(scheme: str, host: str, given: str | None) -> str:
    if given is None:
        return "if offered" if is_loopback(host) or scheme == "smtps" else "required"
    if given not in STARTTLS_CHOICES:
        raise _wrong("starttls is 'required' or 'no'")
    if scheme == "smtps":
        raise _wrong("starttls is for smtp://; smtps:// is encrypted from the start")
    return given


def _sender(given: str | None) -> str:
    if given is None:
        return f"deployment-tokens@{socket.getfqdn() or 'localhost'}"
    try:
        return clean_email(given)
    except ValidationError as error:
        raise _wrong(f"its from= is not an address ({error})") from None


@contextmanager
def connected(settings: SmtpSettings) -> Iterator[smtplib.SMTP]:
    """An SMTP session, encrypted as the settings ask and logged in; DeliveryError when
    it cannot be had."""
    try:
        session = _open(settings)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(_why(settings, error)) from None
    try:
        _secure_and_log_in(session, settings)
        yield session
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(_why(settings, error)) from None
    finally:
        try:
            session.quit()
        except (OSError, smtplib.SMTPException):
            session.close()


def send(session: smtplib.SMTP, settings: SmtpSettings, mail: EmailMessage) -> None:
    """Hand one message over; DeliveryError when the server refuses it."""
    try:
        refused = session.send_message(mail, from_addr=settings.sender)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(_why(settings, error)) from None
    if refused:
        code, _ = next(iter(refused.values()))
        raise DeliveryError(f"the SMTP server {settings.where} refused the recipient ({code})")


def _tls(settings: SmtpSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.cafile:
        context.load_verify_locations(cafile=settings.cafile)
    return context


def _open(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.implicit_tls:
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=_tls(settings)
        )
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)


def _secure_and_log_in(session: smtplib.SMTP, settings: SmtpSettings) -> None:
    session.ehlo()
    encrypted = settings.implicit_tls
    if not encrypted and settings.starttls != "no":
        if session.has_extn("starttls"):
            session.starttls(context=_tls(settings))
            session.ehlo()
            encrypted = True
        elif settings.starttls == "required":
            raise DeliveryError(
                f"the SMTP server {settings.where} does not offer STARTTLS, which {_ENV} "
                "requires: use smtps://, or ?starttls=no for a server on this machine"
            )
    if settings.username is None:
        return
    if not encrypted and not is_loopback(settings.host):
        raise DeliveryError(
            f"not logging in to {settings.where}: the password would cross the network unencrypted"
        )
    try:
        _log_in(session, settings.username, settings.password or "")
    except smtplib.SMTPAuthenticationError as error:
        # The server's text is not shown: it could echo what was sent.
        raise DeliveryError(
            f"the SMTP server {settings.where} refused the login of "
            f"{shown.for_display(settings.username)!r} ({error.smtp_code})"
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise DeliveryError(
            f"the SMTP server {settings.where} offers no login (AUTH) for the user in {_ENV}"
        ) from None


def _log_in(session: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib's login, which takes ASCII alone; else AUTH PLAIN (RFC 4616) in UTF-8."""
    if user.isascii() and password.isascii():
        session.login(user, password)
        return
    if "plain" not in session.esmtp_features.get("auth", "").lower().split():
        raise DeliveryError(
            "the user name or password in the SMTP URL is not ASCII, and the server offers "
            "no AUTH PLAIN to send it in UTF-8"
        )
    credentials = b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8")
    code, answer = session.docmd("AUTH", "PLAIN " + base64.b64encode(credentials).decode("ascii"))
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


def _why(settings: SmtpSettings, error: BaseException) -> str:
    """One line for a failure, with nothing of the password in it."""
    if isinstance(error, DeliveryError):
        return str(error)
    if isinstance(error, ssl.SSLCertVerificationError):
        return (
            f"no TLS with the SMTP server {settings.where}: its certificate is not trusted "
            f"({error.verify_message}); for a private CA add ?cafile=PATH to {_ENV}"
        )
    if isinstance(error, ssl.SSLError):
        return f"no TLS with the SMTP server {settings.where}: {error.reason or 'handshake failed'}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _ in error.recipients.values()})
        return f"the SMTP server {settings.where} refused the recipient ({', '.join(codes)})"
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return (
            f"the SMTP server {settings.where} answered {error.smtp_code} "
            f"({shown.for_display(said[:120])})"
        )
    if isinstance(error, smtplib.SMTPServerDisconnected | TimeoutError | socket.timeout):
        return f"the SMTP server {settings.where} did not answer in time or hung up"
    if isinstance(error, OSError):
        return f"cannot reach the SMTP server {settings.where}: {error.strerror or error}"
    return f"the SMTP server {settings.where} failed: {type(error).__name__}"
