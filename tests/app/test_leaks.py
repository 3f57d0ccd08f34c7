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
