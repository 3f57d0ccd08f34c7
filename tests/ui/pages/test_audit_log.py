"""The project's Audit log pane: what it records, and every column readable at the default size."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.support.ui import click_list_item, click_row_with_text, project_sidebar, sidebar
from ui.models.audit import DETAILS, WHEN


def _open_audit_log(qtbot, window):
    click_list_item(qtbot, sidebar(window), "Projects")
    click_row_with_text(qtbot, window.projects_page().table(), "web")
    click_list_item(qtbot, project_sidebar(window), "Audit log")
    pane = window.project_page().audit_pane()
    qtbot.waitUntil(lambda: pane.model() is not None and pane.model().rowCount() > 0)
    return pane


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


def test_the_description_mentions_rotations_and_leaks(qtbot, window, service, web_project):
    service.generate("web")
    pane = _open_audit_log(qtbot, window)
    texts = [label.text() for label in pane.findChildren(QLabel) if label.isVisible()]
    assert any("rotated" in text and "leaked" in text for text in texts)
