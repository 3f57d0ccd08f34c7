"""A changed salt is caught: the database remembers a fingerprint of the first one used."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from app import config, open_service
from app.errors import ConfigurationError
from app.service import TokenService
from app.store.storage import open_storage

OTHER_SALT = "a-completely-different-salt-of-enough-length"


def stored_fingerprint(store):
    [(fingerprint,)] = store.query("SELECT salt_fingerprint FROM control_state")
    return fingerprint


def test_the_first_generate_stores_a_fingerprint_and_never_the_salt(service, store, salt):
    service.add_project("web")
    assert stored_fingerprint(store) is None
    service.generate("web")
    fingerprint = stored_fingerprint(store)
    label = b"deployment-tokens salt fingerprint v1"
    assert fingerprint == hmac.new(salt, label, hashlib.sha256).hexdigest()
    dumped = repr(store.dump())
    assert salt.decode() not in dumped
    assert salt.decode()[:12] not in dumped


def test_a_changed_salt_is_refused_everywhere_and_writes_nothing(service, store, monkeypatch):
    service.add_project("web")
    _, plaintext = service.generate("web")
    monkeypatch.setenv(config.SALT_ENV, OTHER_SALT)
    before = store.dump()

    assert "the salt changed" in service.salt_problem()
    assert "existing tokens will not verify" in service.salt_problem()
    with pytest.raises(ConfigurationError, match="the salt changed") as raised:
        service.generate("web")
    assert OTHER_SALT not in str(raised.value)
    with pytest.raises(ConfigurationError, match="the salt changed"):
        service.verify(plaintext)
    # Garbage too: a verifier with the wrong salt must learn that first.
    with pytest.raises(ConfigurationError, match="the salt changed"):
        service.verify("not a token")
    assert store.dump() == before


def test_setting_the_salt_back_makes_everything_work_again(service, monkeypatch):
    service.add_project("web")
    _, plaintext = service.generate("web")
    original = config.load_salt().decode()
    monkeypatch.setenv(config.SALT_ENV, OTHER_SALT)
    with pytest.raises(ConfigurationError):
        service.verify(plaintext)
    monkeypatch.setenv(config.SALT_ENV, original)
    assert service.salt_problem() is None
    assert service.verify(plaintext) == "web"
    service.generate("web")


def test_another_client_with_another_salt_is_refused(database_url, monkeypatch):
    with open_service(database_url) as first:
        first.add_project("web")
        first.generate("web")
    monkeypatch.setenv(config.SALT_ENV, OTHER_SALT)
    with open_service(database_url) as second, pytest.raises(ConfigurationError):
        second.generate("web")


def test_verify_exits_2_and_says_the_salt_changed(service, cli_process, database_url):
    service.add_project("web")
    _, plaintext = service.generate("web")
    result = cli_process(
        "verify",
        "--database",
        database_url,
        stdin=plaintext + "\n",
        env={config.SALT_ENV: OTHER_SALT},
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "the salt changed" in result.stderr
    assert "existing tokens will not verify" in result.stderr
    assert OTHER_SALT not in result.stderr


def test_two_first_generates_with_different_salts_leave_one_salt(database_url, store):
    """Whoever commits first sets the salt; the other is refused, never overwrites it."""
    import threading

    from app import tokens

    with open_service(database_url) as setup:
        setup.add_project("web")
    salts = [config.load_salt().decode(), OTHER_SALT]
    services = [
        TokenService(open_storage(database_url), environ={config.SALT_ENV: salt}) for salt in salts
    ]
    outcomes: dict[str, str] = {}
    barrier = threading.Barrier(len(salts))

    def generate(service, salt) -> None:
        barrier.wait()
        try:
            service.generate("web")
            outcomes[salt] = "generated"
        except ConfigurationError:
            outcomes[salt] = "refused"
        finally:
            service.close()

    threads = [
        threading.Thread(target=generate, args=pair) for pair in zip(services, salts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for service in services:
        service.close()  # the connection each opened in this thread
    assert sorted(outcomes.values()) == ["generated", "refused"]
    [winner] = [salt for salt, outcome in outcomes.items() if outcome == "generated"]
    assert stored_fingerprint(store) == tokens.salt_fingerprint(winner.encode())
    assert store.table_counts()["deployment_token"] == 1
