"""The verification service's endpoints, through Falcon's test client over a real
database on each backend."""

from __future__ import annotations

import base64
import time
from datetime import timedelta
from pathlib import Path

import pytest
from falcon import testing

from app import config, tokens
from app.http.application import Metrics, create_app
from app.lifecycle import Expiry
from app.store.storage import VERIFY_FILE_RECHECK_SECONDS


@pytest.fixture
def web(service):
    service.add_project("web")
    service.add_project("api")
    service.add_environment("web", "production")
    service.add_environment("web", "staging")
    return service


@pytest.fixture
def metrics():
    return Metrics()


@pytest.fixture
def client(service, metrics):
    return testing.TestClient(create_app(lambda: service, metrics))


def authorize(client, token=None, project="web", environment=None, **headers):
    sent = dict(headers)
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if project is not None:
        sent["X-Deployment-Project"] = project
    if environment is not None:
        sent["X-Deployment-Environment"] = environment
    return client.simulate_get("/v1/authorize", headers=sent)


def test_a_valid_token_is_allowed_with_its_project_and_id(client, web):
    record, plaintext = web.generate("web")
    result = authorize(client, plaintext)
    assert result.status_code == 204
    assert result.headers["X-Deployment-Project"] == "web"
    assert result.headers["X-Deployment-Token-Id"] == str(record.id)
    assert authorize(client, plaintext, environment="production").status_code == 204


@pytest.mark.parametrize(
    "token",
    [None, "", "mldt_short", tokens.new_token()],
    ids=["missing", "empty", "malformed", "unknown"],
)
def test_no_good_token_is_401_with_a_bearer_challenge(client, web, token):
    result = authorize(client, token)
    assert result.status_code == 401
    assert result.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_and_expired_tokens_are_401(client, web, database_url):
    record, revoked = web.generate("web")
    web.revoke("web", record.id)
    assert authorize(client, revoked).status_code == 401
    _, expiring = web.generate("web", expiry=Expiry.after(timedelta(microseconds=1)))
    assert authorize(client, expiring).status_code == 401


def test_a_valid_token_for_another_project_or_environment_is_403(client, web):
    _, plaintext = web.generate("web", environments=["staging"])
    assert authorize(client, plaintext, project="api").status_code == 403
    refused = authorize(client, plaintext, environment="production")
    assert refused.status_code == 403
    assert "not allowed in environment 'production'" in refused.text
    assert plaintext not in refused.text


@pytest.mark.parametrize(
    ("headers", "said"),
    [
        ({"Authorization": "Bearer a, Bearer b"}, "one Authorization header"),
        ({"X-Deployment-Project": "w\u00e9b"}, "not ASCII"),
    ],
)
def test_what_no_gateway_sends_is_400(client, web, headers, said):
    result = client.simulate_get(
        "/v1/authorize", headers={"X-Deployment-Project": "web", **headers}
    )
    assert result.status_code == 400
    assert said in result.text


def test_a_large_body_is_400_before_anything_reads_it(client, web):
    result = client.simulate_post("/v1/introspect", body=b"token=" + b"x" * 10_000)
    assert result.status_code == 400


def test_a_token_sent_as_the_project_or_environment_is_400_and_never_echoed(client, web):
    _, plaintext = web.generate("web")
    for project, environment in ((plaintext, None), ("web", plaintext)):
        result = authorize(client, plaintext, project=project, environment=environment)
        assert result.status_code == 400  # the caller's mistake, not the database's (503)
        assert plaintext not in result.text
        assert plaintext[5:20] not in result.text


def test_a_missing_project_header_is_400(client, web):
    _, plaintext = web.generate("web")
    assert authorize(client, plaintext, project=None).status_code == 400


