"""``serve`` on the command line (``app.cli.serve``): the options it hands the service,
and the ports and worker counts it refuses before starting anything. (The service as a
real process: tests/scenarios/test_verification_service.py.)"""

from __future__ import annotations

import pytest

from app import serve
from tests.support.command_line import one_line


@pytest.fixture
def started(monkeypatch):
    """What ``app.serve.serve`` was asked to run, instead of running it."""
    calls = []

    def record(database_url, **options):
        calls.append((database_url, options))
        return 0

    monkeypatch.setattr(serve, "serve", record)
    return calls


def test_serve_hands_its_options_to_the_service(cli, started, database_url):
    assert cli("serve").code == 0
    given = cli(
        "serve", "--host", "192.0.2.1", "--port", "9000", "--workers", "4",
        "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "::1",
    )  # fmt: skip
    assert given.code == 0
    defaults = {"host": "127.0.0.1", "port": 8080, "workers": 2, "trusted_proxies": None}
    assert started == [
        (database_url, defaults),
        (
            database_url,
            {"host": "192.0.2.1", "port": 9000, "workers": 4,
             "trusted_proxies": ["10.0.0.0/8", "::1"]},
        ),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--port", "0", "a port is a number from 1 to 65535"),
        ("--port", "65536", "a port is a number from 1 to 65535"),
        ("--port", "80a", "a port is a number from 1 to 65535"),
        ("--port", "\uff18\uff10", "a port is a number from 1 to 65535"),
        ("--workers", "0", "the number of workers is from 1 to 64"),
        ("--workers", "65", "the number of workers is from 1 to 64"),
    ],
)
def test_a_port_or_worker_count_out_of_range_is_a_usage_error(cli, started, option, value, message):
    refused = cli("serve", option, value)
    assert (refused.code, refused.out) == (2, "")
    assert one_line(refused.err)
    assert message in refused.err
    assert started == []
