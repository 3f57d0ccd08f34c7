"""The confirmation before a token is deleted says when the token was last used: the
spec's "confirm that no active automation still depends on the token"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.data import used_ago
from tests.support.ui import button, click, message_box, open_tokens_pane


def ask_to_delete(qtbot, window):
    open_tokens_pane(qtbot, window, "web")
    click(qtbot, window.project_page().tokens_pane().table().action_button(0))
    return message_box(qtbot)


@pytest.mark.parametrize(
    ("ago", "said"),
    [
        (timedelta(minutes=3), "Something used this token 3 minutes ago: a pipeline may still "),
        (timedelta(hours=23), "Something used this token 23 hours ago: a pipeline may still "),
        (timedelta(days=3), "Last used 3 days ago."),
    ],
)
def test_the_confirmation_says_when_the_token_was_last_used(
    qtbot, window, service, web_project, store, ago, said
):
    _, plaintext = service.generate("web", "Nightly")
    used_ago(store, plaintext, ago)
    box = ask_to_delete(qtbot, window)
    assert box.informativeText().startswith(said)
    assert "stops working at once" in box.informativeText()
    # Cancel stays the default, and the buttons stay the spec's.
    assert box.defaultButton() is button(box, "Cancel")
    assert sorted(b.text() for b in box.buttons()) == ["Cancel", "Delete"]
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Cancel"))
    assert service.verify(plaintext) == "web"


def test_the_confirmation_says_when_the_token_was_never_used(qtbot, window, service, web_project):
    service.generate("web", "Nightly")
    box = ask_to_delete(qtbot, window)
    assert box.informativeText().startswith("Never used.")
    assert "Something used" not in box.informativeText()
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "Cancel"))
