"""Pushing tokens (``app/use_cases/pushing.py``): generate and push, rotate in four steps,
rotate-due, against a real OpenBao and documented fakes of GitHub and GitLab, on each
backend. The plaintext never comes back from a push: the tests read it where it went."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app import open_service
from app.destinations import github_target, gitlab_target, vault_target
from app.errors import ConfigurationError, NotFoundError, ValidationError
from app.use_cases.pushing import PushFailedError, PushPlan


@pytest.fixture
def web(service):
    service.add_project("web")
    return service


@pytest.fixture
def bao(web, openbao, monkeypatch):
    """Project web with a destination "bao": a real OpenBao secret under this test's prefix."""
    monkeypatch.setenv("VAULT_TOKEN", openbao.root_token)
    path = f"{openbao.path_prefix}/ci/web"
    web.add_destination("web", "bao", vault_target(openbao.url, path))
    return path


def pushed_value(openbao, path, version=None):
    return openbao.read(path, version)["data"]["token"]


def actions(service, project="web"):
    return [(event.action, event.token_id) for event in reversed(service.audit_log(project))]


def test_a_generated_token_goes_to_openbao_only_and_verifies_from_there(web, openbao, bao):
    pushed = web.generate_and_push("web", "bao", "CI deploy")
    assert not hasattr(pushed, "plaintext")
    assert pushed.receipt.confirmed == "read back version 1"
    value = pushed_value(openbao, bao)
    assert web.verify(value, "web") == "web"
    assert pushed.token.preview == value[:5] + "…" + value[-4:]
    custom = openbao.metadata(bao)["custom_metadata"]
    assert custom["project"] == "web"
    assert custom["token_id"] == str(pushed.token.id)
    assert custom["preview"] == pushed.token.preview
    assert value not in str(custom)
    [listed] = web.list_tokens("web")
    assert listed.destination_id == pushed.token.destination_id is not None
    [destination] = web.list_destinations("web")
    assert (destination.last_push_outcome, destination.last_push_detail) == (
        "pushed", "read back version 1",
    )  # fmt: skip
    assert actions(web)[-2:] == [("generated", listed.id), ("pushed", listed.id)]


def test_a_rotation_pushes_the_successor_and_the_old_token_lives_its_grace(web, openbao, bao):
    first = web.generate_and_push("web", "bao").token
    old_value = pushed_value(openbao, bao)
    rotated = web.rotate_and_push("web", first.id, grace=timedelta(hours=1))
    new_value = pushed_value(openbao, bao)
    assert new_value != old_value
    assert rotated.replaced == first.id
    assert rotated.receipt.confirmed == "read back version 2"
    assert web.verify(new_value, "web") == "web"
    assert web.verify(old_value, "web") == "web"  # its grace
    statuses = {t.id: t.status(web.now()) for t in web.list_tokens("web")}
    assert statuses == {first.id: "retiring", rotated.token.id: "active"}
    assert actions(web)[-3:] == [
        ("generated", rotated.token.id), ("pushed", rotated.token.id), ("rotated", first.id),
    ]  # fmt: skip


def test_a_rotation_without_grace_revokes_the_old_token_once_the_new_one_is_there(
    web, openbao, bao
):
    first = web.generate_and_push("web", "bao").token
    old_value = pushed_value(openbao, bao)
    web.rotate_and_push("web", first.id, "bao")
    assert web.verify(old_value, "web") is None
    assert web.verify(pushed_value(openbao, bao), "web") == "web"


def test_a_refused_credential_revokes_the_successor_and_keeps_the_old_token(
    web, openbao, bao, monkeypatch
):
    first = web.generate_and_push("web", "bao").token
    old_value = pushed_value(openbao, bao)
    monkeypatch.setenv("VAULT_TOKEN", "hvs.not-a-real-token")
    with pytest.raises(PushFailedError) as refused:
        web.rotate_and_push("web", first.id, grace=timedelta(days=1))
    message = str(refused.value)
    assert refused.value.step == "push"
    assert "step 2 (push) to bao failed" in message
    assert "$VAULT_TOKEN" in message
    assert "hvs.not-a-real-token" not in message
    assert f"token {first.id} is left as it was" in message
    [left] = web.list_tokens("web")
    assert (left.id, left.status(web.now()), left.replaced_by) == (first.id, "active", None)
    assert web.verify(old_value, "web") == "web"
    assert pushed_value(openbao, bao) == old_value  # nothing was written there
    successor = actions(web)[-3][1]
    assert actions(web)[-3:] == [
        ("generated", successor), ("revoked", successor), ("push failed", successor),
    ]  # fmt: skip
    [destination] = web.list_destinations("web")
    assert destination.last_push_outcome == "failed"