@pytest.mark.only_backend("sqlite")
def test_with_the_database_gone_every_verification_is_503_never_401(
    client, web, database_path: Path
):
    _, plaintext = web.generate("web")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database_path}{suffix}").unlink(missing_ok=True)
    time.sleep(VERIFY_FILE_RECHECK_SECONDS * 1.5)  # verify looks at the file that often
    result = authorize(client, plaintext)
    assert result.status_code == 503
    assert result.headers["Retry-After"] == "5"
    assert client.simulate_get("/readyz").status_code == 503
    assert client.simulate_get("/healthz").status_code == 200


def introspect(client, form, name="gateway", secret=None):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if secret is not None:
        credentials = base64.b64encode(f"{name}:{secret}".encode()).decode()
        headers["Authorization"] = f"Basic {credentials}"
    return client.simulate_post("/v1/introspect", body=form, headers=headers)


def test_introspection_answers_rfc_7662_for_an_authenticated_client(client, web):
    _, secret = web.add_client("gateway")
    record, plaintext = web.generate("web", environments=["production"])
    active = introspect(client, f"token={plaintext}", secret=secret)
    assert active.status_code == 200
    assert active.json == {
        "active": True,
        "token_type": "deployment_token",
        "project": "web",
        "environments": ["production"],
        "token_id": record.id,
        "iat": int(record.created_at.timestamp()),
        "exp": int(record.expires_at.timestamp()),
    }
    web.revoke("web", record.id)
    assert introspect(client, f"token={plaintext}", secret=secret).json == {"active": False}
    unknown = introspect(client, f"token={tokens.new_token()}", secret=secret)
    assert unknown.json == {"active": False}


def test_introspection_refuses_unknown_clients_and_wrong_secrets(client, web):
    _, secret = web.add_client("gateway")
    _, plaintext = web.generate("web")
    # One character off, and never by chance the same character.
    one_off = secret[:-1] + ("y" if secret.endswith("x") else "x")
    for name, wrong in (("gateway", one_off), ("someone", secret), ("gateway", None)):
        refused = introspect(client, f"token={plaintext}", name=name, secret=wrong)
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"].startswith("Basic")
    web.revoke_client("gateway")
    assert introspect(client, f"token={plaintext}", secret=secret).status_code == 401


def test_readiness_says_why_when_the_salt_is_not_the_databases(client, web, monkeypatch):
    web.generate("web")  # the first generate records the salt's fingerprint
    assert client.simulate_get("/readyz").status_code == 200
    monkeypatch.setenv(config.SALT_ENV, "another-salt-entirely-0123456789-abcdefghijk")
    result = client.simulate_get("/readyz")
    assert result.status_code == 503
    assert "salt" in result.text
    assert "another-salt" not in result.text


def test_metrics_count_verifications_by_outcome(client, web):
    _, plaintext = web.generate("web")
    authorize(client, plaintext)
    authorize(client, tokens.new_token())
    text = client.simulate_get("/metrics").text
    assert (
        'deployment_tokens_verifications_total{endpoint="authorize",outcome="allowed"} 1.0' in text
    )
    assert (
        'deployment_tokens_verifications_total{endpoint="authorize",outcome="unknown"} 1.0' in text
    )
    assert "deployment_tokens_verification_seconds_bucket" in text
    assert plaintext not in text


def test_clients_are_added_listed_and_revoked_on_the_command_line(cli, store):
    added = cli("clients", "add", "edge-gateway")
    assert added.code == 0, added.err
    secret = added.out.strip()
    assert added.out == secret + "\n"
    assert secret.startswith("mldc_")
    assert secret not in repr(store.dump())
    assert "edge-gateway" in cli("clients", "list").out
    assert cli("clients", "add", "Edge-Gateway").code == 1
    assert cli("clients", "revoke", "edge-gateway").code == 0
    assert cli("clients", "revoke", "edge-gateway").code == 1


def test_revocation_keys_are_added_listed_and_revoked_on_the_command_line(cli, store):
    added = cli("revocation-keys", "add", "gitlab.example.com")
    assert added.code == 0, added.err
    key = added.out.strip()
    assert added.out == key + "\n"
    assert key.startswith("mldr_")
    assert key not in repr(store.dump())
    assert "gitlab.example.com" in cli("revocation-keys", "list").out
    assert cli("revocation-keys", "add", "GitLab.example.com").code == 1
    assert cli("revocation-keys", "revoke", "gitlab.example.com").code == 0
    assert cli("revocation-keys", "revoke", "gitlab.example.com").code == 1


