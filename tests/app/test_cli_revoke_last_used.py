"""`tokens revoke` says when the token was last used: the spec asks to confirm that no
active automation still depends on a token, and a revoke from the command line has no
confirmation to say it in. Standard output and the exit code stay as they were."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import open_service, tokens
from tests.support.data import used_ago


@pytest.fixture
def nightly(cli, database_url) -> tuple[int, str]:
    assert cli("projects", "add", "Web").code == 0
    with open_service(database_url) as service:
        record, plaintext = service.generate("Web", "Nightly")
    return record.id, plaintext


def revoke(cli, token_id: int):
    result = cli("tokens", "revoke", "--project", "Web", str(token_id))
    assert result.code == 0
    return result


def test_revoking_a_token_used_minutes_ago_says_so_plainly(cli, store, nightly):
    token_id, plaintext = nightly
    used_ago(store, plaintext, timedelta(minutes=3))
    result = revoke(cli, token_id)
    preview = tokens.preview(plaintext)
    assert result.out == f"Revoked token {token_id} 'Nightly' ({preview}) in 'Web'.\n"
    assert result.err == (
        f"token {token_id} (Nightly, {preview}) was last used 3 minutes ago: a pipeline may "
        "still depend on it, and is refused from now on\n"
    )


def test_revoking_a_token_used_days_ago_says_when(cli, store, nightly):
    token_id, plaintext = nightly
    used_ago(store, plaintext, timedelta(days=3, minutes=1))
    result = revoke(cli, token_id)
    preview = tokens.preview(plaintext)
    assert result.out == f"Revoked token {token_id} 'Nightly' ({preview}) in 'Web'.\n"
    assert result.err == f"token {token_id} (Nightly, {preview}) was last used 3 days ago\n"


def test_revoking_a_token_never_used_says_so(cli, nightly):
    token_id, plaintext = nightly
    result = revoke(cli, token_id)
    preview = tokens.preview(plaintext)
    assert result.out == f"Revoked token {token_id} 'Nightly' ({preview}) in 'Web'.\n"
    assert result.err == f"token {token_id} (Nightly, {preview}) was never used\n"
