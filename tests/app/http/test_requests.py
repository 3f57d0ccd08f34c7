"""What every endpoint reads from a request (``app.http.requests``): what no gateway
sends is refused before anything reads it, the caller behind a trusted proxy, the
credentials' headers, and a bug's 500."""

from __future__ import annotations

import base64
import ipaddress

import pytest
from falcon import testing

from app.http.application import create_app
from app.http.requests import basic, bearer, ip_address
from tests.support.endpoints import introspect_from


@pytest.mark.parametrize(
    ("headers", "said"),
    [
        ({"Authorization": "Bearer a, Bearer b"}, "one Authorization header"),
        ({"X-Deployment-Project": "w\u00e9b"}, "not ASCII"),
    ],
)
def test_what_no_gateway_sends_is_400(client, web, headers, said):
    result = client.simulate_get(
        "/v1/authorize", headers={"X-Deployment-Project": "web", **headers}
    )
    assert result.status_code == 400
    assert said in result.text


def test_a_large_body_is_400_before_anything_reads_it(client, web):
    result = client.simulate_post("/v1/introspect", body=b"token=" + b"x" * 10_000)
    assert result.status_code == 400


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(service, web):
    from app.http.rate_limits import LIMIT

    app = create_app(lambda: service, trusted_proxies=["10.0.0.0/24", "2001:db8::1"])
    behind = testing.TestClient(app)

    guesses = iter(range(1000))

    def guess(peer, forwarded_for=None, real_ip=None):
        headers = {}
        if forwarded_for is not None:
            headers["X-Forwarded-For"] = forwarded_for
        if real_ip is not None:
            headers["X-Real-IP"] = real_ip
        name = f"client-{next(guesses)}"  # a name of its own: only the address is counted
        return introspect_from(behind, peer, "token=x", name, "wrong", **headers).status_code

    # nginx (trusted) forwards ten failures from one caller, who also forged a hop:
    # that caller is counted, and another caller behind the same nginx is not held up.
    for _ in range(LIMIT):
        assert guess("10.0.0.5", forwarded_for="198.51.100.1, 203.0.113.9") == 401
    assert guess("10.0.0.5", forwarded_for="198.51.100.2, 203.0.113.9") == 429
    assert guess("10.0.0.5", forwarded_for="203.0.113.10") == 401
    assert guess("2001:db8::1", real_ip="203.0.113.9") == 429  # a trusted IPv6 proxy
    # A caller that is no trusted proxy is counted as itself, whatever it claims.
    for n in range(LIMIT):
        assert guess("192.0.2.1", forwarded_for=f"198.51.100.{n}", real_ip="1.2.3.4") == 401
    assert guess("192.0.2.1", forwarded_for="198.51.100.200") == 429


def test_an_unexpected_error_is_500_and_logged_without_the_query_string(web, caplog, capsys):
    def broken():
        raise RuntimeError("a bug")

    client = testing.TestClient(create_app(broken))
    _, plaintext = web.generate("web")
    result = client.simulate_get(
        "/v1/revocable_token_types", params={"t": plaintext}, headers={"Authorization": "k"}
    )
    assert result.status_code == 500
    assert plaintext not in result.text
    assert "/v1/revocable_token_types" in caplog.text  # logged, with its traceback
    assert "RuntimeError: a bug" in caplog.text
    assert plaintext not in caplog.text + "".join(capsys.readouterr())


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer mldt_abc", "mldt_abc"),
        ("bearer   mldt_abc  ", "mldt_abc"),
        ("Bearer", None),
        ("Bearer    ", None),
        ("Basic mldt_abc", None),
        ("mldt_abc", None),
        (None, None),
    ],
)
def test_a_bearer_token_is_read_from_its_header_alone(header, token):
    assert bearer(header) == token


def basic_header(credentials: bytes, scheme: str = "Basic") -> str:
    return f"{scheme} {base64.b64encode(credentials).decode()}"


@pytest.mark.parametrize(
    ("header", "found"),
    [
        (basic_header(b"gateway:s3cret"), ("gateway", "s3cret")),
        (basic_header(b"gateway:s3:cret"), ("gateway", "s3:cret")),  # the first colon splits
        (basic_header(b"gateway:s3cret", "basic"), ("gateway", "s3cret")),
        (basic_header(b"gateway"), None),
        (basic_header(b":s3cret"), None),
        (basic_header(b"gateway:"), None),
        (basic_header(b"\xffgateway:s3cret"), None),  # not UTF-8
        ("Basic not+base64!", None),
        (basic_header(b"gateway:s3cret", "Bearer"), None),
        (None, None),
    ],
)
def test_a_clients_name_and_secret_are_read_from_basic_credentials(header, found):
    assert basic(header) == found


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("192.0.2.1", "192.0.2.1"),
        (" 192.0.2.1:443 ", "192.0.2.1"),
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("nginx.local", None),
        ("", None),
    ],
)
def test_an_address_is_read_with_or_without_its_port(text, address):
    expected = None if address is None else ipaddress.ip_address(address)
    assert ip_address(text) == expected