def test_a_project_name_that_is_not_ascii_comes_back_percent_encoded(client, service):
    full_width = "\uff57\uff45\uff42"  # the same key as "web"
    service.add_project(full_width)
    _, plaintext = service.generate(full_width)
    result = authorize(client, plaintext, project="web")
    assert result.status_code == 204
    assert result.headers["X-Deployment-Project"] == "%EF%BD%97%EF%BD%85%EF%BD%82"


def test_guessing_client_secrets_is_throttled_and_never_holds_up_the_right_secret(
    service, web, metrics
):
    from app.http.rate_limits import LIMIT, RateLimits

    now = [0.0]
    limits = RateLimits(window_seconds=60, clock=lambda: now[0])
    throttled = testing.TestClient(create_app(lambda: service, metrics, limits))
    _, secret = web.add_client("gateway")
    _, plaintext = web.generate("web")
    # Thirty bad guesses, from the one address every caller behind a gateway shares.
    answers = [
        introspect(throttled, f"token={plaintext}", name=name, secret="wrong")
        for name in ("gateway", "someone") * 15
    ]
    assert [a.status_code for a in answers] == [401] * LIMIT + [429] * (30 - LIMIT)
    assert answers[-1].headers["Retry-After"] == "60"
    assert answers[-1].json == {"error": "too_many_requests"}
    allowed = introspect(throttled, f"token={plaintext}", secret=secret)
    assert allowed.status_code == 200  # the right secret is never throttled
    assert allowed.json["active"] is True
    assert introspect(throttled, f"token={plaintext}", secret="wrong").status_code == 429
    now[0] = 60.0
    assert introspect(throttled, f"token={plaintext}", secret="wrong").status_code == 401


def test_guesses_at_one_client_are_throttled_from_any_address(client, web):
    from app.http.rate_limits import LIMIT

    _, secret = web.add_client("gateway")
    form = f"token={tokens.new_token()}"
    for n in range(LIMIT):  # one guess from each of ten addresses
        assert introspect_from(client, f"192.0.2.{n}", form, secret="wrong").status_code == 401
    assert introspect_from(client, "192.0.2.99", form, secret="wrong").status_code == 429
    # Another client's name, from a new address, is not held up; the right secret never.
    assert introspect_from(client, "192.0.2.99", form, "other", "wrong").status_code == 401
    right = introspect_from(client, "192.0.2.99", form, secret=secret).status_code
    assert right == 200


def test_failures_at_introspection_do_not_count_against_the_revocation_api(client, web):
    for _ in range(30):
        introspect(client, "token=x", secret="wrong")
    assert introspect(client, "token=x", secret="wrong").status_code == 429
    assert revoke_tokens(client, "mldr_wrong", []).status_code == 401


def introspect_from(client, address, form, name="gateway", secret=None, **headers):
    sent = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    if secret is not None:
        sent["Authorization"] = "Basic " + base64.b64encode(f"{name}:{secret}".encode()).decode()
    return client.simulate_post("/v1/introspect", body=form, headers=sent, remote_addr=address)


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(service, web):
    from app.http.rate_limits import LIMIT

    app = create_app(lambda: service, trusted_proxies=["10.0.0.0/24", "2001:db8::1"])
    behind = testing.TestClient(app)

    guesses = iter(range(1000))

    def guess(peer, forwarded_for=None, real_ip=None):
        headers = {}
        if forwarded_for is not None:
            headers["X-Forwarded-For"] = forwarded_for
        if real_ip is not None:
            headers["X-Real-IP"] = real_ip
        name = f"client-{next(guesses)}"  # a name of its own: only the address is counted
        return introspect_from(behind, peer, "token=x", name, "wrong", **headers).status_code

    # nginx (trusted) forwards ten failures from one caller, who also forged a hop:
    # that caller is counted, and another caller behind the same nginx is not held up.
    for _ in range(LIMIT):
        assert guess("10.0.0.5", forwarded_for="198.51.100.1, 203.0.113.9") == 401
    assert guess("10.0.0.5", forwarded_for="198.51.100.2, 203.0.113.9") == 429
    assert guess("10.0.0.5", forwarded_for="203.0.113.10") == 401
    assert guess("2001:db8::1", real_ip="203.0.113.9") == 429  # a trusted IPv6 proxy
    # A caller that is no trusted proxy is counted as itself, whatever it claims.
    for n in range(LIMIT):
        assert guess("192.0.2.1", forwarded_for=f"198.51.100.{n}", real_ip="1.2.3.4") == 401
    assert guess("192.0.2.1", forwarded_for="198.51.100.200") == 429


