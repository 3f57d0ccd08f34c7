"""Help, User guide (F1): the guide for release managers, shipped with the package.

The guide is ``resources/guide/user-guide.md`` with its pictures in
``resources/guide/pictures/`` (package data, so an installed app shows them without a
network or a browser). In the app's language, ``user-guide.<language>.md`` is opened
instead when there is one; a translation may be shorter than the English guide and
links to it, since that is the full guide.

Links in the guide: ``#heading`` goes to a heading of the same guide (each heading is
given the anchor GitHub would give it), ``other.md`` opens another guide file in the
dialog, and anything on the web opens in the browser, never in the dialog. Back and
Forward (the buttons, Alt+Left and Alt+Right) go through what was visited. A link the
dialog cannot show never blanks it: it is named in the dialog's status line instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QImageReader,
    QKeySequence,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui import resources
from ui.resources import QT_TRANSLATE_NOOP

TITLE = QT_TRANSLATE_NOOP("UserGuideDialog", "Deployment Tokens user guide")
BACK = QT_TRANSLATE_NOOP("UserGuideDialog", "Back")
FORWARD = QT_TRANSLATE_NOOP("UserGuideDialog", "Forward")
NOT_FOUND = QT_TRANSLATE_NOOP(
    "UserGuideDialog",
    "The user guide is not installed with this copy: %1 is missing.",
)
CANNOT_FOLLOW = QT_TRANSLATE_NOOP("UserGuideDialog", "This link leads nowhere in the guide: %1")
OPENED_OUTSIDE = QT_TRANSLATE_NOOP("UserGuideDialog", "Opened outside the guide: %1")

GUIDE = resources.RESOURCES / "guide"
ENGLISH_GUIDE = GUIDE / "user-guide.md"
# Opened outside the dialog, by the desktop's handler for them.
EXTERNAL_SCHEMES = ("http", "https", "mailto")
# Pictures wider than this are shown scaled down to it (the window's are made 960
# pixels wide by scripts/screenshot.py, to show at their size in the dialog's).
MAX_PICTURE_WIDTH = 960


def guide_path(language: str | None = None) -> Path:
    """The guide to open in ``language`` (the app's by default): the translated one when
    it is shipped, else the English one."""
    language = resources.ui_language() if language is None else language
    if language != resources.SOURCE_LANGUAGE:
        translated = GUIDE / f"user-guide.{language}.md"
        if translated.is_file():
            return translated
    return ENGLISH_GUIDE


def translated_guide(language: str) -> str | None:
    """The text of the guide written in ``language`` ("de"), if one is shipped; None for
    English and for languages without one."""
    path = guide_path(language)
    if path == ENGLISH_GUIDE:
        return None
    return path.read_text(encoding="utf-8")


def anchor_name(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as
    hyphens ("Rotating a token" is ``rotating-a-token``)."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


class GuideBrowser(QTextBrowser):
    """A QTextBrowser for the guide's Markdown: anchors on its headings, pictures that
    fit, web links handed to the browser, and nothing that blanks it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Every link comes to follow(): QTextBrowser would open a missing file (a blank
        # page, "No document for …") or a web page (as text) in itself.
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self.follow)
        # What the last link did, when the page itself does not show it.
        self.message = ""
        self.opened_outside: list[QUrl] = []

    def follow(self, link: QUrl) -> None:
        """Go where ``link`` (as written in the guide) leads."""
        if link.scheme().lower() in EXTERNAL_SCHEMES:
            self._open_outside(link)
            return
        target = self.source().resolved(link)
        if target.isLocalFile() and Path(target.toLocalFile()).suffix == ".md":
            path = Path(target.toLocalFile())
            if path.is_file() and (not target.hasFragment() or self._has_anchor(target)):
                self.message = ""
                self.setSource(target)
                return
        elif target.isLocalFile() and Path(target.toLocalFile()).is_file():
            # A picture or another file: the desktop's viewer shows it.
            self._open_outside(target)
            return
        self.message = _tr(CANNOT_FOLLOW).replace("%1", link.toString())

    def _open_outside(self, link: QUrl) -> None:
        self.opened_outside.append(link)
        QDesktopServices.openUrl(link)
        shown = link.toLocalFile() if link.isLocalFile() else link.toString()
        self.message = _tr(OPENED_OUTSIDE).replace("%1", shown)

    def _has_anchor(self, target: QUrl) -> bool:
        if Path(target.toLocalFile()) != Path(self.source().toLocalFile()):
            return True  # another guide: checked by the tests, as it cannot be here
        return target.fragment() in self.anchors()

    def doSetSource(  # type: ignore[override]
        self,
        name: QUrl,
        type: QTextDocument.ResourceType = QTextDocument.ResourceType.UnknownResource,
    ) -> None:
        # A guide is read as the HTML guide_html() makes of it, with its anchors and
        # fitted pictures, so the document is never changed once shown: QTextBrowser
        # reloads a changed document on every link, even to an anchor of the same page.
        if name.isLocalFile() and Path(name.toLocalFile()).suffix == ".md":
            type = QTextDocument.ResourceType.HtmlResource
        super().doSetSource(name, type)

    def loadResource(self, type: int, name: QUrl | str) -> object:
        if (
            type == QTextDocument.ResourceType.HtmlResource
            and isinstance(name, QUrl)
            and name.isLocalFile()
            and Path(name.toLocalFile()).suffix == ".md"
        ):
            try:
                return guide_html(Path(name.toLocalFile()))
            except (OSError, UnicodeDecodeError):
                return None
        return super().loadResource(type, name)

    def anchors(self) -> list[str]:
        """The anchor names of the open page's headings, in order."""
        names: list[str] = []
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0:
                names.append(anchor_name(block.text()))
            block = block.next()
        return names

    def links(self) -> list[str]:
        """Every link of the open page, as written."""
        found: list[str] = []
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                href = fragment.charFormat().anchorHref()
                if href and (not found or found[-1] != href):
                    found.append(href)
                iterator += 1
            block = block.next()
        return found

    def pictures(self) -> list[str]:
        """Every picture of the open page, as named in it."""
        found: list[str] = []
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                char_format = iterator.fragment().charFormat()
                if char_format.isImageFormat():
                    found.append(char_format.toImageFormat().name())
                iterator += 1
            block = block.next()
        return found


def guide_html(path: Path) -> str:
    """The guide at ``path`` (Markdown) as HTML, each heading with its anchor and each
    picture no wider than MAX_PICTURE_WIDTH."""
    document = QTextDocument()
    document.setMarkdown(path.read_text(encoding="utf-8"))
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0 and block.text():
            cursor = QTextCursor(block)
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            anchor = QTextCharFormat()
            anchor.setAnchor(True)
            anchor.setAnchorNames([anchor_name(block.text())])
            cursor.mergeCharFormat(anchor)
        _fit_pictures(document, block, path.parent)
        block = block.next()
    return document.toHtml()


def _fit_pictures(document: QTextDocument, block: QTextBlock, folder: Path) -> None:
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        iterator += 1
        if not fragment.charFormat().isImageFormat():
            continue
        picture = fragment.charFormat().toImageFormat()
        size = QImageReader(str(folder / picture.name())).size()
        if size.width() <= MAX_PICTURE_WIDTH:
            continue
        scaled = QTextImageFormat(picture)
        scaled.setWidth(MAX_PICTURE_WIDTH)
        scaled.setHeight(size.height() * MAX_PICTURE_WIDTH / size.width())
        cursor = QTextCursor(document)
        cursor.setPosition(fragment.position())
        cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(scaled)


class UserGuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, guide: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuideDialog")
        self.setWindowTitle(self.tr(TITLE))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1040, 720)
        self._browser = GuideBrowser()
        self._browser.setObjectName("userGuide")
        self._browser.setAccessibleName(self.tr(TITLE))
        arrows = self.style()
        self._back = QPushButton(
            arrows.standardIcon(QStyle.StandardPixmap.SP_ArrowBack), self.tr(BACK)
        )
        self._back.setObjectName("guideBack")
        self._back.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        native = QKeySequence.SequenceFormat.NativeText
        self._back.setToolTip(f"{self.tr(BACK)} ({self._back.shortcut().toString(native)})")
        self._forward = QPushButton(
            arrows.standardIcon(QStyle.StandardPixmap.SP_ArrowForward), self.tr(FORWARD)
        )
        self._forward.setObjectName("guideForward")
        self._forward.setShortcut(QKeySequence(QKeySequence.StandardKey.Forward))
        self._forward.setToolTip(
            f"{self.tr(FORWARD)} ({self._forward.shortcut().toString(native)})"
        )
        for button, available in (
            (self._back, self._browser.backwardAvailable),
            (self._forward, self._browser.forwardAvailable),
        ):
            button.setEnabled(False)
            button.setAutoDefault(False)
            available.connect(button.setEnabled)
        self._back.clicked.connect(self._browser.backward)
        self._forward.clicked.connect(self._browser.forward)
        self._status = QLabel()
        self._status.setObjectName("guideStatus")
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        self._browser.anchorClicked.connect(lambda _: self._status.setText(self._browser.message))
        navigation = QHBoxLayout()
        navigation.addWidget(self._back)
        navigation.addWidget(self._forward)
        navigation.addWidget(self._status, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(navigation)
        layout.addWidget(self._browser)
        layout.addWidget(buttons)
        path = guide_path() if guide is None else guide
        if path.is_file():
            self._browser.setSource(QUrl.fromLocalFile(str(path)))
        else:
            self._browser.setPlainText(_tr(NOT_FOUND).replace("%1", str(path)))
        self._browser.setFocus()

    def browser(self) -> GuideBrowser:
        return self._browser

    def back_button(self) -> QPushButton:
        return self._back

    def forward_button(self) -> QPushButton:
        return self._forward

    def status(self) -> str:
        return self._status.text()

    def text(self) -> str:
        return self._browser.toPlainText()


def _tr(source: str) -> str:
    return QCoreApplication.translate("UserGuideDialog", source)
