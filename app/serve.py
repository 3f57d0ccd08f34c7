"""``deployment-tokens serve``: the verification service on gunicorn.

Falcon on gunicorn's threaded workers: verification is a blocking database call, and
in measurements that beat Starlette on uvicorn, whose sync endpoints hand each request
to a thread pool (README, "Pipelines and gateways"). Stateless: any number of instances
can run against one PostgreSQL. Each worker opens its own service after the fork; the
rate limits are made before it, in memory every worker shares.

Two things gunicorn does are changed, for a service whose requests carry secrets: its
log lines (``app.http.server_log``: every line has our secrets cut to their prefix), and
who waits for a client (``app.http.worker``: the event loop reads each request whole
before a thread takes it, so slow or silent clients hold no thread; its error pages say
only their status).
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app import open_service
from app.errors import ConfigurationError
from app.http.rate_limits import trusted_networks

try:
    import gunicorn
    from gunicorn.app.base import BaseApplication
    from gunicorn.workers.gthread import ThreadWorker

    from app.http.server_log import ACCESS_LOG_FORMAT, RedactingLogger
    from app.http.worker import FIELD_LIMIT, GTHREAD_NEEDS, REQUEST_TIMEOUT_SECONDS, Worker
except ImportError:
    raise ConfigurationError(
        "the verification service needs the server extra: pip install 'deployment-tokens[server]'"
    ) from None

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
# Threads only run the application: the event loop reads requests and sends answers.
THREADS_PER_WORKER = 4
REQUEST_TIMEOUT_ENV = "ML_DEPLOYMENT_REQUEST_TIMEOUT"
TRUSTED_PROXIES_ENV = "ML_DEPLOYMENT_TRUSTED_PROXIES"


def serve(
    database_url: str | None,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    workers: int = 2,
    trusted_proxies: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run the service until it is stopped (SIGTERM, Ctrl+C); returns the exit code.

    ``trusted_proxies`` (addresses or networks) defaults to ``ML_DEPLOYMENT_TRUSTED_PROXIES``
    (separated by commas or spaces), and else to none.
    """
    env = os.environ if environ is None else environ
    _require_gunicorn_27()
    request_timeout = _request_timeout(env)
    trusted_proxies = _trusted_proxies(trusted_proxies, env)
    # Checked once up front, so a wrong URL or a missing database is one line, not a
    # worker that dies at its first request.
    open_service(database_url, create=False).close()
    made_metrics_directory = _shared_metrics_directory(workers)
    from app.http.application import Metrics, create_app

    metrics = Metrics(_registry())
    # Made here, in gunicorn's master, so that the workers it forks share the limits.
    application = create_app(
        _service_per_worker(database_url), metrics, trusted_proxies=trusted_proxies
    )
    worker = type("Worker", (Worker,), {"request_timeout": request_timeout})
    try:
        _Gunicorn(application, _settings(host, port, workers, worker)).run()
    finally:
        if made_metrics_directory is not None:
            shutil.rmtree(made_metrics_directory, ignore_errors=True)
    return 0


def _require_gunicorn_27() -> None:
    missing = [name for name in GTHREAD_NEEDS if not hasattr(ThreadWorker, name)]
    if missing:
        raise ConfigurationError(
            f"the verification service needs gunicorn 27 (this is {gunicorn.__version__}): "
            "pip install 'gunicorn>=27,<28'"
        )


def _trusted_proxies(given: Sequence[str] | None, env: Mapping[str, str]) -> Sequence[str]:
    """The proxies whose forwarded addresses are believed: ``--trusted-proxy``, else
    ML_DEPLOYMENT_TRUSTED_PROXIES (separated by commas or spaces); checked here, so a
    typo is one line at start-up."""
    if given is None:
        given = env.get(TRUSTED_PROXIES_ENV, "").replace(",", " ").split()
        source = TRUSTED_PROXIES_ENV
    else:
        source = "--trusted-proxy"
    try:
        trusted_networks(given)
    except ValueError as error:
        raise ConfigurationError(f"{source}: {error}") from None
    return given


def _shared_metrics_directory(workers: int) -> str | None:
    """With several workers, a directory for prometheus_client's multiprocess mode (the
    one made here, to remove after), so /metrics sums every worker's counters. Set before
    prometheus_client is imported: it chooses how to keep values when it loads."""
    if workers <= 1 or "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        return None
    made = tempfile.mkdtemp(prefix="deployment-tokens-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = made
    return made


def _service_per_worker(database_url: str | None) -> Callable[[], TokenService]:
    """This process's service, opened at its first request: each worker opens its own
    after the fork."""
    opened: dict[int, TokenService] = {}
    lock = threading.Lock()

    def service() -> TokenService:
        pid = os.getpid()
        found = opened.get(pid)
        if found is None:
            with lock:
                found = opened.get(pid)
                if found is None:
                    found = opened[pid] = open_service(database_url, create=False)
        return found

    return service


def _settings(host: str, port: int, workers: int, worker: type) -> dict[str, Any]:
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": worker,
        "threads": THREADS_PER_WORKER,
        "logger_class": RedactingLogger,
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "deployment-tokens-serve",
        # Requests with huge header lines or fields are refused by gunicorn itself; the
        # whole head is limited by the event loop (app.http.framing.HEAD_LIMIT).
        "limit_request_line": 4094,
        "limit_request_fields": 50,
        "limit_request_field_size": FIELD_LIMIT,
        # Answers are sent by the event loop, never with sendfile on a thread.
        "sendfile": False,
    }


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn running ``application`` with ``settings``, and no configuration file or
    command line of its own."""

    def __init__(self, application: Any, settings: dict[str, Any]) -> None:
        self._application = application
        self._settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._settings.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._application


def _request_timeout(env: Mapping[str, str]) -> float:
    text = env.get(REQUEST_TIMEOUT_ENV, "").strip()
    if not text:
        return REQUEST_TIMEOUT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0.1 <= seconds <= 600:
        raise ConfigurationError(f"{REQUEST_TIMEOUT_ENV} is seconds, from 0.1 to 600")
    return seconds


def _registry() -> Any:
    """The registry /metrics reads: every worker's, when there are several."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return None
    from prometheus_client import CollectorRegistry, multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry
