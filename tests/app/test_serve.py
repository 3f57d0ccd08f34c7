"""``app/serve.py``: what the verification service asks of gunicorn (the settings and the
worker it builds), and what it refuses before gunicorn starts. gunicorn's own loop is not
run here (the real process: tests/scenarios/test_verification_service.py)."""

from __future__ import annotations

import os

import falcon
import prometheus_client  # noqa: F401 (see below)
import pytest
from gunicorn.app.base import BaseApplication

from app import open_service, serve
from app.errors import ConfigurationError, StorageError
from app.http.server_log import ACCESS_LOG_FORMAT, RedactingLogger
from app.http.worker import FIELD_LIMIT, REQUEST_TIMEOUT_SECONDS, Worker

# Several workers make serve set this; prometheus_client reads it once, when it loads, so
# it is imported above, before any test here sets it: the rest of the run keeps its
# metrics in memory.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


@pytest.fixture
def database_url(sqlite_url):
    """An SQLite database made for the service to open: serve creates none."""
    open_service(sqlite_url).close()
    return sqlite_url


@pytest.fixture
def runs(monkeypatch):
    """What gunicorn was asked to run, each time, instead of running it: its
    configuration, the application, and the metrics directory while it ran."""
    seen = []

    def run(application):
        seen.append(
            {
                "cfg": application.cfg,
                "app": application.load(),
                "metrics_directory": os.environ.get(MULTIPROC_ENV),
            }
        )

    monkeypatch.setattr(BaseApplication, "run", run)
    # Restored afterwards, whatever serve sets.
    monkeypatch.setenv(MULTIPROC_ENV, "")
    monkeypatch.delenv(MULTIPROC_ENV)
    return seen


def test_gunicorn_gets_the_settings_of_a_service_whose_requests_carry_secrets(runs, database_url):
    assert serve.serve(database_url, workers=1, environ={}) == 0
    [run] = runs
    cfg = run["cfg"]
    assert cfg.bind == ["127.0.0.1:8080"]
    assert (cfg.workers, cfg.threads) == (1, serve.THREADS_PER_WORKER)
    assert issubclass(cfg.worker_class, Worker)
    assert cfg.worker_class.request_timeout == REQUEST_TIMEOUT_SECONDS
    assert cfg.logger_class is RedactingLogger
    assert (cfg.accesslog, cfg.errorlog, cfg.loglevel) == ("-", "-", "warning")
    assert cfg.access_log_format == ACCESS_LOG_FORMAT
    assert cfg.proc_name == "deployment-tokens-serve"
    assert (cfg.limit_request_line, cfg.limit_request_fields) == (4094, 50)
    assert cfg.limit_request_field_size == FIELD_LIMIT
    assert cfg.sendfile is False
    assert isinstance(run["app"], falcon.App)


@pytest.mark.parametrize(
    ("host", "bind"), [("192.0.2.1", "192.0.2.1:9000"), ("::1", "[::1]:9000"), ("::", "[::]:9000")]
)
def test_an_ipv6_host_is_bound_in_brackets(runs, database_url, host, bind):
    serve.serve(database_url, host=host, port=9000, workers=1, environ={})
    assert runs[0]["cfg"].bind == [bind]


@pytest.mark.parametrize(("given", "seconds"), [("2.5", 2.5), (" 600 ", 600.0), ("0.1", 0.1)])
def test_the_request_timeout_comes_from_the_environment(runs, database_url, given, seconds):
    serve.serve(database_url, workers=1, environ={serve.REQUEST_TIMEOUT_ENV: given})
    assert runs[0]["cfg"].worker_class.request_timeout == seconds


@pytest.mark.parametrize("given", ["0.09", "601", "ten", "nan", "inf", "-1"])
def test_a_request_timeout_out_of_range_is_refused_before_gunicorn_starts(
    runs, database_url, given
):
    with pytest.raises(ConfigurationError) as refused:
        serve.serve(database_url, workers=1, environ={serve.REQUEST_TIMEOUT_ENV: given})
    assert str(refused.value) == "ML_DEPLOYMENT_REQUEST_TIMEOUT is seconds, from 0.1 to 600"
    assert runs == []


def test_trusted_proxies_come_from_the_environment_separated_by_commas_or_spaces(
    runs, database_url, monkeypatch
):
    handed = []
    real = serve.trusted_networks
    monkeypatch.setattr(
        serve, "trusted_networks", lambda given: handed.append(given) or real(given)
    )
    env = {serve.TRUSTED_PROXIES_ENV: "10.0.0.0/8, 192.0.2.1 ::1"}
    serve.serve(database_url, workers=1, environ=env)
    serve.serve(database_url, workers=1, trusted_proxies=["::1"], environ=env)
    assert handed == [["10.0.0.0/8", "192.0.2.1", "::1"], ["::1"]]


@pytest.mark.parametrize(
    ("given", "env", "source"),
    [
        (None, {serve.TRUSTED_PROXIES_ENV: "10.0.0.0/8,not-an-address"}, serve.TRUSTED_PROXIES_ENV),
        (["not-an-address"], {}, "--trusted-proxy"),
    ],
)
def test_a_trusted_proxy_that_is_no_address_is_refused_naming_where_it_came_from(
    runs, database_url, given, env, source
):
    with pytest.raises(ConfigurationError, match=f"^{source}: .*not-an-address"):
        serve.serve(database_url, workers=1, trusted_proxies=given, environ=env)
    assert runs == []


def test_a_missing_database_is_refused_before_gunicorn_starts(runs, tmp_path):
    missing = tmp_path / "typo.db"
    with pytest.raises(StorageError, match="there is no database"):
        serve.serve(f"sqlite:///{missing}", workers=1, environ={})
    assert runs == []
    assert not missing.exists()


def test_several_workers_share_a_metrics_directory_removed_after(runs, database_url):
    serve.serve(database_url, workers=2, environ={})
    shared = runs[0]["metrics_directory"]
    assert shared is not None
    assert runs[0]["cfg"].workers == 2
    assert not os.path.exists(shared)


def test_one_worker_needs_no_metrics_directory_and_a_given_one_is_kept(
    runs, database_url, tmp_path, monkeypatch
):
    serve.serve(database_url, workers=1, environ={})
    assert runs[0]["metrics_directory"] is None
    monkeypatch.setenv(MULTIPROC_ENV, str(tmp_path))
    serve.serve(database_url, workers=3, environ={})
    assert runs[1]["metrics_directory"] == str(tmp_path)
    assert tmp_path.is_dir()
