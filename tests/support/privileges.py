"""Make the kernel check file permissions for this thread, even when the tests run as root.

Root ignores file modes (CAP_DAC_OVERRIDE), so a read-only database file stays writable
for it. Capabilities belong to each thread: dropping them from the calling thread's
effective set, and restoring them after, lets one test see what a normal user sees.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from collections.abc import Iterator

_VERSION_3 = 0x20080522
# CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER: the ones that bypass file modes.
_BYPASS = (1 << 1) | (1 << 2) | (1 << 3)


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _call(name: str, header: _Header, data: ctypes.Array[_Data]) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if getattr(libc, name)(ctypes.byref(header), data) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{name}: {os.strerror(error)}")


@contextlib.contextmanager
def file_permissions_enforced() -> Iterator[None]:
    """Within the block, this thread is refused files its mode bits refuse."""
    if os.geteuid() != 0:
        yield
        return
    header = _Header(_VERSION_3, 0)
    data = (_Data * 2)()
    _call("capget", header, data)
    saved = data[0].effective
    data[0].effective = saved & ~_BYPASS
    _call("capset", header, data)
    try:
        yield
    finally:
        data[0].effective = saved
        _call("capset", header, data)
