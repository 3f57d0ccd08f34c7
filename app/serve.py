"""``deployment-tokens serve``: the verification service on gunicorn.

Falcon on gunicorn's threaded workers: verification is a blocking database call, and
in measurements that beat Starlette on uvicorn, whose sync endpoints hand each request
to a thread pool (README, "Pipelines and gateways"). Stateless: any number of instances
can run against one PostgreSQL. Each worker opens its own service after the fork.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from typing import TYPE_CHECKING, Any

from app import open_service
from app.errors import ConfigurationError

if TYPE_CHECKING:
    from app.service import TokenService

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
THREADS_PER_WORKER = 4
# The access log: method, path, status, size and time; never a header or a query string
# (tokens travel in headers, but a misconfigured client could put one in a URL).
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def serve(
    database_url: str | None,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    workers: int = 2,
) -> int:
    """Run the service until it is stopped (SIGTERM, Ctrl+C); returns the exit code."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        raise ConfigurationError(
            "the verification service needs the server extra: "
            "pip install 'deployment-tokens[server]'"
        ) from None
    # Checked once up front, so a wrong URL or a missing database is one line, not a
    # worker that dies at its first request.
    open_service(database_url, create=False).close()

    made_metrics_directory = None
    if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        # Counters from every worker, summed on /metrics. Set before prometheus_client
        # is imported: it chooses how to keep values when it loads.
        made_metrics_directory = tempfile.mkdtemp(prefix="deployment-tokens-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = made_metrics_directory
    from app.http_api import Metrics, create_app

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

    metrics = Metrics(_registry())
    application = create_app(service, metrics)

    class _Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": THREADS_PER_WORKER,
                "accesslog": "-",
                "access_log_format": ACCESS_LOG_FORMAT,
                "errorlog": "-",
                "loglevel": "warning",
                "proc_name": "deployment-tokens-serve",
                # Requests with huge header lines or fields are refused by gunicorn itself.
                "limit_request_line": 4094,
                "limit_request_fields": 50,
                "limit_request_field_size": 4096,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    try:
        _Gunicorn().run()
    finally:
        if made_metrics_directory is not None:
            shutil.rmtree(made_metrics_directory, ignore_errors=True)
    return 0


def _registry() -> Any:
    """The registry /metrics reads: every worker's, when there are several."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return None
    from prometheus_client import CollectorRegistry, multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry
