"""Acting as a user: clicking the item or button with the spec's label, not its slot."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QListWidget,
    QMessageBox,
    QWidget,
)

from ui.dialogs.reveal_token import RevealTokenDialog
from ui.main_window import MainWindow


def button(parent: QWidget, label: str) -> QAbstractButton:
    """The one visible button showing ``label`` as its text or accessible name."""
    matches = [
        candidate
        for candidate in parent.findChildren(QAbstractButton)
        if candidate.isVisible() and label in (candidate.text(), candidate.accessibleName())
    ]
    assert len(matches) == 1, f"{len(matches)} visible buttons labelled {label!r}"
    return matches[0]


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_list_item(qtbot, view: QListWidget, label: str) -> None:
    (item,) = view.findItems(label, Qt.MatchFlag.MatchExactly)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualItemRect(item).center()
    )


def click_row_with_text(qtbot, view: QAbstractItemView, label: str) -> None:
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data() == label:
            qtbot.mouseClick(
                view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
            )
            return
    raise AssertionError(f"no row shows {label!r}")


def sidebar(window: MainWindow) -> QListWidget:
    return window.findChild(QListWidget, "globalSidebar")


def project_sidebar(window: MainWindow) -> QListWidget:
    return window.findChild(QListWidget, "projectSidebar")


def open_tokens_pane(qtbot, window: MainWindow, project: str) -> None:
    """The spec's first three steps: Projects, the project, Settings > Deployment Tokens."""
    click_list_item(qtbot, sidebar(window), "Projects")
    click_row_with_text(qtbot, window.projects_page().table(), project)
    click_list_item(qtbot, project_sidebar(window), "Settings")
    click_list_item(qtbot, project_sidebar(window), "Deployment Tokens")
    assert window.project_page().current_pane() is window.project_page().tokens_pane()


def message_box(qtbot) -> QMessageBox:
    """The message box that is open now (they are opened with open(), never exec())."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    return box


def reveal_dialog(qtbot) -> RevealTokenDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RevealTokenDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, RevealTokenDialog)
    return dialog


def generate_and_close(qtbot, window: MainWindow) -> str:
    """Click Generate, copy, Close; returns the token as the clipboard received it."""
    click(qtbot, button(window, "Generate deployment token"))
    return copy_and_close(qtbot)


def copy_and_close(qtbot) -> str:
    """In the reveal dialog that is open: copy, then Close, as a user saving the token in
    a secret manager would; returns the token as the clipboard received it."""
    dialog = reveal_dialog(qtbot)
    click(qtbot, button(dialog, "Copy token"))
    plaintext = QApplication.clipboard().text()
    with qtbot.waitSignal(dialog.finished):
        click(qtbot, button(dialog, "Close"))
    return plaintext


def settle(qtbot, window: MainWindow) -> None:
    """Wait for the Generate or Delete running in the background to report back."""
    pane = window.project_page().tokens_pane()
    qtbot.waitUntil(lambda: not pane.is_busy())


def dark_palette() -> QPalette:
    """A dark desktop theme's palette, as the tests switch to one."""
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#f0f0f0"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.Text, "#f0f0f0"),
        (QPalette.ColorRole.Button, "#3a3a3a"),
        (QPalette.ColorRole.ButtonText, "#f0f0f0"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def darkest_opaque_pixel_lightness(icon: QIcon) -> int:
    """How light the darkest opaque pixel of ``icon`` at 24 pixels is (0-255)."""
    image = icon.pixmap(QSize(24, 24)).toImage()
    values = [
        image.pixelColor(x, y).lightness()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]
    assert values, "the icon drew nothing"
    return max(values)
