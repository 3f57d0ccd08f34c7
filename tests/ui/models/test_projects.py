"""The project table model: Qt's own consistency checks."""

from __future__ import annotations

from ui.models.projects import ProjectTableModel


def test_project_model_passes_qt_model_tests(qtmodeltester, service):
    model = ProjectTableModel()
    qtmodeltester.check(model, force_py=True)
    for name in ("a", "b"):
        service.add_project(name)
    model.set_projects(service.list_projects())
    qtmodeltester.check(model, force_py=True)
