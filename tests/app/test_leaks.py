"""Finding tokens in any text, in chunks: split tokens, near-misses, bounds."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import leaks, tokens


def near_misses(token: str) -> list[str]:
    wrong_checksum = token[:-1] + ("A" if token[-1] != "A" else "B")
    return [wrong_checksum, token[:-1], "x" + token, token + "x", token.upper()]


@settings(max_examples=60, deadline=None)
@given(
    filler=st.lists(st.text(max_size=40), min_size=1, max_size=6),
    count=st.integers(min_value=0, max_value=4),
    size=st.integers(min_value=1, max_value=120),
)
def test_every_token_is_found_wherever_the_chunks_split_it(filler, count, size):
    live = [tokens.new_token() for _ in range(count)]
    parts = []
    for index, text in enumerate(filler):
        parts.append(text.replace("mldt_", ""))
        if index < len(live):
            parts.append(f" {live[index]}\n")
    data = "".join(parts).encode("utf-8", "surrogatepass")
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    assert leaks.find_tokens(chunks) == live[: len(filler)]


def test_near_misses_are_not_tokens():
    token = tokens.new_token()
    text = " ".join(near_misses(token))
    assert leaks.find_tokens([text]) == []
    assert leaks.find_tokens([f"{text} {token}"]) == [token]


def test_each_token_is_reported_once_in_the_order_first_seen():
    first, second = tokens.new_token(), tokens.new_token()
    assert leaks.find_tokens([f"{second} {first} {second}"]) == [second, first]


def test_past_the_limit_the_tokens_found_so_far_are_kept(monkeypatch):
    monkeypatch.setattr(leaks, "MAX_TOKENS", 3)
    many = [tokens.new_token() for _ in range(5)]
    with pytest.raises(leaks.TooManyTokens) as stopped:
        leaks.find_tokens([" ".join(many)])
    assert stopped.value.found == many[:3]


def test_a_detect_secrets_baseline_is_followed_to_the_lines_it_reports(tmp_path):
    token = tokens.new_token()
    (tmp_path / "config.py").write_text(f"a = 1\nTOKEN = '{token}'\n")
    baseline = {
        "version": "1.5.0",
        "plugins_used": [],
        "results": {
            "config.py": [{"type": "Deployment Tokens token", "line_number": 2,
                           "hashed_secret": "0" * 40}],
            "missing.py": [{"type": "Deployment Tokens token", "line_number": 1}],
        },
    }  # fmt: skip
    stream = io.BytesIO(json.dumps(baseline).encode())
    assert leaks.find_tokens_in_report(stream, tmp_path) == [token]


def test_text_that_only_looks_like_a_baseline_reads_no_file(tmp_path):
    (tmp_path / "config.py").write_text(f"TOKEN = '{tokens.new_token()}'\n")
    not_a_baseline = json.dumps({"results": {"config.py": [{"line_number": 1}]}})
    assert leaks.find_tokens_in_report(io.BytesIO(not_a_baseline.encode()), tmp_path) == []


# Item 7 of "The gateway and the newcomer": a token in colour, as CI logs print it.
COLOURS = [
    "\x1b[32m",  # green
    "\x1b[1;32m",  # bold green
    "\x1b[38;2;0;255;0m",  # 24-bit colour
    "\x1b[0K\x1b[32;1m",  # GitLab's erase-line, then colour
    "\x1b(B",  # a character set chosen: ESC ( B
]


@pytest.mark.parametrize("colour", COLOURS)
def test_a_token_in_colour_is_found_wherever_the_chunks_split_it(colour):
    token = tokens.new_token()
    data = f"$ deploy\nTOKEN={colour}{token}\x1b[0m\ndone\n".encode()
    for size in range(1, len(data) + 1):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        assert leaks.find_tokens(chunks) == [token], size


def test_a_colour_does_not_make_a_longer_word_a_token():
    token = tokens.new_token()
    assert leaks.find_tokens([f"\x1b[32mx{token}", f"\x1b[32m{token}x"]) == []


def test_brackets_before_a_token_do_not_stop_the_search():
    token = tokens.new_token()
    for text in ("[" * 1000 + token, "{" + '{"a": [' * 5000 + f" {token}"):
        assert leaks.find_tokens_in_report(io.BytesIO(text.encode())) == [token]


def test_every_distinct_token_is_found_past_ten_thousand_decoys():
    decoys = [tokens.new_token() for _ in range(leaks.MAX_TOKENS)]
    real = tokens.new_token()
    text = "\n".join([*decoys, decoys[0], real, real])
    found = leaks.find_tokens_in_report(io.BytesIO(text.encode()))
    assert len(found) == len(decoys) + 1
    assert found[-1] == real


def baseline_of(entries: dict[str, int]) -> io.BytesIO:
    results = {
        name: [{"type": "Deployment Tokens token", "line_number": line, "hashed_secret": "0" * 40}]
        for name, line in entries.items()
    }
    return io.BytesIO(json.dumps({"plugins_used": [], "results": results}).encode())


def test_a_baseline_reads_only_regular_files_inside_its_directory(tmp_path):
    inside, outside = tokens.new_token(), tokens.new_token()
    directory = tmp_path / "repository"
    (directory / "sub").mkdir(parents=True)
    (directory / "config.py").write_text(f"TOKEN = '{inside}'\n")
    (tmp_path / "secret.txt").write_text(f"{outside}\n")
    (directory / "to-secret").symlink_to(tmp_path / "secret.txt")
    (directory / "to-zero").symlink_to("/dev/zero")
    refused: list[tuple[str, str]] = []
    found = leaks.tokens_in_report(
        baseline_of({
            str(tmp_path / "secret.txt"): 1,
            "../secret.txt": 1,
            "sub/../../secret.txt": 1,
            "to-secret": 1,
            "to-zero": 10**15,
            "/dev/zero": 10**15,
            "sub": 1,
            "config.py": 1,
        }),
        directory,
        lambda name, reason: refused.append((name, reason)),
    )  # fmt: skip
    assert list(found) == [inside]
    assert refused == [
        (str(tmp_path / "secret.txt"),
         "an absolute path: only files under the baseline's directory are read"),
        ("../secret.txt", "outside the baseline's directory"),
        ("sub/../../secret.txt", "outside the baseline's directory"),
        ("to-secret", "outside the baseline's directory"),
        ("to-zero", "outside the baseline's directory"),
        ("/dev/zero", "an absolute path: only files under the baseline's directory are read"),
        ("sub", "not a regular file"),
    ]  # fmt: skip


def test_a_baseline_counts_lines_as_detect_secrets_does(tmp_path):
    # detect-secrets reads text with universal newlines: "\r" and "\r\n" end a line too.
    token = tokens.new_token()
    (tmp_path / "ci.log").write_bytes(
        b"\x1b[0Ksection_start:1:deploy\r\x1b[0Kdeploying\r\nstep\n" + f"{token}\n".encode()
    )
    found = leaks.find_tokens_in_report(baseline_of({"ci.log": 4}), tmp_path)
    assert found == [token]
