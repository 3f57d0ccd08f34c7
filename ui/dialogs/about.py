"""Help > About: the app's name, version and the database it has open."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ui import resources


def show_about(parent: QWidget, app_name: str, location: str | None) -> QMessageBox:
    """``location``: the open database's, or None while it is still being opened."""
    box = QMessageBox(parent)
    box.setIconPixmap(resources.app_icon().pixmap(QSize(64, 64)))
    box.setWindowTitle(f"About {app_name}")
    box.setText(f"<b>{app_name}</b> {_version()}")
    box.setInformativeText(
        "Generate and revoke project tokens for external deployment automation.<br>"
        f"Database: {location if location is not None else 'not open yet'}"
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _version() -> str:
    try:
        return version("deployment-tokens")
    except PackageNotFoundError:
        return "(version unknown)"
