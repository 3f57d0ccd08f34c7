"""Known traps in DESIGN.md, and pins, that depend on what is installed."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def release(text):
    return tuple(int(part) for part in text.split(".")[:2])


def test_pyside6_stays_below_6_12():
    # 6.12.0 on Python 3.11 aborts after ~50,000 model data() calls that return None.
    assert release(version("PySide6-Essentials")) < (6, 12)
    assert release(version("PySide6-Essentials")) >= (6, 11)
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert "PySide6-Essentials>=6.11,<6.12" in project["dependencies"]


def test_peewee_stays_on_the_major_version_app_orm_was_tested_on():
    # app/store/orm.py subclasses peewee's psycopg 3 adapter, which is not public API:
    # tests/app/store/test_orm.py checks it on the installed version, within this pin.
    assert (4, 5) <= release(version("peewee")) < (5, 0)
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert "peewee>=4.5,<5" in project["dependencies"]


def test_the_smtp_server_of_the_notification_tests_is_a_test_dependency():
    # tests/support/mail.py runs aiosmtpd; make test installs the test extra again
    # whenever pyproject.toml changes (its stamp), so the server is there.
    test_extra = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["test"]
    assert "aiosmtpd>=1.4,<2" in test_extra
    assert (1, 4) <= release(version("aiosmtpd")) < (2, 0)


def test_pyjwt_checks_the_exchanges_id_tokens_where_serve_runs_and_in_the_tests():
    # app/oidc verifies RS256 and ES256 (the crypto extra); serve needs it (the server
    # extra), and make test installs the test extra again whenever pyproject.toml changes.
    extras = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert "PyJWT[crypto]>=2.10,<3" in extras["server"]
    assert "PyJWT[crypto]>=2.10,<3" in extras["test"]
    assert (2, 10) <= release(version("PyJWT")) < (3, 0)
    assert version("cryptography")
