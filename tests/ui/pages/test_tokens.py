"""The Deployment Tokens pane: renaming in place goes through the pane's one writer."""

from __future__ import annotations

import threading

from app.service import TokenService
from tests.support.ui import copy_and_close, message_box, open_tokens_pane
from ui.models.tokens import Column


def test_a_rename_while_another_write_runs_is_refused_with_a_reason(
    qtbot, window, service: TokenService, web_project, monkeypatch, no_clipboard_left
):
    service.generate("web", "token 00")
    open_tokens_pane(qtbot, window, "web")
    pane = window.project_page().tokens_pane()
    release = threading.Event()
    generate = window.service.generate

    def slow_generate(*args: object, **kwargs: object) -> object:
        release.wait(10)
        return generate(*args, **kwargs)

    monkeypatch.setattr(window.service, "generate", slow_generate)
    pane.generate()
    assert pane.is_busy()
    assert not pane.generate_button().isEnabled()  # slow: Generate waits
    model = pane.model()
    model.setData(model.index(0, Column.NAME), "renamed")
    box = message_box(qtbot)
    assert "still being saved" in box.text()
    box.close()
    release.set()
    copy_and_close(qtbot)  # the token generated meanwhile is revealed, as ever
    assert not pane.is_busy()
    assert pane.generate_button().isEnabled()
    assert "token 00" in [t.name for t in service.list_tokens("web")]
    assert "renamed" not in [t.name for t in service.list_tokens("web")]
