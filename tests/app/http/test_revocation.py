"""GitLab's Token Revocation API (/v1/revocable_token_types, /v1/revoke_tokens), with
the request bodies GitLab documents."""

from __future__ import annotations

import pytest

from app import tokens
from tests.support.endpoints import introspect, revoke_tokens


def test_the_revocable_token_types_name_ours(client, revocation_key):
    result = client.simulate_get(
        "/v1/revocable_token_types", headers={"Authorization": f"Bearer {revocation_key}"}
    )
    assert result.status_code == 200
    assert result.json == {"types": ["gitleaks_rule_id_deployment_tokens_token"]}


def test_gitlab_revokes_leaked_tokens_idempotently_and_audited(client, web, revocation_key):
    record, live = web.generate("web", "ci")
    stranger = tokens.new_token()
    body = [
        {"type": "gitleaks_rule_id_deployment_tokens_token", "token": live,
         "location": "https://example.com/some-repo/blob/abcdefghijklmnop/compromisedfile1.java"},
        {"type": "gitleaks_rule_id_deployment_tokens_token", "token": stranger,
         "location": "https://example.com/some-repo/blob/abcdefghijklmnop/compromisedfile2.java"},
    ]  # fmt: skip
    first = revoke_tokens(client, revocation_key, body)
    assert first.status_code == 204
    assert web.verify(live) is None
    event = web.audit_log("web")[0]
    assert (event.action, event.token_id) == ("revoked", record.id)
    assert event.detail == (
        "leaked: found in GitLab secret detection: "
        "https://example.com/some-repo/blob/abcdefghijklmnop/compromisedfile1.java"
    )
    events = len(web.audit_log("web"))
    again = revoke_tokens(client, revocation_key, body)
    assert again.status_code == 204  # the same report twice: no error, nothing more done
    assert len(web.audit_log("web")) == events


@pytest.mark.parametrize(
    "body",
    [
        {"type": "gitleaks_rule_id_deployment_tokens_token", "token": "x"},  # not an array
        [{"type": "gitleaks_rule_id_gitlab_personal_access_token", "token": "glpat-x"}],
        [{"token": "x"}],
        ["x"],
    ],
)
def test_a_body_gitlab_would_not_send_is_400(client, web, revocation_key, body):
    assert revoke_tokens(client, revocation_key, body).status_code == 400


@pytest.mark.parametrize("key", [None, "", "Bearer mldr_wrong", "mldr_wrong"])
def test_a_call_without_the_key_is_401_and_changes_nothing(client, web, store, key):
    _, live = web.generate("web")
    web.add_revocation_key("gitlab")
    before = store.dump()
    body = [{"type": "gitleaks_rule_id_deployment_tokens_token", "token": live, "location": ""}]
    assert revoke_tokens(client, key, body).status_code == 401
    assert store.dump() == before


def test_a_revoked_key_stops_working(client, web, revocation_key):
    web.revoke_revocation_key("gitlab")
    body = [{"type": "gitleaks_rule_id_deployment_tokens_token", "token": "x", "location": ""}]
    assert revoke_tokens(client, revocation_key, body).status_code == 401


def test_the_revocation_api_is_rate_limited_per_key(client, web, revocation_key):
    from app.http.revocation import REVOCATION_CALLS_PER_MINUTE

    headers = {"Authorization": revocation_key}
    answers = [
        client.simulate_get("/v1/revocable_token_types", headers=headers).status_code
        for _ in range(REVOCATION_CALLS_PER_MINUTE + 1)
    ]
    assert answers[:-1] == [200] * REVOCATION_CALLS_PER_MINUTE
    assert answers[-1] == 429
    _, another = web.add_revocation_key("gitlab-2")  # its own calls, from the same address
    answered = revoke_tokens(client, another, []).status_code
    assert answered == 204


def test_thirty_wrong_keys_do_not_hold_up_gitlabs_right_key(client, web, revocation_key):
    from app.http.rate_limits import LIMIT

    answers = [revoke_tokens(client, "mldr_wrong", []) for _ in range(30)]
    assert [a.status_code for a in answers] == [401] * LIMIT + [429] * (30 - LIMIT)
    assert int(answers[-1].headers["Retry-After"]) > 0
    _, live = web.generate("web")
    body = [{"type": "gitleaks_rule_id_deployment_tokens_token", "token": live, "location": ""}]
    right = revoke_tokens(client, revocation_key, body).status_code
    assert right == 204
    assert web.verify(live) is None


def test_failures_at_introspection_do_not_count_against_the_revocation_api(client, web):
    for _ in range(30):
        introspect(client, "token=x", secret="wrong")
    assert introspect(client, "token=x", secret="wrong").status_code == 429
    assert revoke_tokens(client, "mldr_wrong", []).status_code == 401


def test_a_location_shaped_like_a_secret_cannot_stop_the_revocation(web, client, revocation_key):
    """Anyone who can name a file beside a leak must not be able to keep it live: a
    location that reads like one of our secrets is cut, not refused as a source."""
    _, decoy = web.generate("api")
    _, leaked = web.generate("web")
    crafted = "https://gitlab.example.com/g/p/-/blob/0123abcd/mldr_" + "A" * 43 + ".txt"
    body = [
        {"type": "gitleaks_rule_id_deployment_tokens_token", "token": decoy, "location": crafted},
        {"type": "gitleaks_rule_id_deployment_tokens_token", "token": leaked, "location": "x"},
    ]
    assert revoke_tokens(client, revocation_key, body).status_code == 204
    assert web.verify(leaked) is None
    assert web.verify(decoy) is None
    [found_in] = [e.detail for e in web.audit_log("api") if e.action == "revoked"]
    assert "mldr_…" in found_in
    assert "A" * 43 not in found_in


def test_a_deeply_nested_body_is_400_without_a_traceback(client, web, revocation_key, caplog):
    result = client.simulate_post(
        "/v1/revoke_tokens",
        body=b"[" * 100_000,
        headers={"Authorization": revocation_key, "Content-Type": "application/json"},
    )
    assert result.status_code == 400
    assert result.json == {"error": "the body must be a JSON array of {type, token, location}"}
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info or r.levelname == "ERROR"]


def test_an_unsupported_type_is_400_and_never_echoed(client, web, revocation_key):
    secret = "glpat-" + "s3cr3t" * 4
    body = [{"type": f"rule_{secret}", "token": secret, "location": ""}]
    result = revoke_tokens(client, revocation_key, body)
    assert result.status_code == 400
    assert "unsupported token type" in result.text
    assert secret not in result.text
