"""Help, User guide: the README, as installed with the package, rendered in the app.

The README is the package's long description, so an installed app always has the guide
that matches its version, without a network or a browser.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

TITLE = "Deployment Tokens user guide"
_PICTURE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
NOT_FOUND = (
    "The user guide is not installed with this copy. It is the README.md of the project, "
    "beside the source."
)


def guide_markdown() -> str:
    """The README as the installed package's metadata holds it, or a short explanation."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        description = metadata("deployment-tokens").get_payload()  # type: ignore[attr-defined]
    except PackageNotFoundError:
        return NOT_FOUND
    if not isinstance(description, str) or not description.strip():
        return NOT_FOUND
    # The pictures live beside the source, not in the package: name them instead.
    return _PICTURE.sub(lambda found: f"*(picture: {found.group(1)})*", description)


class UserGuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuideDialog")
        self.setWindowTitle(TITLE)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(760, 640)
        self._browser = QTextBrowser()
        self._browser.setObjectName("userGuide")
        self._browser.setAccessibleName(TITLE)
        self._browser.setOpenExternalLinks(True)
        self._browser.setMarkdown(guide_markdown())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._browser)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self._browser.toPlainText()
