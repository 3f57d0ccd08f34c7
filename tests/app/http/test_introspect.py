"""POST /v1/introspect (RFC 7662) for an authenticated client, and the throttling of
guessed client secrets, through Falcon's test client."""

from __future__ import annotations

from falcon import testing

from app import tokens
from app.http.application import create_app
from app.http.rate_limits import RateLimits
from tests.support.endpoints import introspect, introspect_from


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


def test_guessing_client_secrets_is_throttled_and_never_holds_up_the_right_secret(
    service, web, metrics
):
    from app.http.rate_limits import LIMIT

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
