"""Finding deployment tokens in any text (a scanner's report, a log, a chat export).

The text is read in chunks, so a report of any size costs bounded memory: a token is
ASCII, so the search runs on bytes, and a token split across two chunks is found because
each chunk is searched together with the end of the one before. Only tokens whose
checksum is valid count: a near-miss (mistyped, truncated) is not a token, and the
checksum makes a false positive in ordinary text all but impossible.

A token is not part of a longer word ("xmldt_…" is something else), but a terminal
escape sequence may end right before it: CI logs print a token in colour,
``ESC[32m`` + token + ``ESC[0m``, and the "m" ending the escape is no letter of the text.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from app import tokens

CHUNK_BYTES = 64 * 1024
# find_tokens (a pasted text): past this many distinct tokens, the rest are left for
# another run (and the caller says so).
MAX_TOKENS = 10_000
# tokens_in_report remembers this many distinct tokens, by a digest of each, so each is
# handed out once; past that, new ones are still handed out, and one that repeats may be
# handed out again (looking a token up twice changes nothing). Memory stays bounded.
MAX_REMEMBERED = 100_000

_TOKEN = re.compile(
    re.escape(tokens.PREFIX.encode("ascii"))
    + rb"[0-9A-Za-z]{%d}(?![0-9A-Za-z])" % (tokens.RANDOM_LENGTH + tokens.CHECKSUM_LENGTH)
)
# What a token could continue with, before it: "xmldt_…" is not a token.
_WORD_BYTES = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
# ECMA-48 escape sequences whose last byte may be a letter: a control sequence (CSI:
# ESC "[", parameter bytes, intermediate bytes, a final byte; colours end in "m") and the
# short ones (ESC, intermediate bytes, a final byte: "ESC ( B", "ESC 7"). The strings
# (OSC, DCS, ...) end with BEL or "ESC \\", neither of which a token could continue.
_ESCAPE = re.compile(rb"\x1b(?:\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|[\x20-\x2f]*[\x30-\x7e])")
# Longer escapes before a token are not looked for (a 24-bit colour is about 20 bytes).
_MAX_ESCAPE_BYTES = 64
# Enough of the previous chunk to finish a token that began in it, and to see what
# precedes one that begins near the new chunk's start.
_OVERLAP = tokens.TOKEN_LENGTH + _MAX_ESCAPE_BYTES


class TooManyTokens(Exception):
    """More than MAX_TOKENS distinct tokens: the ones found so far are in ``found``."""

    def __init__(self, found: list[str]) -> None:
        super().__init__(f"more than {MAX_TOKENS} tokens")
        self.found = found


def read_chunks(stream: BinaryIO, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """``stream`` in chunks of ``size`` bytes."""
    while chunk := stream.read(size):
        yield chunk


def find_tokens(chunks: Iterable[bytes | str]) -> list[str]:
    """The distinct well-formed tokens in the text, in the order first seen.

    Raises TooManyTokens past MAX_TOKENS distinct ones.
    """
    found: dict[str, None] = {}
    for token in _scan(chunks):
        if token not in found:
            if len(found) >= MAX_TOKENS:
                raise TooManyTokens(list(found))
            found[token] = None
    return list(found)


def _scan(chunks: Iterable[bytes | str]) -> Iterator[str]:
    """Every well-formed token in the text, in order, repeats included."""
    scanner = _Scanner()
    for chunk in chunks:
        data = chunk.encode("utf-8", "surrogateescape") if isinstance(chunk, str) else chunk
        yield from scanner.feed(data)
    yield from scanner.feed(b"", last=True)


class _Scanner:
    """The search over one text, fed chunk by chunk."""

    def __init__(self) -> None:
        self._tail = b""  # the end of the text so far
        self._tail_at = 0  # where it begins in the text
        self._judged = 0  # where the last match judged ends: those before it were

    def feed(self, data: bytes, *, last: bool = False) -> Iterator[str]:
        """The tokens judged with ``data``; ``last`` when the text ends with it."""
        window = self._tail + data
        for match in _TOKEN.finditer(window):
            if self._tail_at + match.start() < self._judged:
                continue  # judged with the chunk before
            if match.end() == len(window) and not last:
                break  # it might go on in the next chunk: judged with that one
            self._judged = self._tail_at + match.end()
            if _free_before(window, match.start()):
                text = match.group().decode("ascii")
                if tokens.is_well_formed(text):
                    yield text
        keep = min(len(window), _OVERLAP)
        self._tail_at += len(window) - keep
        self._tail = window[len(window) - keep :]


def _free_before(window: bytes, start: int) -> bool:
    """Whether what precedes ``start`` lets a token begin there: the text's start (the
    window keeps enough of the text before anything not yet judged), a character no
    token could continue with, or an escape sequence."""
    if start == 0 or window[start - 1] not in _WORD_BYTES:
        return True
    escape = window.rfind(b"\x1b", max(0, start - _MAX_ESCAPE_BYTES), start)
    return escape >= 0 and _ESCAPE.fullmatch(window, escape, start) is not None


class _Seen:
    """The tokens seen so far, as digests (never plaintexts), up to MAX_REMEMBERED."""

    def __init__(self) -> None:
        self._digests: set[bytes] = set()

    def first(self, token: str) -> bool:
        """Whether ``token`` was not seen before (remembering it, while there is room)."""
        digest = hashlib.blake2b(token.encode("ascii"), digest_size=16).digest()
        if digest in self._digests:
            return False
        if len(self._digests) < MAX_REMEMBERED:
            self._digests.add(digest)
        return True


# A detect-secrets baseline holds each secret's hash and where it is, never the secret:
# the reported lines are read from the files it names, as `detect-secrets audit` does.
# Inputs up to this size are kept to see whether they are such a baseline.
MAX_BASELINE_BYTES = 16 * 1024 * 1024

# Told of a baseline's entry that was not read: the file name as the baseline wrote it,
# and why.
Refused = Callable[[str, str], None]


def tokens_in_report(
    stream: BinaryIO, directory: Path | None = None, refused: Refused | None = None
) -> Iterator[str]:
    """The tokens in ``stream``'s text as they are found, each once (see MAX_REMEMBERED);
    when it is a detect-secrets baseline, then those in the lines it reports.

    A baseline's files are read only when they are regular files inside ``directory``
    (by default the current one, where detect-secrets ran); ``refused`` hears of each
    other entry.
    """
    seen = _Seen()
    kept: list[bytes] | None = []
    size = 0
    starts = b""  # the input's first bytes that are not white space

    def chunks() -> Iterator[bytes]:
        nonlocal kept, size, starts
        for chunk in read_chunks(stream):
            size += len(chunk)
            if kept is not None:
                if not starts:
                    starts = chunk.lstrip()[:1]
                    if starts and starts != b"{":
                        kept = None  # not a JSON object: no baseline
                if kept is not None:
                    kept.append(chunk)
                    if size > MAX_BASELINE_BYTES:
                        kept = None  # too large to be a baseline worth parsing
            yield chunk

    yield from (token for token in _scan(chunks()) if seen.first(token))
    if not kept:
        return
    reported = _baseline_lines(kept, directory or Path.cwd(), refused or _ignore)
    kept = None  # the lines are read after the JSON is parsed, without the input
    yield from (token for token in _scan(reported) if seen.first(token))


def find_tokens_in_report(stream: BinaryIO, directory: Path | None = None) -> list[str]:
    """tokens_in_report as a list (for a report known to be small)."""
    return list(tokens_in_report(stream, directory))


def _ignore(name: str, reason: str) -> None:
    del name, reason


def _baseline_lines(kept: list[bytes], directory: Path, refused: Refused) -> Iterator[bytes]:
    """The lines a detect-secrets baseline reports, each followed by a newline; nothing
    when the input (``kept``, which this empties) is not a baseline."""
    import json

    data = b"".join(kept)
    kept.clear()
    try:
        baseline = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return  # not JSON, or nested too deep to be a baseline (any text is accepted)
    finally:
        del data
    results = baseline.get("results") if isinstance(baseline, dict) else None
    if not isinstance(results, dict) or "plugins_used" not in baseline:
        return
    root = directory.resolve()
    for name, secrets in results.items():
        wanted = {
            s["line_number"]
            for s in secrets
            if isinstance(s, dict) and type(s.get("line_number")) is int and s["line_number"] > 0
        } if isinstance(secrets, list) else set()  # fmt: skip
        if isinstance(name, str) and wanted:
            yield from _read_lines(root, name, wanted, refused)


def _read_lines(root: Path, name: str, wanted: set[int], refused: Refused) -> Iterator[bytes]:
    """Lines ``wanted`` (counting from 1) of the file ``name`` inside ``root``, each
    followed by a newline; ``refused`` hears why when it is not read."""
    if not name or "\x00" in name:
        refused(name, "not a file name")
        return
    if Path(name).is_absolute():
        refused(name, "an absolute path: only files under the baseline's directory are read")
        return
    try:
        path = (root / name).resolve()
    except (OSError, RuntimeError) as error:  # RuntimeError: a loop of symbolic links
        refused(name, f"cannot be read ({getattr(error, 'strerror', None) or error})")
        return
    if not path.is_relative_to(root):
        refused(name, "outside the baseline's directory")
        return
    try:
        named = path.stat()
        if not stat.S_ISREG(named.st_mode):
            refused(name, "not a regular file")
            return
        # Neither following a link nor waiting on a pipe, should the file change meanwhile.
        file = open(  # noqa: SIM115 (closed below)
            os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC),
            "rb",
            buffering=0,
        )
    except FileNotFoundError:
        refused(name, "no such file")
        return
    except OSError as error:
        refused(name, f"cannot be read ({error.strerror or error})")
        return
    with file:
        opened = os.fstat(file.fileno())
        if (opened.st_dev, opened.st_ino) != (named.st_dev, named.st_ino):
            refused(name, "changed while it was read")
            return
        yield from _lines_of(file, opened.st_size, wanted)


_LINE_END = re.compile(rb"\r\n|\r|\n")


def _lines_of(file: BinaryIO, size: int, wanted: set[int]) -> Iterator[bytes]:
    """Lines ``wanted`` of ``file``, each followed by a newline, read in chunks up to
    the file's size: a line number past its end reads no further. Lines end as
    detect-secrets counts them (Python's universal newlines: "\\n", "\\r\\n", "\\r")."""
    last = max(wanted)
    number = 1
    after_cr = False  # the chunk before ended with CR: an LF first ends no line
    remaining = size
    while remaining > 0 and number <= last:
        chunk = file.read(min(CHUNK_BYTES, remaining))
        if not chunk:
            break
        remaining -= len(chunk)
        start = 1 if after_cr and chunk.startswith(b"\n") else 0
        for end in _LINE_END.finditer(chunk, start):
            if number in wanted:
                yield chunk[start : end.start()] + b"\n"
            number += 1
            start = end.end()
            if number > last:
                break
        else:
            if number in wanted:
                yield chunk[start:]
        after_cr = chunk.endswith(b"\r")
    yield b"\n"
