"""GET /healthz and GET /readyz: for load balancers and orchestrators."""

from __future__ import annotations

import logging
from collections.abc import Callable

import falcon

from app.errors import DeploymentTokensError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

log = logging.getLogger(__name__)


class Health:
    """GET /healthz: the process answers (nothing else is checked)."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.text = "ok\n"


class Ready:
    """GET /readyz: the database answers and the salt matches its fingerprint."""

    def __init__(self, service: Callable[[], TokenService]) -> None:
        self._service = service

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        # Anyone who can reach the service may ask: the answer says what is wrong, the
        # details (the database's location, the salt's problem) go to the log.
        try:
            service = self._service()
            service.revision()
            problem = service.salt_problem()
        except DeploymentTokensError as error:
            log.warning("not ready: %s", error)
            return not_ready(resp, "the database cannot answer")
        if problem is not None:
            log.warning("not ready: %s", problem)
            return not_ready(resp, "the salt is missing, too weak, or not this database's")
        resp.text = "ready\n"


def not_ready(resp: falcon.Response, reason: str) -> None:
    resp.status = falcon.HTTP_503
    resp.text = f"not ready: {reason}\n"
