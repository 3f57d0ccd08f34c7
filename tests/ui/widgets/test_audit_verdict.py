"""Verify's answer (ui/widgets/audit_verdict.py): the words, the count in the user's
locale, the head shortened in the sentence and whole in a field to copy."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QLabel

from app import audit_verify
from app.audit_chain import GENESIS_HASH, ChainedEvent, event_hash
from app.audit_verify import Head, Verdict
from ui import resources
from ui.widgets.audit_verdict import (
    BROKEN,
    BUSY,
    INTACT,
    VerdictBanner,
    broken_text,
    intact_text,
    reason_text,
    short_head,
)

HEAD = Head(1204, "ab12cd34ef56" + "0" * 52)


@pytest.fixture
def us_english():
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(QLocale.system())


@pytest.mark.usefixtures("us_english")
def test_intact_says_how_many_events_in_the_locale_and_the_head_shortened():
    assert short_head(HEAD) == "1204:ab12cd34ef56…"
    assert intact_text(Verdict(1204, HEAD)) == "Intact: 1,204 events, head 1204:ab12cd34ef56…"
    assert intact_text(Verdict(1, Head(1, HEAD.hash))) == "Intact: 1 event, head 1:ab12cd34ef56…"
    assert intact_text(Verdict(0, None)) == "Intact: the audit log holds no events yet."


@pytest.mark.usefixtures("german")
def test_intact_in_german_groups_digits_as_germans_do():
    assert intact_text(Verdict(1204, HEAD)) == (
        "Intakt: 1.204 Ereignisse, Kettenkopf 1204:ab12cd34ef56…"
    )


def test_broken_names_the_event_the_reason_and_where_it_is():
    verdict = Verdict(
        310, HEAD, 311, "event 311 was changed: its content no longer matches its hash"
    )
    assert broken_text(verdict, here=True) == (
        "Broken at event 311: event 311 was changed: its content no longer matches its hash. "
        "Its row is highlighted below."
    )
    assert broken_text(verdict, here=True, filters_cleared=True).endswith(
        "Its row is highlighted below; the filters were cleared to show it."
    )
    assert broken_text(verdict, here=False).endswith(
        "Event 311 is not in this project's log: it is another project's, or it was removed."
    )


def test_the_banner_shows_the_whole_head_to_copy_and_says_its_answer(qtbot):
    banner = VerdictBanner()
    qtbot.addWidget(banner)
    banner.show()
    assert banner.isHidden() is False
    banner.show_busy()
    assert banner.state() == BUSY
    assert banner.text().startswith("Verifying the whole audit log")
    assert not banner.head_field().isVisible()
    banner.show_intact(Verdict(1204, HEAD))
    assert banner.state() == INTACT
    assert banner.property("state") == INTACT
    assert banner.head_field().isVisible()
    assert banner.head_field().text() == str(HEAD)
    assert banner.head_field().isReadOnly()
    # What a screen reader is given, besides the announcement.
    assert banner.accessibleDescription() == banner.text()
    assert banner.copy_button().accessibleName() == "Copy head"
    [label] = [w for w in banner.findChildren(QLabel) if w.buddy() is banner.head_field()]
    assert label.text() == "Hea&d:"
    banner.copy_button().click()
    assert QApplication.clipboard().text() == str(HEAD)
    QApplication.clipboard().clear()
    banner.show_broken("Broken at event 3: why. Its row is highlighted below.")
    assert banner.state() == BROKEN
    assert not banner.head_field().isVisible()
    assert banner.head_field().text() == ""


def chain(count: int) -> list[ChainedEvent]:
    """A correct chain of ``count`` events."""
    events, previous = [], GENESIS_HASH
    for seq in range(1, count + 1):
        event = ChainedEvent(
            seq, datetime(2026, 1, seq), "maria", "generated", "web", seq, None, ""
        )
        event.hash = previous = event_hash(previous, event)
        events.append(event)
    return events


def broken_chains() -> dict[str, list[ChainedEvent]]:
    """One chain for each way app.audit_verify says it is broken."""
    changed = chain(4)
    changed[1].detail = "edited"
    last_changed = chain(4)
    last_changed[3].detail = "edited"
    swapped = chain(4)
    swapped[1], swapped[2] = swapped[2].renumbered(2), swapped[1].renumbered(3)
    again = chain(4)
    again[2] = again[1].renumbered(2)
    return {
        "changed": changed,
        "does not follow": last_changed,
        "reordered": swapped,
        "one removed": [e for e in chain(4) if e.seq != 2],
        "several removed": [e for e in chain(5) if e.seq not in (2, 3)],
        "appears again": again,
    }


def test_every_reason_verify_gives_is_said_in_the_user_s_language(qapp, compiled_catalogs):
    reasons = [audit_verify.verify(events).reason for events in broken_chains().values()]
    assert len(set(reasons)) == len(reasons)
    # In English, exactly as the command line says it.
    assert [reason_text(reason) for reason in reasons] == reasons
    assert reason_text("something new") == "something new"
    resources.install_translations(qapp, QLocale("de_DE"), catalogs=compiled_catalogs)
    try:
        german = [reason_text(reason) for reason in reasons]
    finally:
        resources.install_translations(qapp, QLocale.system())
    assert all(said != reason for said, reason in zip(german, reasons, strict=True)), german
    assert german[0] == "Ereignis 2 wurde geändert: Sein Inhalt passt nicht mehr zu seinem Hashwert"
