"""E-mail through SMTP, against a real server (aiosmtpd): ML_DEPLOYMENT_SMTP_URL read as
mail clients read such URLs, STARTTLS and AUTH, implicit TLS, and the password in no
message, exception, log line or repr."""

from __future__ import annotations

import logging
from email.message import EmailMessage

import pytest

from app import config
from app.errors import ConfigurationError
from app.notifications import smtp
from tests.support.mail import PASSWORD, UNKNOWN_RECIPIENT, USER, mail_server
from tests.support.serving import free_port

SENDER = "dt@example.com"


def message(to: str = "ops@example.com") -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = "Deployment tokens: test", SENDER, to
    mail.set_content("one line")
    return mail


def send(url: str, to: str = "ops@example.com") -> None:
    settings = smtp.parse(url)
    with smtp.connected(settings) as session:
        smtp.send(session, settings, message(to))


# --- the URL ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "port", "implicit", "starttls"),
    [("smtp://mail.example.com", 587, False, "required"),
     ("smtp://mail.example.com:25/?starttls=no", 25, False, "no"),
     ("smtps://mail.example.com", 465, True, "if offered"),
     ("smtp://127.0.0.1:2525", 2525, False, "if offered"),
     ("smtp://localhost/?starttls=required", 587, False, "required"),
     ("SMTP://MAIL.example.com", 587, False, "required")],
)  # fmt: skip
def test_ports_and_encryption_follow_the_scheme_and_the_host(url, port, implicit, starttls):
    settings = smtp.parse(url)
    assert (settings.port, settings.implicit_tls, settings.starttls) == (port, implicit, starttls)
    assert settings.username is None
    assert settings.password is None


def test_user_and_password_are_percent_decoded_and_never_shown():
    url = "smtp://bot%40example.com:p%40ss%3Aw%2Frd%25%20%C3%A9@mail.example.com/?from=dt%40example.com"
    settings = smtp.parse(url)
    assert (settings.username, settings.password) == ("bot@example.com", "p@ss:w/rd% é")
    assert settings.sender == "dt@example.com"
    assert settings.where == "mail.example.com:587"
    assert "p@ss" not in repr(settings)


def test_without_from_the_sender_is_this_hosts():
    assert smtp.parse("smtp://127.0.0.1").sender.startswith("deployment-tokens@")


def test_settings_come_from_the_environment(monkeypatch):
    assert smtp.settings({}) is None
    assert smtp.settings({config.SMTP_URL_ENV: "  "}) is None
    monkeypatch.setenv(config.SMTP_URL_ENV, "smtps://relay.example.com")
    assert smtp.settings().host == "relay.example.com"


@pytest.mark.parametrize(
    ("url", "why"),
    [("http://mail.example.com", "starts with smtp:// or smtps://"),
     ("smtp://", "names a host"), ("smtp://mail.example.com:99999", "valid port"),
     ("smtp://:s3cr3t-pw@mail.example.com", "needs a user name"),
     ("smtp://u:s3cr3t-pw@mail.example.com/?starttls=no", "cross the network unencrypted"),
     ("smtp://u:s3cr3t-pw@mail.example.com/?tls=on", "unknown option 'tls'"),
     ("smtp://u:s3cr3t-pw@mail.example.com/?starttls=maybe", "'required' or 'no'"),
     ("smtps://u:s3cr3t-pw@mail.example.com/?starttls=no", "encrypted from the start"),
     ("smtp://u:s3cr3t-pw@mail.example.com/?from=a&from=b", "given twice"),
     ("smtp://u:s3cr3t-pw@mail.example.com/?from=nobody", "from= is not an address"),
     ("smtp://u:s3cr3t-pw@mail.example.com/?cafile=/no/such/ca.pem", "is not a file"),
     ("smtp://u:s3cr3t-pw@mail.example.com/?junk", "NAME=VALUE")],
)  # fmt: skip
def test_a_wrong_url_is_one_line_naming_the_variable_never_the_password(url, why):
    with pytest.raises(ConfigurationError, match=why) as wrong:
        smtp.parse(url)
    text = str(wrong.value)
    assert text.startswith("ML_DEPLOYMENT_SMTP_URL is not usable: ")
    assert "s3cr3t" not in text
    assert "\n" not in text


# --- a real server ---------------------------------------------------------------------


def test_starttls_then_auth_with_a_password_of_any_characters(certificates, caplog):
    caplog.set_level(logging.DEBUG)
    with mail_server(certificates) as server:
        send(server.url(cafile=str(certificates.ca), **{"from": SENDER}))
    [received] = server.messages
    assert (received.authenticated, received.encrypted) == (True, True)
    assert received.recipients == ["ops@example.com"]
    assert received.sender == SENDER
    assert received.message["Subject"] == "Deployment tokens: test"
    assert server.logins == [(USER, True)]
    assert PASSWORD not in caplog.text


def test_an_ascii_password_logs_in_as_mail_clients_do(certificates):
    with mail_server(certificates, password="plain-ascii:@/%") as server:
        send(server.url(cafile=str(certificates.ca), password="plain-ascii:@/%"))
    assert server.logins == [(USER, True)]
    assert server.messages[0].encrypted


def test_smtps_is_tls_from_the_first_byte(certificates):
    with mail_server(certificates, implicit_tls=True) as server:
        send(server.url("smtps", cafile=str(certificates.ca)))
    [received] = server.messages
    assert (received.authenticated, received.encrypted) == (True, True)


def test_a_refused_login_says_so_without_the_password(certificates):
    with mail_server(certificates) as server, pytest.raises(smtp.DeliveryError) as refused:
        send(server.url(cafile=str(certificates.ca), password="wrong-pass word"))
    assert str(refused.value) == (
        f"the SMTP server 127.0.0.1:{server.port} refused the login of 'notifier' (535)"
    )
    assert server.messages == []


def test_starttls_required_and_not_offered_sends_no_password(certificates):
    with (
        mail_server(None, auth=False) as server,
        pytest.raises(smtp.DeliveryError, match="does not offer STARTTLS"),
    ):
        send(server.url(starttls="required"))
    assert server.logins == []
    assert server.messages == []


def test_a_loopback_relay_without_tls_or_login_is_fine():
    with mail_server(None, auth=False) as server:
        send(server.url(password=""))
    assert (server.messages[0].authenticated, server.messages[0].encrypted) == (False, False)


def test_a_certificate_nobody_vouches_for_is_refused(certificates):
    with (
        mail_server(certificates) as server,
        pytest.raises(smtp.DeliveryError, match="no TLS with the SMTP server") as refused,
    ):
        send(server.url())
    assert (
        "its certificate is not trusted (unable to get local issuer certificate); for a "
        "private CA add ?cafile=PATH to ML_DEPLOYMENT_SMTP_URL" in str(refused.value)
    )
    assert server.logins == []


def test_a_refused_recipient_and_a_server_that_is_down_are_one_line_each(certificates):
    with (
        mail_server(certificates) as server,
        pytest.raises(smtp.DeliveryError, match=r"refused the recipient \(550\)"),
    ):
        send(server.url(cafile=str(certificates.ca)), to=UNKNOWN_RECIPIENT)
    port = free_port()
    with pytest.raises(smtp.DeliveryError) as down:
        send(f"smtp://127.0.0.1:{port}")
    assert str(down.value) == (f"cannot reach the SMTP server 127.0.0.1:{port}: Connection refused")
