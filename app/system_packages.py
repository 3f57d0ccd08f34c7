"""The Debian packages Deployment Tokens needs from the system, and what each provides.

One table serves two readers: ``scripts/install_system_packages.py``, which ``make`` and
``.ci/run`` use to install what a fresh machine lacks, and the desktop app, which names
the packages to install when Qt cannot load one of its libraries (instead of calling it
a bug). Nothing here imports Qt, so the advice can be given when Qt cannot even load.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SystemPackage:
    """A Debian package, under each name it has had, newest first.

    Debian 13 renamed some libraries (``libglib2.0-0t64``); the old name no longer
    installs there, and the new one does not exist on Debian 12.
    """

    names: tuple[str, ...]
    # The shared libraries Qt loads from it, by file name (SONAME).
    libraries: tuple[str, ...] = ()


def _package(*names: str, libraries: tuple[str, ...] = ()) -> SystemPackage:
    return SystemPackage(names, libraries)


# What Qt's own libraries link against, even on the offscreen platform (readelf on
# PySide6-Essentials 6.11). A fresh minimal Debian lacks every one of them.
QT_LIBRARIES = (
    _package("libegl1", libraries=("libEGL.so.1",)),
    _package("libgl1", libraries=("libGL.so.1",)),
    _package("libxkbcommon0", libraries=("libxkbcommon.so.0",)),
    _package("libfontconfig1", libraries=("libfontconfig.so.1",)),
    _package("libdbus-1-3", libraries=("libdbus-1.so.3",)),
    _package(
        "libglib2.0-0t64", "libglib2.0-0", libraries=("libglib-2.0.so.0", "libgthread-2.0.so.0")
    ),
)

# What Qt's X11 platform plugin (xcb) loads for a real window. Qt reports any of them
# missing as "xcb-cursor0 is needed", whichever it is (README, "Installing it").
XCB_LIBRARIES = (
    _package("libxcb-cursor0", libraries=("libxcb-cursor.so.0",)),
    _package("libxcb-icccm4", libraries=("libxcb-icccm.so.4",)),
    _package("libxcb-keysyms1", libraries=("libxcb-keysyms.so.1",)),
    _package("libxcb-render-util0", libraries=("libxcb-render-util.so.0",)),
    _package("libxcb-shape0", libraries=("libxcb-shape.so.0",)),
    _package("libxkbcommon-x11-0", libraries=("libxkbcommon-x11.so.0",)),
)

GROUPS: dict[str, tuple[str, tuple[SystemPackage, ...]]] = {
    "run": ("Qt's libraries for the desktop app", QT_LIBRARIES + XCB_LIBRARIES),
    # xvfb-run, for the one test that needs a real X11 selection; openssl, for the
    # throwaway CA of the SMTP tests' STARTTLS (tests/support/mail.py).
    "test": (
        "a virtual X server and openssl for the tests",
        (_package("xvfb"), _package("xauth"), _package("openssl")),
    ),
    # nginx, for the tests of the gateway configuration in docs/nginx: .ci/run installs
    # it, not make test, since Debian's package also starts a system-wide server.
    "gateway": ("nginx for the gateway tests", (_package("nginx"),)),
    # A load generator for make bench's HTTP figures (and the PostgreSQL pass runs them
    # once at a tiny size).
    "bench": ("wrk for the HTTP benchmarks", (_package("wrk"),)),
    # The tests start a throwaway cluster from the server's binaries.
    "postgresql": ("the PostgreSQL server for the PostgreSQL test pass", (_package("postgresql"),)),
    "fresh": (
        "debootstrap, to build the fresh Debian of make test-fresh",
        (_package("debootstrap"),),
    ),
}

_MISSING_LIBRARY = re.compile(r"(lib[\w.+-]+\.so[\w.]*): cannot open shared object file")


def installed(packages: Iterable[SystemPackage]) -> set[str]:
    """Which of the packages' names dpkg has installed (one dpkg-query for them all)."""
    names = sorted({name for package in packages for name in package.names})
    dpkg_query = shutil.which("dpkg-query")
    if not names or dpkg_query is None:
        return set()
    # Names dpkg has never heard of make it exit 1 and complain on stderr: expected.
    listing = subprocess.run(
        [dpkg_query, "-W", "-f=${db:Status-Abbrev} ${Package}\n", *names],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return {
        line.split()[1].partition(":")[0]
        for line in listing.splitlines()
        if line.startswith("ii ") and len(line.split()) == 2
    }


def missing(packages: Iterable[SystemPackage]) -> list[SystemPackage]:
    """The packages none of whose names is installed."""
    chosen = list(packages)
    present = installed(chosen)
    return [package for package in chosen if not present.intersection(package.names)]


def installable_name(package: SystemPackage) -> str:
    """The package's name on this system: the first one apt has a candidate for."""
    apt_cache = shutil.which("apt-cache")
    if len(package.names) > 1 and apt_cache is not None:
        for name in package.names:
            policy = subprocess.run(
                [apt_cache, "policy", name], capture_output=True, text=True, check=False
            ).stdout
            if "Candidate:" in policy and "Candidate: (none)" not in policy:
                return name
    return package.names[0]


def packages_for(libraries: Iterable[str]) -> list[SystemPackage]:
    """The Qt packages that provide ``libraries``, in the table's order."""
    wanted = set(libraries)
    return [
        package
        for package in QT_LIBRARIES + XCB_LIBRARIES
        if wanted.intersection(package.libraries)
    ]


def missing_library_advice(error: BaseException) -> str | None:
    """One line naming what to install, when ``error`` is a shared library not found."""
    match = _MISSING_LIBRARY.search(str(error))
    return None if match is None else libraries_advice([match.group(1)])


def libraries_advice(libraries: list[str]) -> str:
    """One line saying that ``libraries`` are missing and which packages to install."""
    # One missing library usually means a machine without any of them: name every one
    # that is missing, so the user installs once instead of once per library.
    _, needed = GROUPS["run"]
    absent = missing(needed) or packages_for(libraries) or list(needed)
    names = " ".join(installable_name(package) for package in absent)
    what = "library" if len(libraries) == 1 else "libraries"
    verb = "is" if len(libraries) == 1 else "are"
    return (
        f"the desktop app cannot start: the system {what} {', '.join(libraries)} {verb} "
        f"missing; on Debian or Ubuntu install Qt's libraries with: sudo apt-get install {names}"
    )


def missing_xcb_libraries() -> list[str]:
    """The X11 plugin's libraries that cannot be loaded here, by file name.

    Qt aborts the process when its xcb plugin cannot load, with a message that names the
    wrong library; loading them first lets the app name the right packages instead.
    """
    absent = []
    for package in XCB_LIBRARIES:
        for library in package.libraries:
            try:
                ctypes.CDLL(library)
            except OSError:
                absent.append(library)
    return absent
