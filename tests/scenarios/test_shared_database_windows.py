"""Several clients on one database: the window shows what the others changed."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app import config
from app.service import TokenService
from tests.support.ui import (
    button,
    click,
    click_list_item,
    generate_and_close,
    message_box,
    open_tokens_pane,
    project_sidebar,
)
from ui import main_window

OTHER_SALT = "a-completely-different-salt-of-enough-length"


def previews(window) -> list[str]:
    model = window.project_page().tokens_pane().model()
    return [model.record(row).preview for row in range(model.rowCount())]


def run_cli(database_url: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--database", database_url, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def focus_elsewhere_and_back(qtbot, window) -> None:
    """The user switches to a terminal, then back to the app."""
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_a_change_in_another_window_appears_at_the_next_check(
    qtbot, monkeypatch, make_window, web_project
):
    monkeypatch.setattr(main_window, "CHANGE_CHECK_MS", 100)
    first = make_window()
    second = make_window()
    for window in (first, second):
        open_tokens_pane(qtbot, window, "web")

    generate_and_close(qtbot, first)
    qtbot.waitUntil(lambda: previews(second) == previews(first), timeout=3_000)
    assert len(previews(second)) == 1


def test_a_revoke_from_the_command_line_disappears_when_the_window_regains_focus(
    qtbot, window, service, web_project, database_url
):
    open_tokens_pane(qtbot, window, "web")
    kept, _ = service.generate("web", "kept")
    doomed, _ = service.generate("web", "doomed")
    window.check_for_changes()
    assert previews(window) == [doomed.preview, kept.preview]
    table = window.project_page().tokens_pane().table()
    table.selectRow(1)  # the user had "kept" selected

    run_cli(database_url, "tokens", "revoke", "--project", "web", str(doomed.id))
    assert previews(window) == [doomed.preview, kept.preview]  # not yet: no check ran
    focus_elsewhere_and_back(qtbot, window)
    assert previews(window) == [kept.preview]
    assert table.current_token_id() == kept.id  # the selection followed its token


def test_projects_and_counts_from_other_clients_appear(qtbot, window, service, database_url):
    run_cli(database_url, "projects", "add", "billing")
    service.add_project("api")
    service.generate("api")
    window.check_for_changes()
    listed = {p.name: p.token_count for p in window.projects_page().projects()}
    assert listed == {"api": 1, "billing": 0}


def test_a_changed_salt_shows_a_banner_and_generate_refuses(
    qtbot, make_window, service, web_project, monkeypatch, store
):
    service.generate("web")
    monkeypatch.setenv(config.SALT_ENV, OTHER_SALT)
    window = make_window()
    open_tokens_pane(qtbot, window, "web")
    banner = window.project_page().tokens_pane().banner()
    assert banner.isVisible()
    assert banner.text().startswith("The salt changed:")
    assert "existing tokens will not verify" in banner.text()
    assert OTHER_SALT not in banner.text()
    before = store.dump()

    click(qtbot, button(window, "Generate deployment token"))
    box = message_box(qtbot)
    assert box.windowTitle() == "Configuration error"
    assert box.text().startswith("The salt changed:")
    with qtbot.waitSignal(box.finished):
        click(qtbot, button(box, "OK"))
    assert store.dump() == before


def test_the_audit_log_lists_who_did_what_newest_first(qtbot, window, service, web_project, store):
    open_tokens_pane(qtbot, window, "web")
    generate_and_close(qtbot, window)
    first = window.project_page().tokens_pane().model().record(0)
    bot = TokenService(service.storage, actor="release-bot")
    # On PostgreSQL the database names its login role, whatever the client says.
    by_bot = "release-bot" if store.backend == "sqlite" else store.actor
    second, _ = bot.generate("web", "bot")
    bot.revoke("web", first.id)

    click_list_item(qtbot, project_sidebar(window), "Audit log")
    pane = window.project_page().audit_pane()
    assert window.project_page().current_pane() is pane
    model = pane.model()
    rows = [
        tuple(model.index(row, column).data() for column in range(model.columnCount()))
        for row in range(model.rowCount())
    ]
    assert [row[1:5] for row in rows] == [
        ("Revoked", first.preview, first.name, by_bot),
        ("Generated", second.preview, second.name, by_bot),
        ("Generated", first.preview, first.name, window.service.actor),
    ]
    # Details say what else was chosen: the expiry and the environments.
    assert rows[1][5].startswith("expires ")
    assert rows[1][5].endswith("; environments: all")
    assert rows[0][0] == "just now"
    assert model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == f"Token id {first.id}"

    # Another client acts; the log shows it at the next check.
    service.rename_token("web", second.id, "renamed bot")
    window.check_for_changes()
    assert model.index(0, 1).data() == "Renamed"


def test_the_audit_log_of_a_quiet_project_says_so(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    click_list_item(qtbot, project_sidebar(window), "Audit log")
    pane = window.project_page().audit_pane()
    assert pane.empty_state().isVisible()
    assert "Nothing has happened" in pane.empty_state().text()


def test_a_closed_window_never_opens_the_database_again(window, monkeypatch):
    """On exit the window deactivates after the database was closed; a check then would
    open a connection that nobody closes (Python 3.13 warns of it)."""
    window.close_database()
    checks = []
    monkeypatch.setattr(window.service, "revision", lambda: checks.append("read") or 0)
    window.check_for_changes(always=True)
    window.activateWindow()
    assert checks == []


def test_an_open_project_renamed_from_the_command_line_is_followed(
    qtbot, window, service, web_project, database_url, settings
):
    kept, _ = service.generate("web", "ci")
    open_tokens_pane(qtbot, window, "web")
    run_cli(database_url, "projects", "rename", "web", "storefront")
    window.check_for_changes()
    page = window.project_page()
    assert page.heading().text() == "storefront"
    assert page.current_pane() is page.tokens_pane()  # the same pane, under its new name
    assert previews(window) == [kept.preview]
    assert window.windowTitle().startswith("storefront")
    assert settings.value(main_window.LAST_PROJECT_KEY) == "storefront"
    assert "was renamed to “storefront” elsewhere" in window.statusBar().currentMessage()
    # Generate keeps working on the renamed project.
    generate_and_close(qtbot, window)
    assert len(service.list_tokens("storefront")) == 2


def test_an_open_project_deleted_from_the_command_line_goes_back_to_the_list(
    qtbot, window, service, web_project, database_url, settings
):
    service.add_project("api")
    open_tokens_pane(qtbot, window, "web")
    run_cli(database_url, "projects", "delete", "web")
    window.check_for_changes()
    assert window.current_page() is window.projects_page()
    assert [p.name for p in window.projects_page().projects()] == ["api"]
    assert window.project_page().project is None
    assert settings.value(main_window.LAST_PROJECT_KEY) is None
    assert window.statusBar().currentMessage() == (
        "The project “web” was deleted by another client."
    )
