"""The Qt Linguist catalogs: complete, up to date with ui/'s texts, and loaded as the
user's language asks; English reads right with or without its catalog."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from app import lifecycle
from ui import resources
from ui.relative_time import RelativeTime
from ui.translated import IRREGULAR_ENGLISH, NO_EXPIRY_SOURCE, counted

REPO = Path(__file__).resolve().parents[2]
CATALOGS = REPO / "resources" / "translations"
GERMAN = CATALOGS / "deployment_tokens_de.ts"
ENGLISH = CATALOGS / "deployment_tokens_en.ts"
# German texts that are rightly the English ones, each with its reason.
SAME_IN_GERMAN = {
    "Token": "the word German release managers use",
    "Tokens": "the word German release managers use, plural",
    "Name": "the same word in German",
    "Details": "the same word in German",
    "production": "an example environment name, as pipelines spell it",
    "%1: %2": "punctuation only",
    "%1, %2": "punctuation only",
    "%1: %2.": "punctuation only",
    "Name: %1": "the same word in German",
    "&Name:": "the same word in German, and the same mnemonic",
    "Token:": "the word German release managers use",
    "Details:": "the same word in German",
    "Webhook": "the word German developers use",
    "GitHub Actions": "a product's name",
    "GitLab CI": "a product's name",
    "GitLab %1": "a product's name and a host",
    "Repository": "the word German developers use",
    "&Repository:": "the word German developers use, and the same mnemonic",
    "Claims": "the word German developers use (OIDC's term)",
    "&Claims:": "the word German developers use, and the same mnemonic",
}
PLACEHOLDER = re.compile(r"%(?:[1-9]|n)")


def messages(path: Path) -> dict[tuple[str, str, str], ET.Element]:
    """The catalog's messages by (context, source, disambiguation)."""
    found = {}
    # Our own catalogs, not untrusted input.
    for context in ET.parse(path).getroot().iter("context"):  # noqa: S314
        name = context.findtext("name", "")
        for message in context.iter("message"):
            comment = message.findtext("comment") or ""
            found[(name, message.findtext("source", ""), comment)] = message
    return found


def forms(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.iter("numerusform")]
    return [translation.text or ""]


def test_every_text_of_ui_is_in_the_german_catalog_and_nothing_else(tmp_path, lupdate):
    """lupdate over ui/ now finds exactly the catalog's messages: a tr() added without
    make translations, or a text gone from the code but left in the catalog, fails."""
    fresh = lupdate(tmp_path / "fresh_de.ts", "de")
    assert set(messages(fresh)) == set(messages(GERMAN))
    numerus = {key for key, message in messages(fresh).items() if message.get("numerus")}
    assert numerus == {key for key, message in messages(GERMAN).items() if message.get("numerus")}


def test_the_english_catalog_holds_every_plural_text_and_only_those(tmp_path, lupdate):
    fresh = lupdate(tmp_path / "fresh_en.ts", "en", "-pluralonly")
    assert set(messages(fresh)) == set(messages(ENGLISH))
    assert all(message.get("numerus") == "yes" for message in messages(ENGLISH).values())


@pytest.mark.parametrize("catalog", [GERMAN, ENGLISH], ids=["de", "en"])
def test_the_catalog_is_finished(catalog):
    """Every entry translated: none unfinished, vanished or obsolete, none empty."""
    for key, message in messages(catalog).items():
        translation = message.find("translation")
        assert translation is not None
        assert translation.get("type") is None, key
        texts = forms(message)
        assert texts, key
        assert all(text.strip() for text in texts), key
        if message.get("numerus") == "yes":
            assert len(texts) == 2, key  # German and English: one, and any other number


def test_the_german_translations_keep_placeholders_and_mnemonics():
    for (context, source, _), message in messages(GERMAN).items():
        for text in forms(message):
            wanted = sorted(set(PLACEHOLDER.findall(source)))
            have = sorted(set(PLACEHOLDER.findall(text)))
            if message.get("numerus") == "yes":
                # A form for exactly one may say "one" instead of the number.
                have = sorted(set(have) | ({"%n"} & set(wanted)))
            assert have == wanted, (context, source, text)
            assert ("&" in source) == ("&" in text), (context, source, text)
            assert text.count("\n") == source.count("\n"), (context, source, text)


