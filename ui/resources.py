"""Icons, translations and other files Qt loads at run time, from ``resources/`` (see
app.desktop_entry).

The translations are here rather than in a module of their own because they must be
installed before the window's first paint, which may import only a few of our modules
(tests/test_import_budget.py).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon

from app.desktop_entry import APP_ICON, DESKTOP_FILE, ICONS, RESOURCES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# The app's window icon is needed before the first paint; drawing the line icons is not,
# and QPalette alone costs several milliseconds to import, so they load on first use.

__all__ = [
    "APP_ICON",
    "CATALOG",
    "DESKTOP_FILE",
    "ICONS",
    "QT_TRANSLATE_NOOP",
    "RESOURCES",
    "SOURCE_LANGUAGE",
    "TRANSLATIONS",
    "app_icon",
    "ensure_translations",
    "icon",
    "install_translations",
    "ui_language",
]

# The Qt Linguist catalogs: TRANSLATIONS/deployment_tokens_<language>.ts, compiled to .qm
# by the build (and by make for the source tree). Never committed as .qm.
TRANSLATIONS = RESOURCES / "translations"
CATALOG = "deployment_tokens"
# The language the source texts are written in. Its catalog holds only the plural forms
# ("%n token(s)" as "1 token", "2 tokens"); it is also the fallback for every language
# without a catalog, and what a missing .qm leaves.
SOURCE_LANGUAGE = "en"

# Rendered at each size a toolbar, a table row or a high-density screen asks for.
_ICON_SIZES = (16, 20, 24, 32, 48)


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for lupdate, to be translated in ``context`` where it is shown;
    returns it unchanged. Qt's own marker, typed (PySide6's returns ``object``)."""
    return source


def is_palette_change(event: QEvent) -> bool:
    """Whether ``event`` says the colours changed (the desktop switched to dark mode)."""
    return event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


def repolish(widget: QWidget) -> None:
    """Make a widget with a style sheet take up a new palette (the desktop switched to
    dark mode while the app runs): Qt keeps the colours it resolved when first polished."""
    widget.setStyleSheet(widget.styleSheet())


def app_icon() -> QIcon:
    return QIcon(str(APP_ICON))


def icon(name: str) -> QIcon:
    """The named line icon, drawn in the palette's text colour so it suits dark mode too."""
    from PySide6.QtGui import QGuiApplication, QPalette

    palette = QGuiApplication.palette()
    return _tinted_icon(
        name,
        palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText).name(),
        palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText).name(),
    )


@cache
def _tinted_icon(name: str, colour: str, disabled_colour: str) -> QIcon:
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QPixmap

    source = (ICONS / f"{name}.svg").read_text(encoding="utf-8")
    result = QIcon()
    for mode, tint in ((QIcon.Mode.Normal, colour), (QIcon.Mode.Disabled, disabled_colour)):
        svg = QByteArray(source.replace("currentColor", QColor(tint).name()).encode())
        for size in _ICON_SIZES:
            pixmap = QPixmap(size, size)
            pixmap.fill(QColor(0, 0, 0, 0))
            if not pixmap.loadFromData(svg, "SVG"):
                raise FileNotFoundError(f"cannot render icon {name!r}")
            result.addPixmap(pixmap.scaled(size, size), mode)
    return result


# The translators installed, the application they are installed on, and their language.
_installed: list[QTranslator] = []
_installed_on: list[QCoreApplication] = []
_installed_language: list[str] = []


def ensure_translations(app: QCoreApplication) -> str:
    """Translate ``app`` into the user's language, unless its translators are installed
    already (by ``launch``, or a test that chose a language); returns the language."""
    if _installed_language and _installed_on and _installed_on[0] is app:
        return _installed_language[0]
    return install_translations(app)


def install_translations(
    app: QCoreApplication, locale: QLocale | None = None, *, catalogs: Path = TRANSLATIONS
) -> str:
    """Translate the app into the user's language: the first of ``locale``'s UI languages
    (the system's: LANGUAGE, LC_ALL, LC_MESSAGES, LANG) with a catalog in ``catalogs``,
    else English. Qt's own catalog for that language comes with it, for its standard
    buttons.

    Returns the language chosen ("de", "en"). Installing again replaces the translators
    installed before. Dates and numbers follow ``locale`` when it is given (QLocale() is
    the system's otherwise). A catalog that is missing or unreadable leaves the source
    texts, in English: the app never fails for it.
    """
    if locale is not None:
        QLocale.setDefault(locale)
    wanted = QLocale() if locale is None else locale
    ours = QTranslator(app)
    if not ours.load(wanted, CATALOG, "_", str(catalogs)):
        ours.load(f"{CATALOG}_{SOURCE_LANGUAGE}", str(catalogs))
    loaded = QLocale(ours.language()).name().split("_")[0] if ours.language() else ""
    language = loaded or SOURCE_LANGUAGE
    for old in _installed:
        app.removeTranslator(old)
        old.deleteLater()
    _installed.clear()
    _installed_on[:] = [app]
    _installed_language[:] = [language]
    if not ours.isEmpty():
        app.installTranslator(ours)
        _installed.append(ours)
    if language != SOURCE_LANGUAGE:
        qt = QTranslator(app)
        qt_catalogs = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(QLocale(language), "qtbase", "_", qt_catalogs):
            app.installTranslator(qt)
            _installed.append(qt)
    return language


def ui_language() -> str:
    """The language the app's texts are in ("de", "en"): the installed catalogs'."""
    return _installed_language[0] if _installed_language else SOURCE_LANGUAGE
