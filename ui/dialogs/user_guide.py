"""Help, User guide: the README, as installed with the package, rendered in the app.

The README is the package's long description, so an installed app always has the guide
that matches its version, without a network or a browser. A translated guide,
``resources/translations/README.<language>.md`` (shipped beside the catalogs), comes
first in the app's language when there is one; the English guide follows it, since a
translation may cover less than the whole.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ui import resources
from ui.resources import QT_TRANSLATE_NOOP

TITLE = QT_TRANSLATE_NOOP("UserGuideDialog", "Deployment Tokens user guide")
_PICTURE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
NOT_FOUND = QT_TRANSLATE_NOOP(
    "UserGuideDialog",
    "The user guide is not installed with this copy. It is the README.md of the project, "
    "beside the source.",
)


def translated_guide(language: str) -> str | None:
    """The guide written in ``language`` ("de"), if one is shipped; None for English."""
    if language == resources.SOURCE_LANGUAGE:
        return None
    path = resources.TRANSLATIONS / f"README.{language}.md"
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def guide_markdown(language: str | None = None) -> str:
    """The guide in ``language`` (the app's by default), followed by the English README
    as the installed package's metadata holds it; the English alone when there is no
    translation; a short explanation when neither is installed."""
    english = _english_guide()
    translated = translated_guide(resources.ui_language() if language is None else language)
    if translated is None:
        return english
    return f"{translated.rstrip()}\n\n---\n\n{english}"


def _english_guide() -> str:
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        description = metadata("deployment-tokens").get_payload()  # type: ignore[attr-defined]
    except PackageNotFoundError:
        return _tr(NOT_FOUND)
    if not isinstance(description, str) or not description.strip():
        return _tr(NOT_FOUND)
    # The pictures live beside the source, not in the package: name them instead.
    picture = QCoreApplication.translate("UserGuideDialog", "*(picture: %1)*")
    return _PICTURE.sub(lambda found: picture.replace("%1", found.group(1)), description)


class UserGuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuideDialog")
        self.setWindowTitle(self.tr(TITLE))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(760, 640)
        self._browser = QTextBrowser()
        self._browser.setObjectName("userGuide")
        self._browser.setAccessibleName(self.tr(TITLE))
        self._browser.setOpenExternalLinks(True)
        self._browser.setMarkdown(guide_markdown())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._browser)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self._browser.toPlainText()


def _tr(source: str) -> str:
    return QCoreApplication.translate("UserGuideDialog", source)