def test_mnemonics_are_unique_within_each_menu():
    """The menu bar, File and Help: each letter once (Alt+letter must be unambiguous)."""
    german_texts = {source: forms(m)[0] for (_, source, _), m in messages(GERMAN).items()}

    def letters(*sources: str) -> list[str]:
        texts = [german_texts[source] for source in sources]
        return [text[text.index("&") + 1].casefold() for text in texts]

    menus = [
        ("&File", "&Help"),
        ("&New project…", "Report a &leaked token…", "&Quit"),
        ("&User guide", "Token &salt…", "&About %1"),
    ]
    for menu in menus:
        chosen = letters(*menu)
        assert len(set(chosen)) == len(chosen), (menu, chosen)


def test_a_german_text_that_is_the_english_one_says_why():
    for (context, source, _), message in messages(GERMAN).items():
        for text in forms(message):
            if text == source:
                assert source in SAME_IN_GERMAN, (context, source)


def test_the_english_plural_forms_are_what_the_app_says_without_its_catalog():
    """counted() makes English plurals when no catalog is loaded; the English catalog
    must say the same, so English reads alike with and without it."""
    for (_, source, _), message in messages(ENGLISH).items():
        one, other = forms(message)
        assert counted(source.replace("%n", "1"), 1, source) == one.replace("%n", "1")
        assert counted(source.replace("%n", "7"), 7, source) == other.replace("%n", "7")
    assert set(IRREGULAR_ENGLISH) <= {source for (_, source, _) in messages(ENGLISH)}


def test_the_texts_taken_from_app_are_marked_as_app_spells_them():
    assert NO_EXPIRY_SOURCE == lifecycle.NO_EXPIRY


def test_a_german_locale_chooses_german_and_qts_own_buttons(qapp, compiled_catalogs):
    try:
        assert resources.install_translations(qapp, QLocale("de_AT"), catalogs=compiled_catalogs)
        assert resources.ui_language() == "de"
        assert RelativeTime.tr("%n day(s) ago", "", 3) == "vor 3 Tagen"
        # Qt's own catalog: QMessageBox's standard buttons.
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
        assert QLocale().name() == "de_AT"  # dates and numbers follow the locale too
    finally:
        resources.install_translations(qapp, QLocale.system())


@pytest.mark.parametrize("locale", ["C", "en_US", "fr_FR"])
def test_english_and_languages_without_a_catalog_read_english(qapp, compiled_catalogs, locale):
    try:
        language = resources.install_translations(qapp, QLocale(locale), catalogs=compiled_catalogs)
        assert language == "en"
        assert RelativeTime.tr("%n day(s) ago", "", 1) == "1 day ago"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        resources.install_translations(qapp, QLocale.system())


def test_missing_catalogs_leave_english_and_never_fail(qapp, tmp_path):
    try:
        language = resources.install_translations(qapp, QLocale("de_DE"), catalogs=tmp_path)
        assert language == "en"
        assert counted(RelativeTime.tr("%n day(s) ago", "", 1), 1) == "1 day ago"
        assert counted(RelativeTime.tr("%n day(s) ago", "", 2), 2) == "2 days ago"
    finally:
        resources.install_translations(qapp, QLocale.system())


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8", "LANGUAGE": "de"}, "de"),
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "de_DE.UTF-8"}, "de"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "de_CH.UTF-8"}, "de"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "fr:de"}, "de"),  # German second choice
    ],
)
def test_the_app_follows_the_systems_language(tmp_path, environment, language):
    """As the app starts (ui.create_main_window), in a process of its own: Qt reads
    the locale's variables once."""
    if not (CATALOGS / "deployment_tokens_de.qm").exists():
        pytest.skip("the source tree's catalogs are not compiled (make does it)")
    probe = (
        "from ui import create_main_window, resources\n"
        f"window = create_main_window('sqlite:///{tmp_path / 'probe.db'}')\n"
        "print(resources.ui_language(), window.menuBar().actions()[0].text())\n"
        "window.close_database()\n"
    )
    kept = {"PATH", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "ML_DEPLOYMENT_TOKEN_SALT"}
    env = {name: value for name, value in os.environ.items() if name in kept}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**env, "QT_QPA_PLATFORM": "offscreen", **environment},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [language, "&Datei" if language == "de" else "&File"]


def test_lrelease_and_lupdate_come_with_the_environment():
    """The tools make translations and the build use: PySide6's, in this environment."""
    for tool in ("pyside6-lupdate", "pyside6-lrelease"):
        path = Path(sys.executable).parent / tool
        assert path.exists() or shutil.which(tool), tool
