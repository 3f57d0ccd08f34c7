"""Authenticating introspection clients and revocation keys: an unknown name must cost
what a wrong secret costs, so the time taken does not say which part was wrong.

Not a timed test: it counts the operations each path does (queries compiled, queries
run, digests, comparisons). Measured with the fix: a known name with a wrong secret
and an unknown name both about 110 µs on SQLite (the unknown name was about 85 µs slower,
raising and catching peewee's DoesNotExist, whose message compiles the query again).
"""

from __future__ import annotations

import hmac
from collections import Counter

import pytest

from app import tokens


@pytest.fixture
def operations(service, monkeypatch):
    """Counts of the costly operations authentication does, reset by each ``clear()``."""
    counted: Counter[str] = Counter()
    database = type(service.storage.database)

    def counting(name, function):
        def wrapper(*args, **kwargs):
            counted[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(database, "get_sql_context", counting("compiled", database.get_sql_context))
    monkeypatch.setattr(database, "execute_sql", counting("queried", database.execute_sql))
    monkeypatch.setattr(tokens, "digest", counting("digested", tokens.digest))
    monkeypatch.setattr(hmac, "compare_digest", counting("compared", hmac.compare_digest))
    return counted


def test_an_unknown_client_name_does_the_work_of_a_wrong_secret(service, operations):
    _, secret = service.add_client("gateway")
    wrong = secret[:-1] + ("y" if secret.endswith("x") else "x")
    done = {}
    for case, name, presented in (
        ("wrong secret", "gateway", wrong),
        ("unknown name", "someone", secret),
        ("not ASCII", "gateway", "s\u00e9cret"),
    ):
        operations.clear()
        accepted = service.authenticate_client(name, presented)
        assert accepted is False
        done[case] = dict(operations)
    assert done["wrong secret"] == {"compiled": 1, "queried": 1, "digested": 1, "compared": 1}
    assert done["unknown name"] == done["wrong secret"]
    assert done["not ASCII"] == done["wrong secret"]


def test_an_unknown_revocation_key_costs_one_query(service, operations):
    _, key = service.add_revocation_key("gitlab")
    operations.clear()
    assert service.authenticate_revocation_key(tokens.REVOCATION_KEY_PREFIX + "x" * 43) is None
    assert operations["compiled"] == operations["queried"] == 1
    known = service.authenticate_revocation_key(key)
    assert known is not None
