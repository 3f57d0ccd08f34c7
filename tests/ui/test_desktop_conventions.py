"""Icons, the .desktop file, remembered settings, dark mode and accessible names."""

from __future__ import annotations

import configparser

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication

from tests.support.ui import (
    button,
    click,
    darkest_opaque_pixel_lightness,
    generate_and_close,
    open_tokens_pane,
    reveal_dialog,
)
from ui import resources
from ui.main_window import GEOMETRY_KEY, LAST_PROJECT_KEY


def test_the_desktop_file_launches_the_console_script():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(resources.DESKTOP_FILE, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "Deployment Tokens"
    assert section["Exec"] == "deployment-tokens"
    assert section["Icon"] == resources.APP_ICON.stem
    assert section["Terminal"] == "false"
    assert section["Categories"].endswith(";")


def test_geometry_and_last_project_are_remembered_but_never_a_token(
    qtbot, make_window, web_project, settings
):
    window = make_window()
    open_tokens_pane(qtbot, window, "web")
    plaintext = generate_and_close(qtbot, window)
    window.resize(700, 500)  # within the offscreen screen, which restoring clamps to
    window.close()
    assert settings.value(LAST_PROJECT_KEY) == "web"
    assert settings.value(GEOMETRY_KEY) is not None
    with open(settings.fileName(), encoding="utf-8") as stored:
        assert plaintext[5:13] not in stored.read()

    reopened = make_window()
    assert reopened.current_page() is reopened.project_page()
    assert reopened.project_page().project.name == "web"
    assert reopened.size() == window.size()


def test_icon_only_buttons_have_accessible_names(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    generate_and_close(qtbot, window)
    click(qtbot, button(window, "Generate deployment token"))
    dialog = reveal_dialog(qtbot)
    buttons = window.findChildren(QAbstractButton) + dialog.findChildren(QAbstractButton)
    window.projects_page().filter_box().setText("x")  # shows the filter's clear button
    icon_only = [
        b for b in buttons if b.isVisibleTo(b.window()) and not b.text() and not b.icon().isNull()
    ]
    assert icon_only
    unnamed = [b for b in icon_only if not (b.accessibleName() and b.toolTip())]
    assert unnamed == []
    click(qtbot, button(dialog, "Copy token"))
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))


def test_switching_to_dark_mode_while_running_redraws_the_icons(qtbot, window, web_project):
    open_tokens_pane(qtbot, window, "web")
    generate_and_close(qtbot, window)
    trash = window.project_page().tokens_pane().table().action_button(0)
    original = QGuiApplication.palette()
    try:
        light = QPalette(original)
        light.setColor(QPalette.ColorRole.ButtonText, QColor("#111111"))
        QApplication.setPalette(light)
        qtbot.waitUntil(lambda: darkest_opaque_pixel_lightness(trash.icon()) < 60)
        dark = QPalette(original)
        dark.setColor(QPalette.ColorRole.ButtonText, QColor("#eeeeee"))
        QApplication.setPalette(dark)  # what the desktop does when it switches theme
        # Qt posts the change to every widget; the icons follow once it is delivered.
        qtbot.waitUntil(lambda: darkest_opaque_pixel_lightness(trash.icon()) > 200)
        sidebar_icon = window.sidebar().item(0).icon()
        assert darkest_opaque_pixel_lightness(sidebar_icon) > 200
    finally:
        QApplication.setPalette(original)


def test_hand_edited_settings_do_not_stop_the_app(qtbot, make_window, settings):
    settings.setValue(GEOMETRY_KEY, "not a geometry")
    settings.setValue(LAST_PROJECT_KEY, 42)
    window = make_window()
    assert window.current_page() is window.projects_page()
