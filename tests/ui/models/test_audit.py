"""The audit table model: Qt's own consistency checks, paging, newest first, the filters,
the actions' names, and the event where the chain breaks marked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QIcon

from app.service import TokenService
from tests.support.data import filled
from ui.models.audit import ACTION, ACTIONS, BY, WHEN, AuditTableModel, action_name


def read_all(model: AuditTableModel) -> None:
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())


def test_audit_model_passes_qt_model_tests_and_pages(qtmodeltester, stepping_service):
    stepping_service.add_project("empty")
    qtmodeltester.check(AuditTableModel(stepping_service, "empty"), force_py=True)
    filled(stepping_service, 7)
    model = AuditTableModel(stepping_service, "web", page_size=3)
    qtmodeltester.check(model, force_py=True)
    read_all(model)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 7
    # Filtered, and with a row marked broken (a model of its own: one tester per model).
    filtered = AuditTableModel(stepping_service, "web", page_size=3)
    filtered.set_filters("generated", None)
    read_all(filtered)
    filtered.set_broken(filtered.record(2).seq)
    qtmodeltester.check(filtered, force_py=True)


def test_audit_model_lists_newest_first_and_refreshes(stepping_service):
    filled(stepping_service, 7)
    model = AuditTableModel(stepping_service, "web", page_size=3)
    read_all(model)
    assert [model.record(row).token_preview for row in range(7)] == [
        token.preview for token in stepping_service.list_tokens("web")
    ]  # newest first, like the tokens
    assert {model.index(row, 1).data() for row in range(7)} == {"Generated"}
    stepping_service.revoke("web", stepping_service.list_tokens("web")[0].id)
    assert model.refresh()
    assert model.index(0, 1).data() == "Revoked"
    assert not model.refresh()  # nothing new: the view is left alone


def test_every_action_the_trail_records_has_a_name():
    assert action_name("project deleted") == "Project deleted"
    assert action_name("access granted") == "Access granted"
    assert action_name("access revoked") == "Access revoked"
    assert action_name("generated") == "Generated"
    # One a later version adds reads as stored rather than not at all.
    assert action_name("teleported") == "teleported"
    from app.store.models import AuditEvent

    stored = {
        value
        for name, value in vars(AuditEvent).items()
        if name.isupper() and isinstance(value, str)
    }
    assert stored <= set(ACTIONS)


@pytest.mark.usefixtures("german")
def test_the_new_actions_are_named_in_german():
    assert action_name("project deleted") == "Projekt gelöscht"
    assert action_name("access granted") == "Zugriff erteilt"
    assert action_name("access revoked") == "Zugriff entzogen"


@pytest.fixture
def two_people(service: TokenService, people) -> tuple[TokenService, str, str]:
    """web: maria generates two tokens, devon one and revokes one of maria's; the
    service, and maria's and devon's names as the log has them."""
    service.add_project("web")
    maria, devon = people("maria", "web"), people("devon", "web")
    first, _ = maria.generate("web", "first")
    maria.generate("web", "second")
    devon.generate("web", "third")
    devon.revoke("web", first.id)
    return service, maria.actor, devon.actor


def shown(model: AuditTableModel) -> list[tuple[str, str]]:
    return [
        (model.index(row, ACTION).data(), model.index(row, BY).data())
        for row in range(model.rowCount())
    ]


def test_filters_read_one_action_or_one_person_from_the_first_page(two_people):
    service, maria, devon = two_people
    everything = service.audit_log("web")

    def expected(action: str | None = None, actor: str | None = None) -> list[tuple[str, str]]:
        return [
            (action_name(e.action), e.actor)
            for e in everything
            if action in (None, e.action) and actor in (None, e.actor)
        ]

    model = AuditTableModel(service, "web", page_size=2)
    read_all(model)
    assert shown(model) == expected()
    assert not model.is_filtered()
    model.set_filters("generated", None)
    assert model.is_filtered()
    assert model.filters() == ("generated", None)
    read_all(model)
    assert shown(model) == expected("generated")
    assert shown(model) == [("Generated", devon), ("Generated", maria), ("Generated", maria)]
    model.set_filters("generated", maria)
    read_all(model)
    assert shown(model) == [("Generated", maria), ("Generated", maria)]
    model.set_filters("revoked", maria)
    read_all(model)
    assert model.rowCount() == 0
    model.set_filters(None, None)
    read_all(model)
    assert shown(model) == expected()


def test_the_broken_event_is_marked_where_it_is_loaded(qtbot, two_people):
    model = AuditTableModel(two_people[0], "web")
    read_all(model)
    seq = model.record(1).seq
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.set_broken(seq)
    assert changed.args[0].row() == 1
    assert model.broken() == seq
    assert model.row_of(seq) == 1
    assert model.row_of(10**6) is None
    background = model.index(1, BY).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(background, QColor)
    assert background.alpha() < 255  # a tint: the palette's text stays readable
    assert isinstance(model.index(1, WHEN).data(Qt.ItemDataRole.DecorationRole), QIcon)
    said = model.index(1, WHEN).data(Qt.ItemDataRole.ToolTipRole)
    assert said.startswith("The audit chain breaks at this event")
    assert model.index(1, ACTION).data(Qt.ItemDataRole.AccessibleDescriptionRole) == said
    # The other rows are left alone.
    assert model.index(0, BY).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(0, WHEN).data(Qt.ItemDataRole.DecorationRole) is None
    model.set_broken(None)
    assert model.index(1, BY).data(Qt.ItemDataRole.BackgroundRole) is None


def test_rows_read_elsewhere_are_adopted_with_their_filters(two_people):
    service = two_people[0]
    model = AuditTableModel(service, "web", page_size=1)
    model.fetchMore(QModelIndex())
    records = service.audit_log("web", action="generated")
    with_reset = []
    model.modelReset.connect(lambda: with_reset.append(model.rowCount()))
    model.adopt(records, exhausted=True, action="generated", actor=None)
    assert with_reset == [3]
    assert model.filters() == ("generated", None)
    assert not model.canFetchMore(QModelIndex())
    assert [model.record(row) for row in range(3)] == records
