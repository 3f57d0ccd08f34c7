"""Help > User guide (F1): a guide for release managers, with its pictures, links that
lead somewhere, web pages in the browser, and Back and Forward."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QPixmap, QTextDocument

from ui.dialogs import user_guide
from ui.dialogs.user_guide import ENGLISH_GUIDE, GUIDE, UserGuideDialog, guide_path

REPO = Path(__file__).resolve().parents[3]
GUIDES = sorted(GUIDE.glob("user-guide*.md"))


@pytest.fixture
def opened_outside(monkeypatch) -> list[QUrl]:
    """What the guide asked the desktop to open (nothing is really opened)."""
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    return opened


def guide_dialog(qtbot, guide: Path | None = None) -> UserGuideDialog:
    dialog = UserGuideDialog(guide=guide)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def test_f1_opens_a_guide_for_release_managers_not_the_developer_readme(qtbot, window):
    [help_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    [action] = [a for a in help_menu.actions() if a.text() == "&User guide"]
    assert action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)  # F1
    action.trigger()
    qtbot.waitUntil(lambda: window.findChild(UserGuideDialog) is not None)
    dialog = window.findChild(UserGuideDialog)
    text = dialog.text()
    # The spec's click path, word for word, and what a release manager needs.
    for said in (
        "What a deployment token is",
        "Click Projects in the global sidebar.",
        "Click Settings > Deployment Tokens in the project sidebar.",
        "Click Generate deployment token.",
        "Click Close.",
        "trash icon",
        "grace period",
        "Audit log",
        "Report a leaked token",
        "ML_DEPLOYMENT_TOKEN_SALT",
        "Keyboard shortcuts",
        "Where the data lives",
    ):
        assert said in text, said
    # Not the developer's README.
    for developer in ("make run", "pipx", "(picture:", "pytest", "git clone"):
        assert developer not in text, developer
    dialog.reject()


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_every_picture_is_shipped_and_shown(qtbot, guide):
    dialog = guide_dialog(qtbot, guide)
    browser = dialog.browser()
    pictures = browser.pictures()
    assert len(pictures) >= (8 if guide == ENGLISH_GUIDE else 3)
    for name in pictures:
        path = guide.parent / name
        assert path.is_file(), name
        assert path.resolve().is_relative_to(GUIDE.resolve()), name  # shipped with it
        image = browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert isinstance(image, (QImage, QPixmap)), name
        assert not image.isNull(), name
        assert image.width() >= 200, name  # a real picture, not a placeholder
    assert "(picture:" not in dialog.text()


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_every_link_leads_somewhere(qtbot, guide):
    """Anchors name a heading of the guide they lead to; files exist and are guides;
    everything else is a web page, over https."""
    dialog = guide_dialog(qtbot, guide)
    browser = dialog.browser()
    links = browser.links()
    assert any(link.startswith("#") for link in links)
    for link in links:
        url = QUrl(link)
        if url.scheme():
            assert url.scheme() == "https", link
            continue
        target = guide.parent / url.path() if url.path() else guide
        assert target.is_file(), link
        assert target.suffix == ".md", link
        if url.hasFragment():
            other = guide_dialog(qtbot, target)
            assert url.fragment() in other.browser().anchors(), link


def test_an_anchor_goes_to_its_heading_and_back_and_forward_return(qtbot, opened_outside):
    dialog = guide_dialog(qtbot, ENGLISH_GUIDE)
    browser = dialog.browser()
    scroll = browser.verticalScrollBar()
    assert scroll.value() == 0
    assert not dialog.back_button().isEnabled()
    assert not dialog.forward_button().isEnabled()
    browser.follow(QUrl("#rotating-a-token"))
    qtbot.waitUntil(lambda: scroll.value() > 0)
    assert "Rotating a token" in dialog.text()
    assert dialog.back_button().isEnabled()

    qtbot.mouseClick(dialog.back_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: scroll.value() == 0)
    assert dialog.forward_button().isEnabled()
    qtbot.keyClick(browser, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: scroll.value() > 0)
    qtbot.keyClick(browser, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: scroll.value() == 0)
    assert opened_outside == []


def test_web_links_open_in_the_browser_not_in_the_dialog(qtbot, opened_outside):
    dialog = guide_dialog(qtbot, ENGLISH_GUIDE)
    browser = dialog.browser()
    [web, *_] = [link for link in browser.links() if link.startswith("https://")]
    before = dialog.text()
    browser.anchorClicked.emit(QUrl(web))  # as a click on it does
    assert opened_outside == [QUrl(web)]
    assert dialog.text() == before
    assert browser.source() == QUrl.fromLocalFile(str(ENGLISH_GUIDE))
    assert web in dialog.status()


def test_a_link_that_leads_nowhere_never_blanks_the_guide(qtbot, opened_outside):
    """The README's picture links once blanked the dialog ("No document for
    docs/gallery/dark.png") with no way back."""
    dialog = guide_dialog(qtbot, ENGLISH_GUIDE)
    browser = dialog.browser()
    before = dialog.text()
    for nowhere in ("docs/gallery/dark.png", "missing.md", "#no-such-heading"):
        browser.anchorClicked.emit(QUrl(nowhere))
        assert dialog.text() == before
        assert nowhere in dialog.status()
    assert opened_outside == []


def test_a_picture_link_opens_outside_the_dialog(qtbot, opened_outside):
    dialog = guide_dialog(qtbot, ENGLISH_GUIDE)
    before = dialog.text()
    dialog.browser().anchorClicked.emit(QUrl("pictures/rotate-dialog.png"))
    assert opened_outside == [QUrl.fromLocalFile(str(GUIDE / "pictures" / "rotate-dialog.png"))]
    assert dialog.text() == before


def test_the_guide_is_chosen_in_the_users_language():
    assert guide_path("en") == ENGLISH_GUIDE
    assert guide_path("fr") == ENGLISH_GUIDE  # no French guide: the English one
    assert guide_path("de") == GUIDE / "user-guide.de.md"
    assert user_guide.translated_guide("en") is None
    assert user_guide.translated_guide("de").startswith("# Deployment Tokens \N{EN DASH}")


@pytest.mark.usefixtures("german")
def test_the_german_guide_says_the_full_guide_is_english_and_links_to_it(qtbot, window):
    window.show_user_guide()
    qtbot.waitUntil(lambda: window.findChild(UserGuideDialog) is not None)
    dialog = window.findChild(UserGuideDialog)
    assert dialog.back_button().text() == "Zurück"
    assert "nur auf Englisch" in dialog.text()
    browser = dialog.browser()
    assert "user-guide.md" in browser.links()
    browser.anchorClicked.emit(QUrl("user-guide.md"))
    assert browser.source() == QUrl.fromLocalFile(str(ENGLISH_GUIDE))
    assert "What a deployment token is" in dialog.text()
    qtbot.mouseClick(dialog.back_button(), Qt.MouseButton.LeftButton)
    assert browser.source() == QUrl.fromLocalFile(str(GUIDE / "user-guide.de.md"))
    dialog.reject()


def test_the_wheel_carries_the_guide_and_its_pictures():
    """pyproject's package data names every file of resources/guide/."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["resources.guide"]
    shipped = [
        path.relative_to(GUIDE).as_posix()
        for path in GUIDE.rglob("*")
        if path.is_file() and path.suffix in (".md", ".png")
    ]
    assert len(shipped) >= 12
    for name in shipped:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
