"""Where a request on a connection ends, worked out as its bytes arrive, so that the
serve worker's event loop knows when a request is whole; and the error page for one it
refuses itself."""

from __future__ import annotations

import re

from app.http.requests import MAX_REVOCATION_BODY_BYTES

# What the event loop holds of a request before a thread takes it, whole: a head of at
# most HEAD_LIMIT bytes (a longer one is 431: gateways and pipelines send well under
# 1 KiB, and nginx's own default limit is 32 KiB), and a body of at most BODY_LIMIT
# (the largest any endpoint takes: a revocation batch; a larger one is handed over
# unread, and refused). A body must have a Content-Length: a chunked one is 411.
HEAD_LIMIT = 32 * 1024
BODY_LIMIT = MAX_REVOCATION_BODY_BYTES

_HEAD_END = re.compile(rb"\r?\n\r?\n")


class Refused(Exception):
    """A request the event loop answers itself, with ``status`` (and closes)."""

    def __init__(self, status: bytes, why: str) -> None:
        super().__init__(why)
        self.status, self.why = status, why


class Frame:
    """Where the request at the start of a connection's buffer ends, worked out as its
    bytes arrive: only so that the event loop knows when it is whole. The thread parses
    it with gunicorn's parser, which refuses what it must; a request whose framing this
    does not follow is handed over at the end of its head, and the parser refuses it, or
    finds it cut short (a thread never waits for more) and closes the connection."""

    def __init__(self) -> None:
        self.searched = 0  # how far the end of the head was looked for
        self.end: int | None = None  # of the request, once the head is in
        self.expects_continue = False  # the client waits for "100 Continue"

    def find_end(self, data: bytearray) -> int | None:
        """Where the request ends in ``data``, once it is all there; else None."""
        if self.end is None:
            found = _HEAD_END.search(data, max(0, self.searched - 3))
            if found is None or found.end() > HEAD_LIMIT:
                if len(data) > HEAD_LIMIT:
                    too_large = f"a head over {HEAD_LIMIT} bytes"
                    raise Refused(b"431 Request Header Fields Too Large", too_large)
                self.searched = len(data)
                return None
            self.end = found.end()
            if found.group() == b"\r\n\r\n":  # else a bare LF, which the parser refuses
                self.end += self._body_length(bytes(data[: found.start()]))
        return self.end if len(data) >= self.end else None

    def _body_length(self, head: bytes) -> int:
        request_line, *fields = head.split(b"\r\n")
        lengths, expectations = [], []
        for field in fields:
            name, _, value = field.partition(b":")
            name, value = name.lower(), value.strip(b" \t")
            if name == b"transfer-encoding":
                # No endpoint reads a chunked body (they need its length first), and no
                # documented client sends one.
                raise Refused(b"411 Length Required", "a body without a Content-Length")
            if name == b"content-length":
                lengths.append(value)
            elif name == b"expect":
                expectations.append(value.lower())
        if len(lengths) != 1 or not lengths[0].isdigit() or len(lengths[0]) > 12:
            return 0  # no body; or a Content-Length the parser refuses
        length = int(lengths[0])
        if length > BODY_LIMIT:
            return 0  # larger than any endpoint takes: refused without being read
        http11 = request_line.endswith(b" HTTP/1.1")
        self.expects_continue = length > 0 and http11 and expectations == [b"100-continue"]
        return length


def error_page(status: bytes) -> bytes:
    """An error page that says its status (``b"400 Bad Request"``) and nothing else."""
    body = status.partition(b" ")[2] + b"\n"
    return (
        b"HTTP/1.1 %s\r\nConnection: close\r\nContent-Type: text/plain\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (status, len(body), body)
    )
