"""After Close, the app holds the plaintext in no widget and no Python object."""

from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from tests.support.ui import button, click, open_tokens_pane, reveal_dialog
from ui.dialogs.reveal_token import RevealTokenDialog

pytestmark = pytest.mark.usefixtures("no_clipboard_left")


def texts_of(widget: QWidget) -> list[str]:
    texts = [
        widget.windowTitle(),
        widget.toolTip(),
        widget.statusTip(),
        widget.whatsThis(),
        widget.accessibleName(),
        widget.accessibleDescription(),
    ]
    if isinstance(widget, QLineEdit):
        texts += [widget.text(), widget.displayText(), widget.placeholderText()]
    if isinstance(widget, QLabel | QAbstractButton):
        texts.append(widget.text())
    return texts


def everything_shown() -> str:
    return "\n".join(text for widget in QApplication.allWidgets() for text in texts_of(widget))


def test_no_widget_or_object_holds_the_token_after_close(
    qtbot, window, web_project, settings: QSettings, monkeypatch
):
    # Catch the very object the service hands the app, to count who still refers to it.
    handed_out: list[str] = []
    generate = window.service.generate

    def spy(*args, **kwargs):
        record, plaintext = generate(*args, **kwargs)
        handed_out.append(plaintext)
        return record, plaintext

    monkeypatch.setattr(window.service, "generate", spy)
    open_tokens_pane(qtbot, window, "web")
    click(qtbot, button(window, "Generate deployment token"))
    dialog = reveal_dialog(qtbot)
    plaintext = handed_out.pop()
    assert dialog.token_field().text() == plaintext
    assert plaintext in everything_shown()  # the check below can see it when it is there
    click(qtbot, button(dialog, "Copy token"))
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))
    QApplication.clipboard().clear()
    del dialog
    qtbot.waitUntil(lambda: not window.findChildren(RevealTokenDialog))
    gc.collect()

    assert plaintext not in everything_shown()
    # Only this test's own references remain (its variable and getrefcount's argument):
    # no pane, model, dialog or closure kept the string the service returned.
    assert sys.getrefcount(plaintext) == 2
    settings.sync()
    with open(settings.fileName(), encoding="utf-8") as stored:
        assert plaintext not in stored.read()
    assert plaintext[5:13] not in window.statusBar().currentMessage()


def test_closing_the_dialog_by_any_route_empties_the_field(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    for close in ("accept", "done"):
        click(qtbot, button(window, "Generate deployment token"))
        dialog = reveal_dialog(qtbot)
        field = dialog.token_field()
        assert field.text()
        with qtbot.waitSignal(dialog.finished):
            dialog.accept() if close == "accept" else dialog.done(0)
        assert field.text() == ""
        assert not field.isUndoAvailable()