def test_the_server_down_mid_rotation_leaves_the_old_token_working(web, openbao, bao):
    first = web.generate_and_push("web", "bao").token
    old_value = pushed_value(openbao, bao)
    openbao.stop()
    try:
        with pytest.raises(PushFailedError, match="cannot reach"):
            web.rotate_and_push("web", first.id, grace=timedelta(days=1))
    finally:
        openbao.start()  # a dev server starts empty again
    assert [t.id for t in web.list_tokens("web")] == [first.id]
    assert web.verify(old_value, "web") == "web"


def test_a_failed_first_push_leaves_no_token(web, openbao, monkeypatch):
    monkeypatch.setenv("VAULT_TOKEN", openbao.root_token)
    # A policy that may not write there: the push is refused (403).
    path = f"{openbao.path_prefix}/ci/web"
    web.add_destination("web", "elsewhere", vault_target(openbao.url, path + "-other"))
    monkeypatch.setenv("VAULT_TOKEN", openbao.least_privilege_token(path))
    with pytest.raises(PushFailedError, match="403"):
        web.generate_and_push("web", "elsewhere")
    assert web.list_tokens("web") == []
    assert [a for a, _ in actions(web)][-3:] == ["generated", "revoked", "push failed"]


def test_a_least_privilege_token_is_enough(web, openbao, monkeypatch):
    path = f"{openbao.path_prefix}/ci/web"
    web.add_destination("web", "bao", vault_target(openbao.url, path))
    monkeypatch.setenv("BAO_TOKEN", openbao.least_privilege_token(path))
    web.generate_and_push("web", "bao")
    assert web.verify(pushed_value(openbao, path), "web") == "web"


def test_a_missing_credential_is_named_and_nothing_is_made(web, openbao):
    web.add_destination("web", "bao", vault_target(openbao.url, f"{openbao.path_prefix}/x"))
    before = actions(web)
    with pytest.raises(ConfigurationError, match=r"set VAULT_TOKEN \(or BAO_TOKEN\)"):
        web.generate_and_push("web", "bao")
    assert web.list_tokens("web") == []
    assert actions(web) == before


def test_a_dry_run_says_the_four_steps_and_changes_nothing(web, openbao, bao):
    first = web.generate_and_push("web", "bao").token
    before = (actions(web), pushed_value(openbao, bao))
    plan = web.rotate_and_push("web", first.id, grace=timedelta(days=1), dry_run=True)
    assert isinstance(plan, PushPlan)
    assert [step.split(":")[0] for step in plan.steps] == [
        "1. create", "2. push it to bao", "3. confirm", "4. finish",
    ]  # fmt: skip
    assert "$VAULT_TOKEN" in plan.steps[1]
    assert (actions(web), pushed_value(openbao, bao)) == before
    assert len(web.list_tokens("web")) == 1


