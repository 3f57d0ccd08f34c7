"""The project's Audit log pane: what it records, every column readable at the default size
and each event whole below the table, Verify (intact, or the broken event marked), the
filters, and the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLabel

from tests.support.data import generated_at_once
from tests.support.ui import (
    click,
    click_list_item,
    click_row_with_text,
    project_sidebar,
    sidebar,
)
from ui.models.audit import BY, DETAILS, WHEN
from ui.widgets.audit_details import DETAILS as DETAILS_FIELD
from ui.widgets.audit_details import EVENT, HASH


def _open_audit_log(qtbot, window, project="web"):
    click_list_item(qtbot, sidebar(window), "Projects")
    click_row_with_text(qtbot, window.projects_page().table(), project)
    click_list_item(qtbot, project_sidebar(window), "Audit log")
    pane = window.project_page().audit_pane()
    qtbot.waitUntil(lambda: pane.model() is not None and pane.model().rowCount() > 0)
    return pane


def tamper(store, sql: str) -> None:
    """Change the trail behind the app's back: SQL on the file, or, on PostgreSQL, as a
    superuser with triggers off (the append-only trigger refuses anyone else)."""
    if store.backend == "sqlite":
        store.execute(sql)
        return
    import psycopg

    with psycopg.connect(store.url, autocommit=True) as connection:
        connection.execute("SET session_replication_role = replica")
        connection.execute(sql)  # type: ignore[arg-type]


def verified(qtbot, pane, state: str) -> str:
    click(qtbot, pane.verify_button())
    qtbot.waitUntil(lambda: not pane.is_busy() and pane.verdict().state() == state)
    assert pane.verdict().isVisible()
    return pane.verdict().text()


def test_a_leak_s_details_are_readable_at_the_default_size(qtbot, window, service, web_project):
    _, plaintext = service.generate("web")
    service.revoke_leaked([plaintext], source="ci-logs")
    pane = _open_audit_log(qtbot, window)
    table = pane.table()
    header = table.horizontalHeader()
    detail = table.model().index(0, DETAILS).data()
    assert detail == "leaked: found in ci-logs"
    # Details is on screen, whole, without scrolling sideways ...
    assert header.sectionViewportPosition(DETAILS) >= 0
    right_edge = header.sectionViewportPosition(DETAILS) + header.sectionSize(DETAILS)
    assert right_edge <= table.viewport().width()
    assert header.sectionSize(DETAILS) > table.fontMetrics().horizontalAdvance(detail)
    # ... and When is no wider than its longest text needs.
    when = max(table.fontMetrics().horizontalAdvance(t) for t in ("When", "just now"))
    assert header.sectionSize(WHEN) < when + 40
    # Whatever still does not fit is whole in the tooltip.
    assert table.model().index(0, DETAILS).data(Qt.ItemDataRole.ToolTipRole) == detail


def test_the_selected_event_is_shown_whole_below_the_table(
    qtbot, make_window, service, web_project
):
    source = "the nightly build log of the payments service, line 4711, " * 3
    _, plaintext = service.generate("web", "nightly")
    service.revoke_leaked([plaintext], source=source.strip())
    del plaintext
    window = make_window()
    window.resize(800, 500)  # the narrowest the window is pictured at
    pane = _open_audit_log(qtbot, window)
    details = pane.details()
    assert details.isVisible()
    assert details.hint().isVisible()
    click_row_with_text(qtbot, pane.table(), pane.model().index(0, WHEN).data())
    record = pane.model().record(0)
    assert details.record() == record
    assert details.value(DETAILS_FIELD) == f"leaked: found in {source.strip()}"
    assert details.value(EVENT) == str(record.seq)
    [chained] = [e for e in service.export_audit(project="web") if e.seq == record.seq]
    qtbot.waitUntil(lambda: details.value(HASH) == chained.hash)
    # Wrapped inside the window, never cut and never widening it.
    assert window.width() == 800
    field = details.findChild(QLabel, DETAILS_FIELD)
    assert field.wordWrap()
    assert field.isVisible()
    assert field.geometry().right() <= details.contentsRect().right()
    # Arrowing on: the panel follows.
    pane.table().setFocus()
    qtbot.keyClick(pane.table(), Qt.Key.Key_Down)
    assert details.record() == pane.model().record(1)
    qtbot.waitUntil(lambda: details.value(HASH) != "…")


def test_the_description_mentions_rotations_and_leaks(qtbot, window, service, web_project):
    service.generate("web")
    pane = _open_audit_log(qtbot, window)
    texts = [label.text() for label in pane.findChildren(QLabel) if label.isVisible()]
    assert any("rotated" in text and "leaked" in text for text in texts)


# --- Verify ---------------------------------------------------------------------------


def test_verify_says_intact_with_the_count_and_the_head_to_anchor(
    qtbot, window, service, web_project
):
    service.add_project("api")
    service.generate("web", "one")
    service.generate("api", "elsewhere")
    service.generate("web", "two")
    pane = _open_audit_log(qtbot, window)
    assert not pane.verdict().isVisible()  # nothing said before it is asked
    assert pane.verify_button().isEnabled()
    assert pane.verify_button().toolTip().startswith("Check the whole audit log")
    text = verified(qtbot, pane, "intact")
    head = service.audit_head()
    # The whole log: api's event too.
    assert text == f"Intact: {QLocale().toString(3)} events, head 3:{head.hash[:12]}…"
    assert pane.verdict().head_field().text() == str(head) == f"3:{head.hash}"
    assert pane.verdict().accessibleDescription() == text
    assert pane.model().broken() is None
    click(qtbot, pane.verdict().copy_button())
    assert QApplication.clipboard().text() == str(head)
    QApplication.clipboard().clear()


def test_verify_of_a_changed_event_highlights_its_row(qtbot, window, service, store, web_project):
    for name in ("one", "two", "three"):
        service.generate("web", name)
    tamper(store, "UPDATE audit_event SET actor = 'x' WHERE seq = 2")
    pane = _open_audit_log(qtbot, window)
    text = verified(qtbot, pane, "broken")
    assert text == (
        "Broken at event 2: event 2 was changed: its content no longer matches its hash. "
        "Its row is highlighted below."
    )
    model = pane.model()
    row = model.row_of(2)
    assert model.index(row, BY).data() == "x"
    assert model.broken() == 2
    assert model.index(row, BY).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert pane.table().currentIndex().row() == row
    assert pane.table().selectionModel().isRowSelected(row, QModelIndex())
    assert pane.details().value(EVENT) == "2"
    assert not pane.verdict().head_field().isVisible()


def test_a_broken_event_of_another_project_is_said_to_be_elsewhere(
    qtbot, window, service, store, web_project
):
    service.add_project("api")
    service.generate("web", "one")
    service.generate("api", "elsewhere")
    service.generate("web", "two")
    tamper(store, "UPDATE audit_event SET actor = 'x' WHERE seq = 2")
    pane = _open_audit_log(qtbot, window)
    text = verified(qtbot, pane, "broken")
    assert text.startswith("Broken at event 2: event 2 was changed")
    assert text.endswith(
        "Event 2 is not in this project's log: it is another project's, or it was removed."
    )
    assert pane.model().row_of(2) is None
    # No row is chosen for it. (A current row without a selection may come from the
    # table taking the focus, which Qt gives its first row: not what is tested here.)
    assert not pane.table().selectionModel().hasSelection()


def test_a_broken_event_the_filters_hide_is_shown_by_clearing_them(
    qtbot, window, service, store, web_project, people
):
    maria, devon = people("maria", "web"), people("devon", "web")
    maria.generate("web", "one")
    devon.generate("web", "two")
    maria.generate("web", "three")
    [seq] = [e.seq for e in service.audit_log("web") if e.actor == devon.actor]
    pane = _open_audit_log(qtbot, window)
    people_box = pane.actor_filter()
    people_box.setCurrentIndex(people_box.findText(maria.actor))
    assert pane.model().rowCount() == 2
    tamper(store, f"UPDATE audit_event SET detail = 'edited' WHERE seq = {seq}")
    text = verified(qtbot, pane, "broken")
    assert text.startswith(f"Broken at event {seq}: ")
    assert text.endswith("Its row is highlighted below; the filters were cleared to show it.")
    assert people_box.currentText() == "All people"
    assert pane.model().filters() == (None, None)
    assert pane.model().rowCount() == len(service.audit_log("web"))
    assert pane.table().currentIndex().row() == pane.model().row_of(seq)


def test_a_broken_event_far_down_the_log_is_read_and_scrolled_to(
    qtbot, window, service, store, web_project
):
    generated_at_once(service, "web", [f"token {index:03}" for index in range(160)])
    tamper(store, "UPDATE audit_event SET detail = 'edited' WHERE seq = 5")
    pane = _open_audit_log(qtbot, window)
    assert pane.model().rowCount() == 100  # the first page
    verified(qtbot, pane, "broken")
    model = pane.model()
    row = model.row_of(5)
    assert row is not None
    assert row >= 150
    table = pane.table()
    assert table.currentIndex().row() == row
    assert table.visualRect(model.index(row, 0)).intersects(table.viewport().rect())


# --- Filters --------------------------------------------------------------------------


@pytest.fixture
def two_people(service, web_project, people):
    """web: maria generates, devon generates and revokes maria's token; their names."""
    maria, devon = people("maria", "web"), people("devon", "web")
    first, _ = maria.generate("web", "first")
    devon.generate("web", "second")
    devon.revoke("web", first.id)
    return maria.actor, devon.actor


