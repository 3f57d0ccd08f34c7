"""Test data made through the service, as a user would make it."""

from __future__ import annotations

from app.service import TokenService


def filled(service: TokenService, count: int) -> None:
    """A project "web" with ``count`` tokens named "token 00", "token 01", ..."""
    service.add_project("web")
    for index in range(count):
        service.generate("web", f"token {index:02}")
