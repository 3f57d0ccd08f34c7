"""Pushing to OpenBao KV version 2: against the real server (``bao server -dev``)."""

from __future__ import annotations

import time
import traceback
import urllib.parse

import pytest

from app import destinations, tokens
from app.destinations import vault
from app.destinations.targets import vault_target
from app.destinations.transport import DestinationError

METADATA = {"project": "web", "token_id": "17", "preview": "mldt_abc…", "expires": "2027-01-01"}


def test_a_push_creates_the_secret_and_reads_it_back(openbao):
    location = f"{openbao.path_prefix}/ci/web"
    token = tokens.new_token()
    target = vault_target(openbao.url, location)

    receipt = destinations.push(target, token, METADATA, {"BAO_TOKEN": openbao.root_token})

    assert receipt.version == "1"
    assert receipt.confirmed == "read back version 1"
    assert receipt.where == target.describe()
    assert openbao.read(location)["data"] == {"token": token}
    assert openbao.metadata(location)["custom_metadata"] == METADATA


def test_a_push_keeps_the_other_fields_and_metadata(openbao):
    location = f"{openbao.path_prefix}/ci/web"
    openbao.write(location, {"url": "https://deploy.example", "token": "old"})
    mount, _, rest = location.partition("/")
    openbao.api("POST", f"{mount}/metadata/{rest}", {"custom_metadata": {"owner": "team-a"}})
    token = tokens.new_token()

    receipt = vault.push(
        vault_target(openbao.url, location, "deploy"), token, METADATA, openbao.root_token, {}
    )

    assert receipt.version == "2"
    assert openbao.read(location)["data"] == {
        "url": "https://deploy.example",
        "token": "old",
        "deploy": token,
    }
    assert openbao.read(location, 1)["data"]["token"] == "old"
    assert openbao.metadata(location)["custom_metadata"] == {"owner": "team-a", **METADATA}


@pytest.mark.parametrize("removal", ["delete", "destroy"])
def test_a_secret_whose_current_version_is_gone_counts_by_that_version(openbao, removal):
    location = f"{openbao.path_prefix}/ci/web"
    openbao.write(location, {"token": "one"})
    openbao.write(location, {"token": "two"})
    mount, _, rest = location.partition("/")
    if removal == "delete":
        openbao.api("DELETE", f"{mount}/data/{rest}")  # soft-deletes version 2
    else:
        openbao.api("POST", f"{mount}/destroy/{rest}", {"versions": [2]})

    receipt = vault.push(
        vault_target(openbao.url, location), "three-value", {}, openbao.root_token, {}
    )

    assert receipt.version == "3"
    assert openbao.read(location)["data"] == {"token": "three-value"}  # nothing of "two"


def test_a_write_behind_the_clients_back_is_never_overwritten(openbao, monkeypatch):
    location = f"{openbao.path_prefix}/ci/web"
    openbao.write(location, {"token": "before"})
    read = vault._read
    calls = []

    def read_then_someone_else_writes(*args, **kwargs):
        answer = read(*args, **kwargs)
        if not calls:
            openbao.write(location, {"token": "theirs"})  # between our read and our write
        calls.append(answer)
        return answer

    monkeypatch.setattr(vault, "_read", read_then_someone_else_writes)
    with pytest.raises(DestinationError) as raised:
        vault.push(
            vault_target(openbao.url, location),
            tokens.new_token(),
            METADATA,
            openbao.root_token,
            {},
        )

    assert str(raised.value) == (
        f"check-and-set conflict: {location} changed meanwhile (now version 2); "
        "nothing was overwritten"
    )
    assert openbao.read(location)["data"] == {"token": "theirs"}
    assert openbao.metadata(location)["current_version"] == 2
    assert "project" not in (openbao.metadata(location)["custom_metadata"] or {})


def test_a_wrong_credential_names_the_variable_and_never_shows_itself(openbao):
    wrong = "s.wrong" + tokens.new_token()[5:]
    target = vault_target(openbao.url, f"{openbao.path_prefix}/ci/web")
    token = tokens.new_token()

    with pytest.raises(DestinationError) as raised:
        destinations.push(target, token, METADATA, {"BAO_TOKEN": wrong})

    text = str(raised.value)
    assert text.startswith("the credential was refused (403): check $BAO_TOKEN")
    shown = "".join(traceback.format_exception(raised.value)) + repr(raised.value)
    assert wrong not in shown
    assert token not in shown


def test_a_least_privilege_token_can_push_and_check(openbao):
    location = f"{openbao.path_prefix}/ci/web"
    limited = openbao.least_privilege_token(location)
    target = vault_target(openbao.url, location)
    token = tokens.new_token()

    checked = destinations.check(target, {"VAULT_TOKEN": limited})
    pushed = destinations.push(target, token, METADATA, {"VAULT_TOKEN": limited})
    again = destinations.push(target, tokens.new_token(), METADATA, {"VAULT_TOKEN": limited})

    assert checked.version is None
    assert checked.confirmed.startswith("metadata marker read back")
    assert (pushed.version, again.version) == ("1", "2")
    assert openbao.read(location, 1)["data"] == {"token": token}