def test_ipv6_callers_are_counted_by_their_64(client, web):
    from app.http.rate_limits import LIMIT

    def guess(address, n):  # a client name of its own each time: only the address counts
        return introspect_from(client, address, "token=x", f"client-{n}", "x").status_code

    for n in range(LIMIT):  # a new address of the same /64 for every guess
        assert guess(f"2001:db8:0:1::{n + 1:x}", n) == 401
    assert guess("2001:db8:0:1:ffff::1", 100) == 429
    assert guess("2001:db8:0:2::1", 101) == 401


def test_a_secret_that_is_not_ascii_is_refused_not_an_error(client, web):
    web.add_client("gateway")
    assert introspect(client, "token=x", secret="s\u00e9cret").status_code == 401


def test_a_nul_in_the_client_name_is_a_failed_login_not_an_outage(client, web, metrics):
    # PostgreSQL cannot hold a NUL in text: the query must not be made with one.
    from app.http.rate_limits import LIMIT

    web.add_client("gateway")
    answers = [introspect(client, "token=x", name="a\x00b", secret="s") for _ in range(LIMIT + 1)]
    assert [a.status_code for a in answers] == [401] * LIMIT + [429]
    assert metrics.database_errors._value.get() == 0


# GitLab's Token Revocation API, with the request bodies GitLab documents.


class Secret(str):
    """A secret that a failing test's report shows as its prefix alone."""

    def __repr__(self) -> str:
        return repr(self[:5] + "\u2026")


@pytest.fixture
def revocation_key(web):
    _, key = web.add_revocation_key("gitlab")
    return Secret(key)


def revoke_tokens(client, key, body, **headers):
    sent = {"Content-Type": "application/json", **headers}
    if key is not None:
        sent.setdefault("Authorization", key)
    return client.simulate_post("/v1/revoke_tokens", json=body, headers=sent)


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


def test_an_unexpected_error_is_500_and_logged_without_the_query_string(web, caplog, capsys):
    def broken():
        raise RuntimeError("a bug")

    client = testing.TestClient(create_app(broken))
    _, plaintext = web.generate("web")
    result = client.simulate_get(
        "/v1/revocable_token_types", params={"t": plaintext}, headers={"Authorization": "k"}
    )
    assert result.status_code == 500
    assert plaintext not in result.text
    assert "/v1/revocable_token_types" in caplog.text  # logged, with its traceback
    assert "RuntimeError: a bug" in caplog.text
    assert plaintext not in caplog.text + "".join(capsys.readouterr())


@pytest.mark.only_backend("sqlite")
def test_readiness_says_what_is_wrong_and_logs_where(client, web, database_path, caplog):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database_path}{suffix}").unlink(missing_ok=True)
    time.sleep(VERIFY_FILE_RECHECK_SECONDS * 1.5)  # the file is looked at that often
    result = client.simulate_get("/readyz")
    assert result.status_code == 503
    assert result.text == "not ready: the database cannot answer\n"
    warned = [r for r in caplog.records if r.levelname == "WARNING"]
    assert any(str(database_path) in r.getMessage() for r in warned)
