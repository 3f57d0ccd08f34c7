"""Where a request ends (``app.http.framing``), so serve's event loop hands it to a thread
only whole; and what it refuses itself. Real processes: test_serve_hardening."""

from __future__ import annotations

import pytest

from app.http.framing import BODY_LIMIT, HEAD_LIMIT, Frame, Refused, error_page

HEAD = b"POST /v1/introspect HTTP/1.1\r\nHost: x\r\n"


def ends(*pieces: bytes) -> list[int | None]:
    """Where the request ends, as each piece arrives."""
    frame, data, found = Frame(), bytearray(), []
    for piece in pieces:
        data += piece
        found.append(frame.find_end(data))
    return found


def test_a_head_ends_at_its_blank_line_however_it_arrives():
    whole = HEAD + b"\r\n"
    assert ends(HEAD, b"\r\n") == [None, len(whole)]
    assert ends(HEAD[:-1], b"\n\r", b"\n") == [None, None, len(whole)]
    # What follows (a pipelined request) is not part of it.
    assert ends(whole + b"GET / HTTP/1.1\r\n") == [len(whole)]
    # A bare LF is the parser's to refuse, at once.
    assert ends(b"GET / HTTP/1.1\nHost: x\n\n") == [len(b"GET / HTTP/1.1\nHost: x\n\n")]


def test_a_body_is_waited_for_when_it_has_a_length_an_endpoint_takes():
    head = HEAD + b"Content-Length: 5\r\n\r\n"
    assert ends(head, b"abc", b"de", b"GET") == [None, None, len(head) + 5, len(head) + 5]
    largest = HEAD + b"Content-Length: %d\r\n\r\n" % BODY_LIMIT
    assert ends(largest) == [None]
    # Too large, or framed in a way the parser refuses: handed over with the head.
    for fields in (b"Content-Length: %d\r\n" % (BODY_LIMIT + 1), b"Content-Length: 5\r\n" * 2,
                   b"Content-Length: -5\r\n", b"Content-Length: 0x5\r\n"):  # fmt: skip
        assert ends(HEAD + fields + b"\r\n") == [len(HEAD + fields + b"\r\n")]


def test_a_chunked_body_is_refused():
    with pytest.raises(Refused) as refused:
        ends(HEAD + b"Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n")
    assert refused.value.status == b"411 Length Required"


def test_a_head_over_the_limit_is_refused_even_before_it_ends():
    line = b"X-Padding: %s\r\n" % (b"a" * 1000)
    fits = HEAD + line * ((HEAD_LIMIT - len(HEAD) - 2) // len(line))
    assert ends(fits + b"\r\n") == [len(fits) + 2]
    with pytest.raises(Refused) as refused:
        ends(fits + line)
    assert refused.value.status == b"431 Request Header Fields Too Large"
    with pytest.raises(Refused):
        ends(fits + line + b"\r\n")


def test_a_client_that_waits_to_send_its_body_is_told_to():
    frame = Frame()
    data = bytearray(HEAD + b"Content-Length: 3\r\nExpect: 100-continue\r\n\r\n")
    assert frame.find_end(data) is None
    assert frame.expects_continue
    for head in (
        b"POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n",
        b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n",
    ):
        frame = Frame()
        frame.find_end(bytearray(head))
        assert not frame.expects_continue  # HTTP/1.0 ignores it; no body needs none


def test_an_error_page_says_its_status_and_nothing_else():
    page = error_page(b"431 Request Header Fields Too Large")
    head, _, body = page.partition(b"\r\n\r\n")
    status_line, *fields = head.split(b"\r\n")
    assert status_line == b"HTTP/1.1 431 Request Header Fields Too Large"
    assert body == b"Request Header Fields Too Large\n"
    assert sorted(fields) == sorted(
        [b"Connection: close", b"Content-Type: text/plain", b"Content-Length: %d" % len(body)]
    )