def test_the_filters_offer_the_log_s_actions_and_people(qtbot, window, service, two_people):
    maria, devon = two_people
    everything = service.audit_log("web")
    pane = _open_audit_log(qtbot, window)
    actions, people = pane.action_filter(), pane.actor_filter()
    offered = [actions.itemText(i) for i in range(actions.count())]
    assert offered[0] == "All actions"
    assert {"Generated", "Revoked"} <= set(offered[1:])
    assert offered[1:] == sorted(offered[1:])  # by name, as shown
    assert [people.itemText(i) for i in range(people.count())] == [
        "All people",
        *sorted({e.actor for e in everything}),
    ]
    assert actions.accessibleName() == "Filter by action"
    assert people.accessibleName() == "Filter by person"
    actions.setCurrentIndex(actions.findText("Revoked"))
    model = pane.model()
    assert [model.record(r).action for r in range(model.rowCount())] == ["revoked"]
    actions.setCurrentIndex(0)
    people.setCurrentIndex(people.findText(devon))
    assert {model.record(r).actor for r in range(model.rowCount())} == {devon}
    assert model.rowCount() == 2
    # Nothing left: the empty state says it is the filter, and the filters stay in reach.
    actions.setCurrentIndex(actions.findText("Generated"))
    people.setCurrentIndex(people.findText(maria))
    assert model.rowCount() == 1
    actions.setCurrentIndex(actions.findText("Revoked"))
    assert model.rowCount() == 0
    assert pane.empty_state().isVisible()
    assert pane.empty_state().text() == "No event matches the filter."
    assert actions.isVisible()
    assert people.isVisible()
    actions.setCurrentIndex(0)
    people.setCurrentIndex(0)
    assert model.rowCount() == len(everything)
    assert pane.table().isVisible()


