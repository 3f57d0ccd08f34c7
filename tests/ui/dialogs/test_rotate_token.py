"""Rotate…: a safe default grace, Enter that does the same in every style, and no
rotation offered where it makes no sense."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyleFactory,
    QWidget,
)

from app.records import TokenRecord
from tests.support.ui import button
from ui.dialogs.rotate_token import RotateTokenDialog

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def token(
    token_id: int,
    name: str,
    preview: str,
    *,
    expires_at: datetime | None,
    replaced_by: int | None = None,
) -> TokenRecord:
    return TokenRecord(
        id=token_id,
        project="web",
        name=name,
        preview=preview,
        created_at=NOW - timedelta(days=80),
        created_by="release-bot",
        last_used_at=None,
        expires_at=expires_at,
        replaced_by=replaced_by,
    )


NIGHTLY = token(2, "Nightly", "mldt_…x1Yz", expires_at=NOW + timedelta(days=10))


class Rotations:
    """What the dialog asked for, in order."""

    def __init__(self) -> None:
        self.graces: list[timedelta] = []

    def __call__(self, grace: timedelta) -> None:
        self.graces.append(grace)


def opened(qtbot, record: TokenRecord, rotations: Rotations, **kwargs) -> RotateTokenDialog:
    dialog = RotateTokenDialog(record, rotations, NOW, **kwargs)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


@pytest.fixture(params=["Fusion", "Windows"])
def style(request, qapp):
    """Every style this machine has that a desktop may give the app."""
    available = QStyleFactory.keys()
    if request.param not in available:
        pytest.skip(f"no {request.param} style here")
    before = QApplication.style().name()
    QApplication.setStyle(request.param)
    yield request.param
    QApplication.setStyle(before)


def test_a_day_of_grace_is_preselected_and_enter_presses_the_focused_button(qtbot, style):
    rotations = Rotations()
    dialog = opened(qtbot, NIGHTLY, rotations)
    checked = [radio for radio in dialog.findChildren(QRadioButton) if radio.isChecked()]
    assert [radio.text() for radio in checked] == ["In 24 hours"]
    # Stated, not left to the style: Rotate is the default, and Cancel shows as the
    # default only while it has the focus.
    rotate, cancel = button(dialog, "Rotate"), button(dialog, "Cancel")
    assert isinstance(rotate, QPushButton)
    assert isinstance(cancel, QPushButton)
    assert (rotate.isDefault(), rotate.autoDefault(), cancel.autoDefault()) == (True, True, True)
    # From the chosen grace, where the keyboard starts, Enter rotates with that grace.
    checked[0].setFocus()
    qtbot.waitUntil(checked[0].hasFocus)
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(checked[0], Qt.Key.Key_Return)
    assert rotations.graces == [timedelta(hours=24)]

    # On Cancel, Enter (the keypad's too) cancels: the button it is on, as it shows.
    again = Rotations()
    dialog = opened(qtbot, NIGHTLY, again)
    cancel = button(dialog, "Cancel")
    cancel.setFocus()
    qtbot.waitUntil(cancel.hasFocus)
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(cancel, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert again.graces == []
    assert dialog.result() == 0


def test_immediately_is_still_one_click_away_and_says_when_to_choose_it(qtbot):
    rotations = Rotations()
    dialog = opened(qtbot, NIGHTLY, rotations)
    immediately = button(dialog, "Immediately")
    assert "leaked" in immediately.toolTip()
    assert "leaked" in dialog.findChild(QLabel, "leakedHint").text()
    immediately.click()
    with qtbot.waitSignal(dialog.finished):
        button(dialog, "Rotate").click()
    assert rotations.graces == [timedelta(0)]


def test_a_rotated_token_is_refused_naming_its_successor_by_name_and_preview(qtbot):
    successor = token(8, "Nightly", "mldt_…a9Zq", expires_at=NOW + timedelta(days=90))
    retiring = token(2, "Nightly", "mldt_…x1Yz", expires_at=NOW + timedelta(hours=5), replaced_by=8)
    rotations = Rotations()
    dialog = opened(qtbot, retiring, rotations, successor=successor)
    said = dialog.findChild(QLabel, "rotationRefusal").text()
    assert said == (
        "“Nightly” (mldt_…x1Yz) cannot be rotated. "
        "Already rotated: “Nightly” (mldt_…a9Zq) replaces it."
    )
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "token 2" not in shown
    assert "token 8" not in shown
    # Nothing to choose, nothing to rotate: Close, which Enter presses.
    assert dialog.findChildren(QRadioButton) == []
    assert [b.text() for b in dialog.findChildren(QPushButton) if b.isVisible()] == ["Close"]
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert rotations.graces == []


def test_an_expired_token_is_refused_with_what_to_do_instead(qtbot):
    expired = token(3, "Old CI", "mldt_…Qk3v", expires_at=NOW - timedelta(days=3))
    rotations = Rotations()
    dialog = opened(qtbot, expired, rotations)
    said = dialog.findChild(QLabel, "rotationRefusal").text()
    assert said == "“Old CI” (mldt_…Qk3v) cannot be rotated. Expired: generate a new token instead."
    # No "the old token now expires <a past date>".
    assert dialog.findChild(QLabel, "currentExpiry") is None
    with qtbot.waitSignal(dialog.finished):
        button(dialog, "Close").click()
    assert rotations.graces == []


def test_the_current_expiry_is_said_as_a_date_and_how_far_off(qtbot):
    dialog = opened(qtbot, NIGHTLY, Rotations())
    said = dialog.findChild(QLabel, "currentExpiry").text()
    # Noon UTC: the same calendar day in any time zone the machine is in.
    assert "December 2026" in said
    assert said.endswith("(in 10 days).")
    dialog.reject()


def test_with_destinations_the_new_token_is_shown_or_pushed(qtbot):
    from dataclasses import replace

    from app.records import DestinationRecord

    def destination(id_: int, name: str) -> DestinationRecord:
        return DestinationRecord(id_, "web", name, "vault", "OpenBao/Vault …", NOW, "alice",
                                 ("VAULT_TOKEN", "BAO_TOKEN"))  # fmt: skip

    rotated, pushed = Rotations(), []
    places = [destination(1, "bao"), destination(2, "gh")]
    pushed_before = replace(NIGHTLY, destination_id=2)
    dialog = RotateTokenDialog(
        pushed_before, rotated, NOW, destinations=places,
        on_push=lambda grace, name: pushed.append((grace, name)),
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.open()
    choice = dialog.findChild(QWidget, "destinationChoice")
    assert choice.accessibleName() == "New token"
    assert [choice.itemText(i) for i in range(choice.count())] == [
        "Show the new token here", "Push to bao", "Push to gh",
    ]  # fmt: skip
    assert dialog.destination() == "gh"  # where it was pushed before
    dialog.choose(0)
    dialog.accept()
    assert pushed == [(timedelta(0), "gh")]
    assert rotated.graces == []
    plain = RotateTokenDialog(NIGHTLY, rotated, NOW, destinations=places, on_push=pushed.append)
    qtbot.addWidget(plain)
    assert plain.destination() is None  # never pushed: shown here, as before
    plain.accept()
    assert rotated.graces == [timedelta(hours=24)]
