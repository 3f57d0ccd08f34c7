"""Where notifications go: an address or a URL is checked before it is stored, and a
message about a URL never quotes it (its path may be the receiver's secret)."""

from __future__ import annotations

import pytest

from app import tokens
from app.errors import ValidationError
from app.notifications.addresses import (
    EMAIL,
    WEBHOOK,
    address_key,
    clean_email,
    clean_webhook_url,
    is_loopback,
    shown,
)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("localhost", True), ("LOCALHOST.", True), ("api.localhost", True), ("127.0.0.1", True),
     ("127.8.9.10", True), ("[::1]", True), ("::1", True), ("10.0.0.1", False),
     ("localhost.example.com", False), ("example.com", False), ("", False)],
)  # fmt: skip
def test_loopback_is_this_machine_only(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    "address", ["ops@example.com", "Release.Team+dt@Example.ORG", "a@localhost"]
)
def test_e_mail_addresses_are_taken_as_given(address):
    assert clean_email(f"  {address} ") == address


@pytest.mark.parametrize(
    ("address", "why"),
    [("", "cannot be empty"), ("ops", "not an e-mail address"), ("ops@example", "not an e-mail"),
     ("@example.com", "not an e-mail"), ("ops@example.com>x", "not an e-mail"),
     ("ops@exa mple.com", "spaces or control"), ("ops@example.com\r\nBcc: x@y.z", "control"),
     ("o" * 250 + "@example.com", "at most 254")],
)  # fmt: skip
def test_what_is_no_e_mail_address_is_refused_with_the_reason(address, why):
    with pytest.raises(ValidationError, match=why):
        clean_email(address)


@pytest.mark.parametrize(
    ("url", "stored"),
    [("https://hooks.example.com/x?y=1", "https://hooks.example.com/x?y=1"),
     ("HTTPS://Hooks.Example.com", "https://Hooks.Example.com/"),
     ("http://127.0.0.1:8080/hook", "http://127.0.0.1:8080/hook"),
     ("http://localhost/hook", "http://localhost/hook"),
     ("http://[::1]:9000/", "http://[::1]:9000/")],
)  # fmt: skip
def test_webhook_urls_are_https_or_loopback(url, stored):
    assert clean_webhook_url(url) == stored


@pytest.mark.parametrize(
    ("url", "why"),
    [("http://hooks.example.com/secret-path", "must be https://"),
     ("http://10.0.0.1/", "must be https://"), ("ftp://hooks.example.com/", "starts with https"),
     ("https:///path-only", "names a host"), ("hooks.example.com", "starts with https"),
     ("https://user:secret-pass@hooks.example.com/", "no user name or password"),
     ("https://hooks.example.com/#frag", "no #fragment"),
     ("https://hooks.example.com:99999/", "port"),
     ("https://hooks.example.com/a b", "without spaces"),
     ("https://hooks.example.com/é", "ASCII"), ("https://h.example/" + "x" * 2000, "at most")],
)  # fmt: skip
def test_other_urls_are_refused_without_being_quoted(url, why):
    with pytest.raises(ValidationError, match=why) as refused:
        clean_webhook_url(url)
    assert "secret-pass" not in str(refused.value)
    assert "secret-path" not in str(refused.value)


def test_a_token_is_never_an_address():
    token = tokens.new_token()
    for clean, value in ((clean_email, f"{token}@example.com"),
                         (clean_webhook_url, f"https://h.example/?t={token}")):  # fmt: skip
        with pytest.raises(ValidationError, match="holds a deployment token") as refused:
            clean(value)
        assert token[5:15] not in str(refused.value)


def test_a_webhook_is_shown_by_its_origin_and_keyed_ignoring_the_hosts_case():
    assert shown(WEBHOOK, "https://hooks.example.com/T0/B1/secret?x=1") == (
        "https://hooks.example.com/\u2026"
    )
    assert shown(WEBHOOK, "https://hooks.example.com/") == "https://hooks.example.com/"
    assert shown(EMAIL, "ops@example.com") == "ops@example.com"
    assert address_key(WEBHOOK, "https://HOOKS.example.com/Path") == address_key(
        WEBHOOK, "https://hooks.example.com/Path"
    )
    assert address_key(WEBHOOK, "https://h.example/Path") != address_key(
        WEBHOOK, "https://h.example/path"
    )
    assert address_key(EMAIL, "Ops@Example.com") == address_key(EMAIL, "ops@example.com")