def test_the_filters_start_over_for_each_project_and_follow_new_events(
    qtbot, window, service, two_people, people
):
    _, devon = two_people
    service.add_project("api")
    service.generate("api", "elsewhere")
    pane = _open_audit_log(qtbot, window)
    pane.actor_filter().setCurrentIndex(pane.actor_filter().findText(devon))
    kim = people("kim", "web")
    kim.generate("web", "by kim")
    pane.refresh()
    assert pane.actor_filter().currentText() == devon  # kept
    assert pane.actor_filter().findText(kim.actor) > 0  # and the new person offered
    window.project_page().show_project(service.find_project("api"), "Audit log")
    assert pane.actor_filter().currentText() == "All people"
    assert pane.model().filters() == (None, None)


def test_an_empty_log_says_nothing_happened_yet(qtbot, window, service, web_project):
    window.open_project(service.find_project("web"), "Audit log")
    pane = window.project_page().audit_pane()
    assert pane.empty_state().isVisible()
    assert pane.empty_state().text() == "Nothing has happened in this project yet."
    assert not pane.details().isVisible()
    assert pane.verify_button().isEnabled()


# --- The keyboard ---------------------------------------------------------------------


def test_every_control_is_reached_by_tab_and_has_a_mnemonic(qtbot, window, two_people):
    pane = _open_audit_log(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    pane.verify_button().setFocus()
    order = [QApplication.focusWidget()]
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [
        pane.verify_button(),
        pane.export_button(),
        pane.action_filter(),
        pane.actor_filter(),
        pane.table(),
    ]
    assert pane.verify_button().text() == "&Verify"
    assert pane.export_button().text() == "&Export…"
    buddies = {label.buddy(): label.text() for label in pane.findChildren(QLabel) if label.buddy()}
    assert buddies[pane.action_filter()] == "&Action:"
    assert buddies[pane.actor_filter()] == "&Person:"
    # After Verify, the head is on the way: field, then its Copy button.
    verified(qtbot, pane, "intact")
    pane.actor_filter().setFocus()
    qtbot.keyClick(pane.actor_filter(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is pane.verdict().head_field()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is pane.verdict().copy_button()


# --- PostgreSQL's levels --------------------------------------------------------------


@pytest.mark.only_backend("postgresql")
def test_a_viewer_of_one_project_sees_verify_disabled_saying_why(
    qtbot, service, web_project, login_roles
):
    service.generate("web", "ci")
    bob = login_roles.role("bob")
    service.grant_access(bob, "web", "viewer")
    window = login_roles.window(bob)
    pane = _open_audit_log(qtbot, window)
    button = pane.verify_button()
    assert button.isVisible()
    assert not button.isEnabled()
    assert button.toolTip() == "Needs viewer on all projects."
    assert button.accessibleDescription() == button.toolTip()
    assert not pane.verify()  # refused before the database would be
    # Export… needs only the project: it stays.
    assert pane.export_button().isEnabled()
    # The grant itself is in the log, under its own name.
    actions = [pane.model().index(r, 1).data() for r in range(pane.model().rowCount())]
    assert "Access granted" in actions


@pytest.mark.only_backend("postgresql")
def test_a_viewer_of_every_project_verifies(qtbot, service, web_project, login_roles):
    service.generate("web", "ci")
    carol = login_roles.role("carol")
    service.grant_access(carol, None, "viewer")
    window = login_roles.window(carol)
    pane = _open_audit_log(qtbot, window)
    assert pane.verify_button().isEnabled()
    assert pane.verify_refusal() is None
    assert verified(qtbot, pane, "intact").startswith("Intact: ")
