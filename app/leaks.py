"""Finding deployment tokens in any text (a scanner's report, a log, a chat export).

The text is read in chunks, so a report of any size costs bounded memory: a token is
ASCII, so the search runs on bytes, and a token split across two chunks is found because
each chunk is searched together with the end of the one before. Only tokens whose
checksum is valid count: a near-miss (mistyped, truncated) is not a token, and the
checksum makes a false positive in ordinary text all but impossible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from app import tokens

CHUNK_BYTES = 64 * 1024
# A report may hold many tokens; past this many distinct ones, the rest are left for
# another run (and the caller says so), so memory stays bounded whatever the input.
MAX_TOKENS = 10_000

# Not preceded or followed by a character a token could continue with: "xmldt_…" or a
# token with more characters after it is something else.
_TOKEN = re.compile(
    rb"(?<![0-9A-Za-z_])"
    + re.escape(tokens.PREFIX.encode("ascii"))
    + rb"[0-9A-Za-z]{%d}(?![0-9A-Za-z])" % (tokens.RANDOM_LENGTH + tokens.CHECKSUM_LENGTH)
)
# Enough of the previous chunk to finish a token that began in it, and to see the
# character before one that begins at the new chunk's start.
_OVERLAP = tokens.TOKEN_LENGTH + 1


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
    tail = b""
    seen = 0  # bytes read so far
    for chunk in chunks:
        data = chunk.encode("utf-8", "surrogateescape") if isinstance(chunk, str) else chunk
        window = tail + data
        starts_the_stream = seen == 0
        seen += len(data)
        for match in _TOKEN.finditer(window):
            if match.end() == len(window):
                continue  # it might go on in the next chunk: judged with that one
            if match.start() == 0 and not starts_the_stream:
                continue  # judged with the chunk before, which held what precedes it
            _add(found, match.group())
        tail = window[-_OVERLAP:]
    # The end of the text: a token there ends with it.
    for match in _TOKEN.finditer(tail):
        if match.end() == len(tail) and (match.start() > 0 or seen <= len(tail)):
            _add(found, match.group())
    return list(found)


def _add(found: dict[str, None], candidate: bytes) -> None:
    text = candidate.decode("ascii")
    if text in found or not tokens.is_well_formed(text):
        return
    if len(found) >= MAX_TOKENS:
        raise TooManyTokens(list(found))
    found[text] = None


# A detect-secrets baseline holds each secret's hash and where it is, never the secret:
# the reported lines are read from the files it names, as `detect-secrets audit` does.
# Inputs up to this size are kept to see whether they are such a baseline.
MAX_BASELINE_BYTES = 16 * 1024 * 1024
_MAX_LINE_BYTES = 64 * 1024


def find_tokens_in_report(stream: BinaryIO, directory: Path | None = None) -> list[str]:
    """The tokens in ``stream``'s text, and when it is a detect-secrets baseline, in the
    lines it reports (file names relative to ``directory``, by default the current one)."""
    kept: list[bytes] | None = []
    size = 0

    def chunks() -> Iterator[bytes]:
        nonlocal kept, size
        for chunk in read_chunks(stream):
            size += len(chunk)
            if kept is not None:
                kept.append(chunk)
                if size > MAX_BASELINE_BYTES:
                    kept = None  # too large to be a baseline worth parsing
            yield chunk

    found = find_tokens(chunks())
    if kept is None:
        return found
    reported = _baseline_lines(b"".join(kept), directory or Path.cwd())
    if reported:
        found = list(dict.fromkeys(found + find_tokens(reported)))
    return found


def _baseline_lines(data: bytes, directory: Path) -> list[bytes]:
    """The lines a detect-secrets baseline reports, each followed by a newline; empty
    when ``data`` is not a baseline."""
    import json

    try:
        baseline = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return []
    results = baseline.get("results") if isinstance(baseline, dict) else None
    if not isinstance(results, dict) or "plugins_used" not in baseline:
        return []
    lines: list[bytes] = []
    for filename, secrets in results.items():
        wanted = {
            s["line_number"]
            for s in secrets if isinstance(s, dict) and isinstance(s.get("line_number"), int)
        } if isinstance(secrets, list) else set()  # fmt: skip
        if isinstance(filename, str) and wanted:
            lines += _lines_of(directory / filename, wanted)
    return lines


def _lines_of(path: Path, numbers: set[int]) -> list[bytes]:
    """Lines ``numbers`` (counting from 1) of ``path``; none if it cannot be read."""
    picked = []
    try:
        with path.open("rb") as file:
            for number, line in enumerate(iter(lambda: file.readline(_MAX_LINE_BYTES), b""), 1):
                if number in numbers:
                    picked.append(line.rstrip(b"\n") + b"\n")
                if number >= max(numbers):
                    break
    except OSError:
        return []
    return picked
