"""A real SMTP server for the tests (aiosmtpd, in a thread of the test process), with
STARTTLS or implicit TLS under a throwaway CA made by openssl, and AUTH that checks a
user and password."""

from __future__ import annotations

import contextlib
import logging
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.support.serving import free_port

USER = "notifier"
# Every character a URL must percent-encode in a password, and more.
PASSWORD = "p@ss:w/rd%?#&= é"


@dataclass(frozen=True)
class Certificates:
    ca: Path  # what the client trusts: ?cafile=
    certificate: Path  # the server's, for localhost and 127.0.0.1
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.certificate, self.key)
        return context


def make_certificates(directory: Path) -> Certificates:
    """A CA and a server certificate it signed, for localhost and 127.0.0.1."""
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed (Debian's openssl package, make test installs it)"

    def run(*arguments: str) -> None:
        subprocess.run([openssl, *arguments], cwd=directory, check=True, capture_output=True)

    curve = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    # The CA's extensions spelled out: Python 3.13 verifies strictly (VERIFY_X509_STRICT),
    # and refuses a CA without keyUsage, which older openssl configs leave out.
    run("req", "-x509", "-new", *curve, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=deployment-tokens test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-addext", "subjectKeyIdentifier=hash")  # fmt: skip
    run("req", "-new", *curve, "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=localhost")  # fmt: skip
    (directory / "server.ext").write_text(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n"
    )
    signed_by_ca = ("-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial")
    run("x509", "-req", "-in", "server.csr", *signed_by_ca, "-out", "server.pem",
        "-days", "2", "-extfile", "server.ext")  # fmt: skip
    return Certificates(directory / "ca.pem", directory / "server.pem", directory / "server.key")


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    authenticated: bool
    encrypted: bool


@dataclass
class MailServer:
    host: str
    port: int
    messages: list[Received] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)  # (user, accepted)

    def url(self, scheme: str = "smtp", *, password: str = PASSWORD, **options: str) -> str:
        from urllib.parse import quote, urlencode

        userinfo = f"{quote(USER, safe='')}:{quote(password, safe='')}@" if password else ""
        query = urlencode(options)
        return f"{scheme}://{userinfo}{self.host}:{self.port}/" + (f"?{query}" if query else "")

    def to(self, address: str) -> list[Received]:
        return [received for received in self.messages if address in received.recipients]


# A recipient the server refuses, as a mailbox that does not exist.
UNKNOWN_RECIPIENT = "nobody@example.com"


class _Handler:
    def __init__(self, server: MailServer) -> None:
        self._server = server

    async def handle_RCPT(
        self, smtp: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == UNKNOWN_RECIPIENT:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self._server.messages.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                message,  # type: ignore[arg-type]
                bool(session.authenticated),
                # STARTTLS (session.ssl), or TLS from the start (the transport's).
                session.ssl is not None or smtp.transport.get_extra_info("ssl_object") is not None,
            )
        )
        return "250 OK"


@contextlib.contextmanager
def mail_server(
    certificates: Certificates | None,
    *,
    implicit_tls: bool = False,
    auth: bool = True,
    password: str = PASSWORD,
) -> Iterator[MailServer]:
    """An SMTP server on 127.0.0.1: STARTTLS offered (and required before AUTH) when
    given certificates, or TLS from the first byte with ``implicit_tls``."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    server = MailServer("127.0.0.1", free_port())

    def authenticator(smtp: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            USER.encode(),
            password.encode(),
        )
        server.logins.append((data.login.decode() if isinstance(data, LoginPassword) else "", ok))
        return AuthResult(success=ok, handled=False)

    options: dict[str, Any] = {}
    if auth:
        # Over implicit TLS aiosmtpd counts the connection as unencrypted (it knows only
        # STARTTLS): AUTH is required to follow STARTTLS only on smtp://.
        needs_tls = certificates is not None and not implicit_tls
        options.update(authenticator=authenticator, auth_require_tls=needs_tls)
    if certificates is not None and implicit_tls:
        options["ssl_context"] = certificates.server_context()
    elif certificates is not None:
        options.update(tls_context=certificates.server_context(), require_starttls=True)
    controller = Controller(
        _Handler(server), hostname=server.host, port=server.port, server_hostname="localhost",
        **options,
    )  # fmt: skip
    # aiosmtpd logs a warning about its own deprecated attribute at every login.
    quiet = logging.getLogger("mail.log")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
        quiet.setLevel(level)


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A throwaway CA and a server certificate for 127.0.0.1, made once a session."""
    return make_certificates(tmp_path_factory.mktemp("tls"))


SENDER = "deployment-tokens@example.com"


@pytest.fixture
def mail(certificates: Certificates, monkeypatch: pytest.MonkeyPatch) -> Iterator[MailServer]:
    """An SMTP server with STARTTLS and AUTH, which ML_DEPLOYMENT_SMTP_URL names."""
    from app import config

    with mail_server(certificates) as server:
        url = server.url(cafile=str(certificates.ca), **{"from": SENDER})
        monkeypatch.setenv(config.SMTP_URL_ENV, url)
        yield server
