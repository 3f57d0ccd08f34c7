"""Process-wide protections for processes that hold a plaintext token or secret."""

from __future__ import annotations


def disable_core_dumps() -> None:
    """Make this process (and what it forks) write no core dump.

    A core dump of a verify, a generate or the desktop app would hold the plaintext
    token; the limit is lowered for good (soft and hard), so nothing later raises it.
    systemd-coredump honours the limit as well. Where the platform has no such limit,
    nothing happens.
    """
    try:
        import resource
    except ImportError:  # not on this platform
        return
    try:  # noqa: SIM105 (verify's path does not import contextlib)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (OSError, ValueError):
        pass
