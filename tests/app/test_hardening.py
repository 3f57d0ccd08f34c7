"""Process-wide protections (``app/hardening.py``): a process that holds a plaintext
writes no core dump, nor does any process it starts. Each test runs in a process of its
own, since the limit cannot be raised again in the test run's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

resource = pytest.importorskip("resource")

PROBE = """
import json, os, resource, subprocess, sys
from app.hardening import disable_core_dumps

_, hard = resource.getrlimit(resource.RLIMIT_CORE)
# Start where a core dump would be written, so that the test could fail.
resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
before = resource.getrlimit(resource.RLIMIT_CORE)
disable_core_dumps()
after = resource.getrlimit(resource.RLIMIT_CORE)
child = subprocess.run(
    [sys.executable, "-c",
     "import resource; print(list(resource.getrlimit(resource.RLIMIT_CORE)))"],
    capture_output=True, text=True, check=True,
).stdout
try:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 4096))
    raised = True
except (OSError, ValueError):
    raised = False
print(json.dumps({"before": before, "after": after, "child": json.loads(child),
                  "raised": raised}))
"""


@pytest.fixture(scope="module")
def probed():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=Path(__file__).parents[2],  # where ``app`` is imported from
    )
    found = json.loads(result.stdout)
    if found["before"] == [0, 0]:
        pytest.skip("core dumps are already off for good here: nothing to tell apart")
    return found


def test_core_dumps_are_disabled_soft_and_hard(probed):
    assert probed["after"] == [0, 0]


def test_a_process_it_starts_writes_none_either(probed):
    assert probed["child"] == [0, 0]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may raise it")
def test_nothing_later_can_raise_the_limit_again(probed):
    assert probed["raised"] is False
