"""A throwaway PostgreSQL cluster with login roles, for the tests that ask the server
itself who may do what (row-level security, grants): each statement is run as one role,
its refusal returned rather than raised."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from devtools.postgresql_cluster import ThrowawayCluster

# The tables' owner, and the groups the schema grants to (the owner may grant them on).
OWNER = "dt_owner"
GROUPS = ("deployment_tokens_user", "deployment_tokens_verifier")
# What PostgreSQL says when it refuses a role: a privilege, or a row-level policy.
REFUSALS = ("permission denied", "row-level security")


@contextlib.contextmanager
def cluster_with_roles(roles: Iterable[str]) -> Iterator[ThrowawayCluster]:
    """A cluster whose database ``dt`` belongs to OWNER, with a login role of each of
    ``roles``; removed after."""
    import psycopg

    with ThrowawayCluster() as running:
        with psycopg.connect(running.admin_url, autocommit=True) as admin:
            for role in (OWNER, *roles):
                admin.execute(f'CREATE ROLE "{role}" LOGIN')
            for group in GROUPS:
                admin.execute(f"CREATE ROLE {group} NOLOGIN")
                admin.execute(f"GRANT {group} TO {OWNER} WITH ADMIN OPTION")
            admin.execute(f"CREATE DATABASE dt OWNER {OWNER}")
        yield running


def url(cluster: ThrowawayCluster, role: str) -> str:
    return f"postgresql://{role}@127.0.0.1:{cluster.port}/dt"


def sql(cluster: ThrowawayCluster, role: str, statement: str, *parameters: Any) -> Any:
    """One statement as ``role``, committed; its rows, or the error it raised."""
    import psycopg

    with psycopg.connect(url(cluster, role), autocommit=True) as connection:
        try:
            cursor = connection.execute(statement, parameters or None)
        except psycopg.Error as error:
            return error
        return cursor.fetchall() if cursor.description else cursor.rowcount


def denied(outcome: Any, *fragments: str) -> None:
    """``outcome`` is PostgreSQL refusing, in words holding one of ``fragments``
    (by default, either refusal)."""
    assert isinstance(outcome, Exception), outcome
    assert any(fragment in str(outcome) for fragment in fragments or REFUSALS), outcome
