"""The audit table model: Qt's own consistency checks, paging, newest first."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from tests.support.data import filled
from ui.models.audit import AuditTableModel


def test_audit_model_passes_qt_model_tests_and_pages(qtmodeltester, stepping_service):
    stepping_service.add_project("empty")
    qtmodeltester.check(AuditTableModel(stepping_service, "empty"), force_py=True)
    filled(stepping_service, 7)
    model = AuditTableModel(stepping_service, "web", page_size=3)
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 7


def test_audit_model_lists_newest_first_and_refreshes(stepping_service):
    filled(stepping_service, 7)
    model = AuditTableModel(stepping_service, "web", page_size=3)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [model.record(row).token_preview for row in range(7)] == [
        token.preview for token in stepping_service.list_tokens("web")
    ]  # newest first, like the tokens
    assert {model.index(row, 1).data() for row in range(7)} == {"Generated"}
    stepping_service.revoke("web", stepping_service.list_tokens("web")[0].id)
    assert model.refresh()
    assert model.index(0, 1).data() == "Revoked"
    assert not model.refresh()  # nothing new: the view is left alone
