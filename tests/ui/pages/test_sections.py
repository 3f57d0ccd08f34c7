"""The sections built when first opened (``ui/pages/sections.py``): the sidebar lists them
under their panes' own names, and opening a project builds none of their panes."""

from __future__ import annotations

from ui.pages import sections


def test_the_lazy_sections_are_listed_and_built_only_when_opened(qtbot, window, service):
    window.open_project(service.add_project("web"))
    page = window.project_page()
    listed = [page.sidebar().item(row).text() for row in range(page.sidebar().count())]
    for name in (sections.AUDIT_LOG, sections.NOTIFICATIONS, sections.TRUSTED_DEPLOYERS):
        assert name in listed
    assert page._audit_pane is None  # opened on its tokens: nothing else built
    assert page._notifications_pane is None
    assert page._deployers_pane is None
    page.show_section(sections.NOTIFICATIONS)
    assert page.current_pane() is page.notifications_pane()
    assert page._deployers_pane is None
