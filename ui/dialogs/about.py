"""Help > About: the app's name, version and the database it has open."""

from __future__ import annotations

import html
from importlib.metadata import PackageNotFoundError, version

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ui import resources


def show_about(parent: QWidget, app_name: str, location: str | None) -> QMessageBox:
    """``location``: the open database's, or None while it is still being opened."""
    box = QMessageBox(parent)
    box.setIconPixmap(resources.app_icon().pixmap(QSize(64, 64)))
    box.setWindowTitle(QCoreApplication.translate("About", "About %1").replace("%1", app_name))
    box.setText(f"<b>{app_name}</b> {_version()}")
    purpose = QCoreApplication.translate(
        "About", "Generate and revoke project tokens for external deployment automation."
    )
    where = (
        location if location is not None else QCoreApplication.translate("About", "not open yet")
    )
    database = QCoreApplication.translate("About", "Database: %1").replace("%1", where)
    box.setInformativeText(f"{html.escape(purpose)}<br>{html.escape(database)}")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _version() -> str:
    try:
        return version("deployment-tokens")
    except PackageNotFoundError:
        return QCoreApplication.translate("About", "(version unknown)")
