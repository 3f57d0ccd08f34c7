"""A failing test never prints a whole token, whatever it compared or printed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

CONFTEST = Path(__file__).with_name("conftest.py")
_WHOLE = re.compile(r"mldt_[0-9A-Za-z]{49}")


def test_failure_reports_mask_tokens(pytester, monkeypatch):
    shutil.copyfile(CONFTEST, pytester.path / "conftest.py")
    # The conftest imports its helpers as ``tests.…`` from the repository root.
    monkeypatch.setenv("PYTHONPATH", str(CONFTEST.parent.parent))
    pytester.makepyfile(
        test_leaky="""
        from app import tokens

        def test_compares_a_token():
            token = tokens.new_token()
            print("printed", token)
            assert token == "something else", token
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    output = "\n".join(result.outlines + result.errlines)
    assert "printed mldt_\u2026" in output  # the captured print, masked
    assert "AssertionError" in output
    assert not _WHOLE.search(output)
