"""``serve``: the verification service for pipelines and deploy gateways."""

from __future__ import annotations

import argparse
import re

# typing.TYPE_CHECKING without importing typing (ARCHITECTURE.md, Rules): annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def add_serve(commands: Any, database: argparse.ArgumentParser) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the verification service for pipelines and deploy gateways",
        description="Serve GET /v1/authorize (for nginx auth_request and Traefik "
        "ForwardAuth), POST /v1/introspect (RFC 7662), /healthz, /readyz and /metrics, on "
        "loopback unless --host says otherwise. Needs the server extra. Put a buffering "
        "proxy such as nginx in front of it, which also does TLS.",
        parents=[database],
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    serve.add_argument("--port", type=_port, default=8080, help="the port (default 8080)")
    serve.add_argument("--workers", type=_workers, default=2, help="worker processes (default 2)")
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        metavar="ADDRESS_OR_CIDR",
        help="a proxy (nginx, say) whose X-Forwarded-For or X-Real-IP names the caller, "
        "for counting failed logins; repeatable (default: ML_DEPLOYMENT_TRUSTED_PROXIES, "
        "else none)",
    )
    serve.set_defaults(handler=_serve)


PARSERS = {"serve": add_serve}


def _serve(args: argparse.Namespace) -> int:
    from app.serve import serve

    return serve(
        getattr(args, "database", None),
        host=args.host,
        port=args.port,
        workers=args.workers,
        trusted_proxies=args.trusted_proxy,
    )


def _port(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,5}", text.strip(), re.ASCII) or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError("a port is a number from 1 to 65535")
    return int(text)


def _workers(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,3}", text.strip(), re.ASCII) or not 0 < int(text) <= 64:
        raise argparse.ArgumentTypeError("the number of workers is from 1 to 64")
    return int(text)
