"""Install the Debian packages that ``make run``, ``make test`` or CI need and lack.

    python3 scripts/install_system_packages.py GROUP [GROUP ...]

Groups: ``venv`` (the interpreter's venv module), and those of ``app.system_packages``
(``run``, ``test``, ``postgresql``, ``fresh``). Runs with the system's python3 before any
virtual environment exists, so it uses the standard library alone. When everything is
installed it does nothing (one dpkg-query). Otherwise it says in one line what it
installs and why, and runs apt-get, through sudo when not root, retrying a download
that fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import system_packages
from app.system_packages import SystemPackage

ATTEMPTS = 3
PAUSE_SECONDS = 5


def venv_package(python: str) -> SystemPackage | None:
    """Debian's ``python3.X-venv`` when ``python`` cannot create a venv, else None.

    Debian strips ensurepip out of its interpreter into that package; without it
    ``python3 -m venv`` fails after creating half a venv.
    """
    probe = subprocess.run(
        [python, "-c", "import ensurepip, sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode == 0:
        return None
    version = subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return SystemPackage((f"python{version}-venv",))


def wanted(groups: list[str], python: str) -> tuple[list[str], list[SystemPackage]]:
    reasons: list[str] = []
    packages: list[SystemPackage] = []
    for group in groups:
        if group == "venv":
            package = venv_package(python)
            if package is not None and system_packages.missing([package]):
                reasons.append(f"{python}'s venv module")
                packages.append(package)
            continue
        reason, members = system_packages.GROUPS[group]
        absent = [p for p in system_packages.missing(members) if p not in packages]
        if absent:
            reasons.append(reason)
            packages.extend(absent)
    return reasons, packages


def apt(arguments: list[str]) -> None:
    """Run apt-get (with sudo when not root), retrying what may be a network hiccup."""
    command = ["apt-get", "-q", "-o", "Acquire::Retries=3", *arguments]
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            raise SystemExit(
                f"cannot install system packages: run as root, or install sudo "
                f"({' '.join(command)})"
            )
        command = ["sudo", "--preserve-env=DEBIAN_FRONTEND", *command]
    for attempt in range(1, ATTEMPTS + 1):
        # Its progress is noise when it works, and the reason when it does not.
        result = subprocess.run(
            command,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        if result.returncode == 0:
            return
        print("\n".join(result.stdout.splitlines()[-15:]), file=sys.stderr)
        if attempt < ATTEMPTS:
            print(f"apt-get failed (exit {result.returncode}); retrying", file=sys.stderr)
            time.sleep(PAUSE_SECONDS * attempt)
    raise SystemExit(f"apt-get failed {ATTEMPTS} times: {' '.join(command)}")


def main(arguments: list[str]) -> int:
    groups = arguments or ["run"]
    unknown = [g for g in groups if g != "venv" and g not in system_packages.GROUPS]
    if unknown:
        print(f"unknown group {unknown[0]!r}", file=sys.stderr)
        return 2
    if shutil.which("dpkg-query") is None or shutil.which("apt-get") is None:
        # Not Debian: say what is needed once, and let the build try.
        print("not a Debian system: install Qt 6's libraries yourself if the app fails to start")
        return 0
    python = os.environ.get("PYTHON", "python3")
    reasons, packages = wanted(groups, python)
    if not packages:
        return 0
    apt(["update", "-qq"])
    names = [system_packages.installable_name(package) for package in packages]
    print(f"Installing {' '.join(names)} ({'; '.join(reasons)})", flush=True)
    apt(["install", "-y", "-qq", "--no-install-recommends", *names])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
