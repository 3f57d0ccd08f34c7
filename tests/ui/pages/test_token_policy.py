"""Settings > Token policy: the stored policy shown, changed and saved; a maximum
lifetime rules out tokens that never expire."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.lifecycle import TokenPolicy
from tests.support.ui import click
from ui.pages.token_policy import TokenPolicyPane


@pytest.fixture
def pane(qtbot, service, web_project) -> TokenPolicyPane:
    pane = TokenPolicyPane(service)
    qtbot.addWidget(pane)
    pane.show_project("web")
    pane.show()
    return pane


def choose(box, value) -> None:
    offered = [box.itemData(index) for index in range(box.count())]
    assert value in offered, value
    box.setCurrentIndex(offered.index(value))


def test_the_stored_policy_is_shown(pane, service):
    assert pane.policy() == service.token_policy("web")


def test_a_policy_chosen_is_saved_and_said(qtbot, pane, service):
    changed, said = [], []
    pane.changed.connect(lambda: changed.append(True))
    pane.status_message.connect(said.append)
    choose(pane.default_choice(), timedelta(days=30))
    choose(pane.maximum_choice(), timedelta(days=90))
    click(qtbot, pane.save_button())
    qtbot.waitUntil(lambda: not pane.is_busy())
    wanted = TokenPolicy(
        default_lifetime=timedelta(days=30),
        max_lifetime=timedelta(days=90),
        allow_no_expiry=False,
    )
    assert service.token_policy("web") == wanted
    assert changed == [True]
    assert said == ["Saved the token policy of web."]


def test_a_maximum_lifetime_rules_out_tokens_that_never_expire(pane):
    choose(pane.maximum_choice(), None)
    assert pane.allow_no_expiry().isEnabled()
    pane.allow_no_expiry().setChecked(True)
    choose(pane.maximum_choice(), timedelta(days=365))
    assert not pane.allow_no_expiry().isChecked()
    assert not pane.allow_no_expiry().isEnabled()


def test_a_stored_lifetime_not_among_the_choices_is_offered_too(pane, service):
    odd = timedelta(days=45)
    service.set_token_policy(
        "web", TokenPolicy(default_lifetime=odd, max_lifetime=None, allow_no_expiry=False)
    )
    pane.refresh()
    assert pane.default_choice().currentData() == odd
    assert pane.default_choice().currentText() == "45 days"


def test_automatic_rotation_round_trips(qtbot, pane, service):
    assert not pane.rotate_check().isChecked()
    assert not pane.rotate_before_days().isEnabled()
    assert not pane.grace_choice().isEnabled()
    assert pane.rotation() == (None, timedelta(0))
    click(qtbot, pane.rotate_check())
    assert pane.rotate_before_days().isEnabled()
    assert pane.grace_choice().isEnabled()
    assert pane.rotate_before_days().accessibleName() == "Days before expiry"
    assert (pane.rotate_before_days().minimum(), pane.rotate_before_days().maximum()) == (1, 365)
    pane.rotate_before_days().setValue(10)
    choose(pane.grace_choice(), timedelta(days=7))
    click(qtbot, pane.save_button())
    qtbot.waitUntil(lambda: not pane.is_busy())
    stored = service.rotation_policy("web")
    assert (stored.rotate_before_days, stored.grace) == (10, timedelta(days=7))
    again = TokenPolicyPane(service)
    qtbot.addWidget(again)
    again.show_project("web")
    again.show()
    assert again.rotation() == (10, timedelta(days=7))
    assert again.grace_choice().currentText() == "In 7 days"
    click(qtbot, again.rotate_check())
    click(qtbot, again.save_button())
    qtbot.waitUntil(lambda: not again.is_busy())
    assert service.rotation_policy("web").rotate_before_days is None


def test_a_grace_set_elsewhere_is_offered(pane, service):
    service.set_rotation_policy("web", 30, timedelta(hours=12))
    pane.refresh()
    assert pane.rotation() == (30, timedelta(hours=12))
    assert pane.grace_choice().currentText() == "12 hours"