def test_a_token_for_another_path_may_not_push_here(openbao):
    limited = openbao.least_privilege_token(f"{openbao.path_prefix}/ci/other")
    target = vault_target(openbao.url, f"{openbao.path_prefix}/ci/web")

    with pytest.raises(DestinationError) as pushed:
        vault.push(target, tokens.new_token(), METADATA, limited, {"VAULT_TOKEN": limited})
    with pytest.raises(DestinationError) as checked:
        vault.check(target, limited, {"VAULT_TOKEN": limited})

    assert str(pushed.value).startswith("the credential may not do this (403): permission denied")
    assert "$VAULT_TOKEN" in str(pushed.value)
    assert str(checked.value) == (
        "the credential may not do this (403): its policies lack create, read, update on "
        f"{openbao.path_prefix.replace('secret/', 'secret/data/')}/ci/web; check $VAULT_TOKEN"
    )
    assert limited not in str(pushed.value) + str(checked.value)


def test_check_leaves_the_secrets_data_alone(openbao):
    location = f"{openbao.path_prefix}/ci/web"
    openbao.write(location, {"token": "current"})

    receipt = vault.check(vault_target(openbao.url, location), openbao.root_token, {})

    assert receipt.version == "1"
    assert openbao.read(location)["data"] == {"token": "current"}
    marker = openbao.metadata(location)["custom_metadata"]["deployment_tokens_check"]
    assert marker in receipt.confirmed


def test_a_mount_that_does_not_exist_is_named(openbao):
    target = vault_target(openbao.url, "nowhere/ci/web")
    with pytest.raises(DestinationError, match=r"no KV version 2 mount at nowhere/"):
        vault.push(target, tokens.new_token(), {}, openbao.root_token, {})


def test_the_server_going_down_mid_push_says_it_cannot_be_reached(openbao, monkeypatch):
    location = f"{openbao.path_prefix}/ci/web"
    read = vault._read

    died_at = []

    def read_then_the_server_dies(*args, **kwargs):
        answer = read(*args, **kwargs)
        openbao.stop()  # about half a second: not what the bound below is about
        died_at.append(time.monotonic())
        return answer

    monkeypatch.setattr(vault, "_read", read_then_the_server_dies)
    with pytest.raises(DestinationError) as raised:
        vault.push(
            vault_target(openbao.url, location),
            tokens.new_token(),
            {},
            openbao.root_token,
            {},
            timeout=2,
        )

    # Refused at once, retries and all: nothing waits for the 2 s timeout.
    assert time.monotonic() - died_at[0] < 2
    assert str(raised.value) == f"cannot reach {openbao.url}: connection refused"
    assert raised.value.status is None


def test_a_private_ca_is_trusted_only_through_vault_cacert(openbao_tls):
    target = vault_target(openbao_tls.url, "secret/ci/web")
    token = tokens.new_token()

    with pytest.raises(DestinationError) as raised:
        vault.push(target, token, {}, openbao_tls.root_token, {})
    receipt = vault.push(
        target, token, {}, openbao_tls.root_token, {"VAULT_CACERT": openbao_tls.cacert}
    )

    assert str(raised.value).startswith(
        f"cannot reach {openbao_tls.url}: its TLS certificate is not trusted"
    )
    assert receipt.version == "1"


def test_an_unreadable_ca_file_is_named(openbao, tmp_path):
    missing = tmp_path / "ca.pem"
    with pytest.raises(DestinationError, match=f"cannot read the CA certificates in {missing}"):
        vault.check(
            vault_target(openbao.url, "secret/x"), openbao.root_token, {"BAO_CACERT": str(missing)}
        )


def test_the_namespace_comes_from_the_environment(openbao):
    namespace = openbao.namespace_with_kv()
    target = vault_target(openbao.url, "kv/ci/web")
    token = tokens.new_token()

    with pytest.raises(DestinationError, match="no KV version 2 mount at kv/"):
        vault.push(target, token, {}, openbao.root_token, {})
    receipt = vault.push(target, token, {}, openbao.root_token, {"BAO_NAMESPACE": namespace})

    assert receipt.version == "1"
    stored = openbao.api("GET", "kv/data/ci/web", namespace=namespace)["data"]["data"]
    assert stored == {"token": token}


def test_a_path_with_spaces_and_unicode_is_encoded(openbao):
    location = f"{openbao.path_prefix}/team a/cl\u00e9"
    token = tokens.new_token()

    receipt = vault.push(vault_target(openbao.url, location), token, {}, openbao.root_token, {})
    limited = openbao.least_privilege_token(location)
    checked = vault.check(vault_target(openbao.url, location), limited, {})

    assert receipt.version == "1"
    assert checked.version == "1"
    mount, _, rest = location.partition("/")
    encoded = "/".join(urllib.parse.quote(part) for part in rest.split("/"))
    assert openbao.api("GET", f"{mount}/data/{encoded}")["data"]["data"] == {"token": token}


def test_a_write_whose_answer_was_lost_is_not_written_twice(openbao, monkeypatch):
    from app.destinations import transport

    location = f"{openbao.path_prefix}/ci/web"
    send = transport.Client._send
    lost = []

    def answer_lost_once(client, request):
        answer = send(client, request)
        if request.get_method() == "POST" and "/data/" in request.full_url and not lost:
            lost.append(answer)  # the write landed; its answer never arrives
            raise DestinationError("cannot reach the server: connection reset")
        return answer

    monkeypatch.setattr(transport.Client, "_send", answer_lost_once)
    token = tokens.new_token()
    receipt = vault.push(
        vault_target(openbao.url, location), token, METADATA, openbao.root_token, {}
    )
    assert lost
    assert receipt.confirmed == "read back version 1"
    assert openbao.metadata(location)["current_version"] == 1
    assert openbao.read(location)["data"] == {"token": token}