def test_github_gets_the_token_sealed_for_its_key(web, github_fake, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", github_fake.token)
    monkeypatch.setenv("GITHUB_API_URL", github_fake.url)
    web.add_destination("web", "gh", github_target("acme/web", "deploy_token", "production"))
    pushed = web.generate_and_push("web", "gh")
    stored = github_fake.secret("acme/web", "DEPLOY_TOKEN", "production")
    assert web.verify(stored.plaintext, "web") == "web"
    assert pushed.token.preview == stored.plaintext[:5] + "…" + stored.plaintext[-4:]


def test_gitlab_gets_a_masked_hidden_protected_variable(web, gitlab_fake, monkeypatch):
    monkeypatch.setenv("GITLAB_TOKEN", gitlab_fake.token)
    web.add_destination("web", "gl", gitlab_target(gitlab_fake.url, 42, "DEPLOY_TOKEN", "prod"))
    first = web.generate_and_push("web", "gl").token
    web.rotate_and_push("web", first.id)
    variable = gitlab_fake.variables[("42", "DEPLOY_TOKEN", "prod")]
    assert (variable["masked"], variable["hidden"], variable["protected"]) == (True, True, True)
    assert web.verify(variable["value"], "web") == "web"
    assert [t.id for t in web.list_tokens("web")] != [first.id]


def test_removing_a_destination_forgets_it_on_its_tokens(web, openbao, bao):
    token = web.generate_and_push("web", "bao").token
    web.remove_destination("web", "bao")
    assert web.list_tokens("web")[0].destination_id is None
    with pytest.raises(ValidationError, match="never pushed"):
        web.rotate_and_push("web", token.id)
    with pytest.raises(NotFoundError, match="no destination 'bao'"):
        web.generate_and_push("web", "bao")


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def test_rotate_due_rotates_exactly_the_due_tokens_once(database_url, web, openbao, bao):
    from app.lifecycle import Expiry

    clock = Clock()
    with open_service(database_url, clock=clock) as timed:
        soon = timed.generate_and_push("web", "bao", expiry=Expiry.after(timedelta(days=30)))
        web.add_destination("web", "other", vault_target(openbao.url, f"{bao}-2"))
        later = timed.generate_and_push("web", "other", expiry=Expiry.after(timedelta(days=90)))
        by_hand, _ = timed.generate("web", expiry=Expiry.after(timedelta(days=20)))
        timed.set_rotation_policy("web", 14, timedelta(days=2))
        assert timed.rotate_due() == []  # nothing is within 14 days yet
        clock.now += timedelta(days=20)  # soon expires in 10 days, later in 70
        [due] = timed.rotate_due(dry_run=True)
        assert (due.token.id, due.outcome) == (soon.token.id, "due")
        [done] = timed.rotate_due()
        assert (done.token.id, done.outcome, done.destination) == (soon.token.id, "rotated", "bao")
        assert timed.verify(pushed_value(openbao, bao), "web") == "web"
        assert timed.rotate_due() == []  # a second run does nothing
        listed = {t.id: t for t in timed.list_tokens("web")}
        assert listed[soon.token.id].replaced_by == done.successor.id
        assert listed[soon.token.id].expires_at == clock.now + timedelta(days=2)
        assert listed[later.token.id].replaced_by is None
        assert listed[by_hand.id].replaced_by is None


def test_rotate_due_reports_a_failure_and_goes_on(database_url, web, openbao, bao, monkeypatch):
    from app.lifecycle import Expiry

    clock = Clock()
    with open_service(database_url, clock=clock) as timed:
        token = timed.generate_and_push("web", "bao", expiry=Expiry.after(timedelta(days=30)))
        clock.now += timedelta(days=20)
        timed.set_rotation_policy("web", 14)
        monkeypatch.setenv("VAULT_TOKEN", "hvs.wrong")
        [failed] = timed.rotate_due()
        assert failed.outcome == "failed"
        assert "403" in failed.detail
        assert [t.id for t in timed.list_tokens("web")] == [token.token.id]
        assert "push failed" in [a for a, _ in actions(timed)]


def test_a_token_whose_lifetime_is_within_the_window_is_skipped(database_url, web, bao):
    from app.lifecycle import Expiry

    web.generate_and_push("web", "bao", expiry=Expiry.after(timedelta(days=7)))
    web.set_rotation_policy("web", 14)
    [skipped] = web.rotate_due()
    assert skipped.outcome == "skipped"
    assert "shorten the window" in skipped.detail
    assert len(web.list_tokens("web")) == 1


def test_send_to_pushes_a_revealed_token_and_refuses_another_string(web, openbao, bao):
    record, plaintext = web.generate("web")
    other = "y" if plaintext.endswith("x") else "x"  # never the token itself
    with pytest.raises(ValidationError, match="does not verify"):
        web.push_token("web", record.id, plaintext[:-1] + other, "bao")
    pushed = web.push_token("web", record.id, plaintext, "bao")
    assert pushed_value(openbao, bao) == plaintext
    assert pushed.token.destination_id is not None


def test_a_destinations_test_writes_no_token(web, openbao, bao):
    receipt = web.check_destination("web", "bao")
    assert "marker" in receipt.confirmed
    [destination] = web.list_destinations("web")
    assert destination.last_push_outcome == "checked"


def test_a_check_and_set_conflict_mid_rotation_revokes_the_successor(
    web, openbao, bao, monkeypatch
):
    from app.destinations import vault

    first = web.generate_and_push("web", "bao").token
    read = vault._read
    raced = []

    def someone_else_writes_between(*args, **kwargs):
        answer = read(*args, **kwargs)
        if not raced:
            raced.append(openbao.write(bao, {"token": "written by a colleague"}))
        return answer

    monkeypatch.setattr(vault, "_read", someone_else_writes_between)
    with pytest.raises(PushFailedError, match="check-and-set conflict") as conflict:
        web.rotate_and_push("web", first.id, grace=timedelta(days=1))
    assert conflict.value.step == "push"
    assert pushed_value(openbao, bao) == "written by a colleague"  # theirs, kept
    [left] = web.list_tokens("web")
    assert (left.id, left.replaced_by) == (first.id, None)


def test_a_second_rotation_of_a_token_being_rotated_is_refused(web, openbao, bao, monkeypatch):
    """Two rotations at once would leave the destination holding the loser's revoked
    token: the first claims the old token until it finishes."""
    from app.errors import ConflictError
    from app.use_cases import pushing

    first = web.generate_and_push("web", "bao").token
    push = pushing.destinations.push
    refused = []

    def a_colleague_rotates_meanwhile(*args, **kwargs):
        if not refused:
            with pytest.raises(ConflictError, match="being rotated right now") as raised:
                web.rotate_and_push("web", first.id)
            refused.append(raised.value)
        return push(*args, **kwargs)

    monkeypatch.setattr(pushing.destinations, "push", a_colleague_rotates_meanwhile)
    rotated = web.rotate_and_push("web", first.id, grace=timedelta(hours=1))
    assert refused
    assert web.verify(pushed_value(openbao, bao), "web") == "web"
    listed = {t.id: t for t in web.list_tokens("web")}
    assert set(listed) == {first.id, rotated.token.id}  # the colleague made nothing
    assert listed[first.id].replaced_by == rotated.token.id


def test_a_rotation_killed_half_way_is_given_back_later(database_url, web, openbao, bao):
    from app.use_cases import pushing

    clock = Clock()
    with open_service(database_url, clock=clock) as timed:
        first = timed.generate_and_push("web", "bao").token

        def killed(*args, **kwargs):  # the process dies between its steps: no clean-up
            raise SystemExit(137)

        with pytest.MonkeyPatch.context() as dying:
            dying.setattr(pushing.Pushing, "_deliver", killed)
            with pytest.raises(SystemExit):
                timed.rotate_and_push("web", first.id)
        [claimed] = [t for t in timed.list_tokens("web") if t.id == first.id]
        assert claimed.replaced_by is None  # as it was, to every reader
        clock.now += timedelta(minutes=16)
        rotated = timed.rotate_and_push("web", first.id)
        assert timed.verify(pushed_value(openbao, bao), "web") == "web"
        abandoned = [e for e in timed.audit_log("web") if "abandoned" in e.detail]
        assert [e.action for e in abandoned] == ["revoked"]
        assert [t.id for t in timed.list_tokens("web")] == [rotated.token.id]


def test_a_failed_push_whose_event_cannot_be_written_still_revokes(web, openbao, bao, monkeypatch):
    from app.errors import StorageError
    from app.use_cases.context import Context

    audit = Context.audit

    def the_database_refuses_that_event(self, project, action, *args, **kwargs):
        if action == "push failed":
            raise StorageError("the database is locked")
        return audit(self, project, action, *args, **kwargs)

    monkeypatch.setattr(Context, "audit", the_database_refuses_that_event)
    monkeypatch.setenv("VAULT_TOKEN", "hvs.refused")
    with pytest.raises(PushFailedError):
        web.generate_and_push("web", "bao")
    assert web.list_tokens("web") == []


def test_a_lost_last_push_record_fails_no_rotation(web, openbao, bao, monkeypatch):
    from app.errors import StorageError
    from app.use_cases.destinations import Destinations

    first = web.generate_and_push("web", "bao").token

    def locked(*args, **kwargs):
        raise StorageError("the database is locked")

    monkeypatch.setattr(Destinations, "record_outcome", locked)
    rotated = web.rotate_and_push("web", first.id, grace=timedelta(hours=1))
    assert web.verify(pushed_value(openbao, bao), "web") == "web"
    statuses = {t.id: t.status(web.now()) for t in web.list_tokens("web")}
    assert statuses == {first.id: "retiring", rotated.token.id: "active"}


def test_a_failure_after_the_push_landed_puts_the_working_token_back(
    web, openbao, bao, monkeypatch
):
    """Step 3 fails once the successor is in OpenBao: it is revoked, and the version
    before it is written back, so the pipeline reads the token that still works."""
    from app.use_cases import pushing

    first = web.generate_and_push("web", "bao").token
    old_value = pushed_value(openbao, bao)

    def revoked_meanwhile(self, record, plaintext, where):
        raise ValidationError(f"token {record.id} does not verify (revoked meanwhile?)")

    monkeypatch.setattr(pushing.Pushing, "_confirm", revoked_meanwhile)
    with pytest.raises(PushFailedError, match=r"step 3 \(confirm\)") as failed:
        web.rotate_and_push("web", first.id)
    assert failed.value.step == "confirm"
    assert pushed_value(openbao, bao) == old_value  # version 3, a copy of version 1
    assert openbao.metadata(bao)["current_version"] == 3
    assert web.verify(old_value, "web") == "web"
    [event] = [e for e in web.audit_log("web") if e.action == "push failed"]
    assert "in bao, version 1 put back as version 3" in event.detail
