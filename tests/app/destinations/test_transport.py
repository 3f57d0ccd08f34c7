"""JSON over HTTP: what a user is told when a service does not answer as hoped, and that
the credential never travels further than the host it is meant for, nor into any text."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app import tokens
from app.destinations.transport import Client, DestinationError

CREDENTIAL = "cred-" + "x7Q" * 12


@contextlib.contextmanager
def serving(status, body=b"", headers=()):
    """A server on 127.0.0.1 answering every request alike; yields (url, paths asked)."""
    asked = []

    class Handler(BaseHTTPRequestHandler):
        def _any(self):
            asked.append((self.command, self.path))
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _any

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def client(url, value="", timeout=5.0):
    return Client(
        url,
        "GitHub",
        "$GITHUB_TOKEN",
        {"Authorization": f"Bearer {CREDENTIAL}"},
        (CREDENTIAL, value),
        timeout,
    )


def all_text(error):
    return "".join(traceback.format_exception(error)) + repr(error) + str(error.args)


@pytest.mark.parametrize(("method", "status"), [("GET", 302), ("POST", 303), ("GET", 307)])
def test_a_redirect_is_refused_and_the_credential_stays_home(method, status):
    # Each of these urllib would follow by default, headers and all.
    body = None if method == "GET" else {"x": 1}
    with (
        serving(204) as (elsewhere, asked_elsewhere),
        serving(status, headers=[("Location", f"{elsewhere}/steal")]) as (url, asked),
    ):
        with pytest.raises(DestinationError) as raised:
            client(url).call(method, "/repos/a/b", "repository a/b", body)
        assert str(raised.value) == (
            f"GitHub answered with a redirect ({status}) to {elsewhere}/steal; "
            "redirects are not followed, check the URL"
        )
        assert raised.value.status == status
        assert len(asked) == 1
        assert asked_elsewhere == []


def test_a_server_that_never_answers_times_out_on_time():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel accepts; nobody ever reads or answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(DestinationError) as raised:
            client(url, timeout=0.3).call("GET", "/x", "x")
        elapsed = time.monotonic() - started
    assert str(raised.value) == f"cannot reach {url}: no answer within 0.3 s"
    assert 0.25 < elapsed < 2


def test_a_closed_port_is_connection_refused():
    # Bound, never listening: the port refuses, and no other test can take it meanwhile.
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        port = bound.getsockname()[1]
        with pytest.raises(DestinationError) as raised:
            client(f"http://127.0.0.1:{port}").call("GET", "/x", "x")
    assert str(raised.value) == f"cannot reach http://127.0.0.1:{port}: connection refused"
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


def test_tls_to_a_plain_http_server_fails_clearly():
    with serving(200, b"{}") as (url, _asked):
        secure = url.replace("http://", "https://")
        with pytest.raises(DestinationError) as raised:
            client(secure).call("GET", "/x", "x")
    assert str(raised.value).startswith(f"cannot reach {secure}: TLS failed (")


def test_a_server_echoing_the_credential_and_value_is_masked_cut_and_escaped():
    value = tokens.new_token()
    said = f"bad request for {CREDENTIAL} with value {value}\x1b[2J and " + "more " * 100
    body = json.dumps({"message": said}).encode()
    with serving(422, body) as (url, _asked), pytest.raises(DestinationError) as raised:
        client(url, value).call("PUT", "/s", "secret S of repository a/b", {"v": 1})
    text = str(raised.value)
    assert text.startswith(
        "GitHub refused secret S of repository a/b (422): bad request for *** with value ***"
        "\\e[2J and more more"
    )
    assert text.endswith("…")
    assert len(text) < 300
    assert CREDENTIAL not in all_text(raised.value)
    assert value not in all_text(raised.value)


def test_a_credential_cut_in_half_by_the_limit_is_not_left_standing():
    body = b"x" * 190 + CREDENTIAL.encode()
    with serving(400, body) as (url, _asked), pytest.raises(DestinationError) as raised:
        client(url).call("GET", "/s", "s")
    assert CREDENTIAL[:9] not in str(raised.value)


@pytest.mark.parametrize(
    ("status", "body", "said"),
    [
        (
            401,
            b'{"message": "Bad credentials"}',
            "the credential was refused (401): check $GITHUB_TOKEN",
        ),
        (
            404,
            b'{"message": "Not Found"}',
            "not found (404): repository a/b (or $GITHUB_TOKEN cannot see it)",
        ),
        (
            409,
            b'{"message": "Conflict: already there"}',
            "GitHub refused repository a/b (409): Conflict: already there",
        ),
        (
            503,
            b"<html>Service Unavailable</html>",
            "GitHub failed (503): <html>Service Unavailable</html>; try again later",
        ),
        (500, b"", "GitHub failed (500): (no message); try again later"),
    ],
)
def test_each_status_reads_as_what_to_do(status, body, said):
    with serving(status, body) as (url, _asked), pytest.raises(DestinationError) as raised:
        client(url).call("GET", "/r", "repository a/b")
    assert str(raised.value) == said
    assert raised.value.status == status


def test_an_allowed_status_is_an_answer_not_an_error():
    with serving(404, b'{"errors": []}') as (url, asked):
        answer = client(url).call("GET", "/v1/secret/data/x", "x", allow=(404,))
    assert (answer.status, answer.body) == (404, {"errors": []})
    assert asked == [("GET", "/v1/secret/data/x")]


def test_a_clients_repr_holds_no_secret():
    value = tokens.new_token()
    shown = repr(client("https://vault.example", value))
    assert CREDENTIAL not in shown
    assert value not in shown
    assert "https://vault.example" in shown
