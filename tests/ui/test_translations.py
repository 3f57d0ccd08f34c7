"""The app in German: every page, pane, menu and dialog, walked widget by widget, shows no
text of ui/ still in English (a label, tooltip, accessible name or description, window
title, menu entry, table header or cell, message box or status message)."""

from __future__ import annotations

import getpass
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QLocale, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from app import config
from app.errors import UnavailableError
from app.lifecycle import Expiry
from app.oidc import bindings
from app.service import TokenService
from tests.support.translation_walks import walk_deployers, without
from ui import resources
from ui.clipboard import SecretClipboard
from ui.dialogs import messages
from ui.dialogs.grant_access import GrantAccessDialog
from ui.dialogs.reveal_secret import RevealSecretDialog
from ui.dialogs.reveal_token import RevealTokenDialog
from ui.dialogs.user_guide import UserGuideDialog, guide_path, translated_guide
from ui.main_window import APP_NAME, MainWindow
from ui.pages.project import DEPLOYMENT_TOKENS, ProjectPage

CATALOGS = Path(__file__).resolve().parents[2] / "resources" / "translations"
# German texts that are rightly the English source text, each with its reason (as in
# test_translations_catalogs.py, which checks the catalog keeps to this list).
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
ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.AccessibleDescriptionRole,
)


def english_texts() -> tuple[set[str], list[re.Pattern[str]]]:
    """What ui/ says in English: its source texts, and the English plural forms, whole
    (no placeholder) or as patterns (a placeholder stands for anything)."""
    sources: set[str] = set()
    for catalog in ("deployment_tokens_de.ts", "deployment_tokens_en.ts"):
        root = ET.parse(CATALOGS / catalog).getroot()  # noqa: S314 (our own catalog)
        for message in root.iter("message"):
            source = message.findtext("source", "")
            if source in SAME_IN_GERMAN:
                continue
            sources.add(source)
            if catalog.endswith("_en.ts"):
                sources |= {form.text or "" for form in message.iter("numerusform")}
    whole = {source for source in sources if "%" not in source}
    patterns = [
        re.compile(re.sub(r"%(?:[1-9]|n)", lambda _: ".*", re.escape(source)), re.DOTALL)
        for source in sources
        if "%" in source and source not in SAME_IN_GERMAN
    ]
    return whole, patterns


def texts_of(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for everything ``widget`` and its children show or say."""
    for each in [widget, *widget.findChildren(QWidget)]:
        where = f"{type(each).__name__}#{each.objectName()}"
        yield f"{where}.windowTitle", each.windowTitle()
        yield f"{where}.toolTip", each.toolTip()
        yield f"{where}.accessibleName", each.accessibleName()
        yield f"{where}.accessibleDescription", each.accessibleDescription()
        if isinstance(each, QLabel | QAbstractButton):
            yield f"{where}.text", each.text()
        if isinstance(each, QLineEdit | QPlainTextEdit):
            yield f"{where}.placeholderText", each.placeholderText()
        if isinstance(each, QComboBox):
            for row in range(each.count()):
                yield f"{where}.item", each.itemText(row)
        if isinstance(each, QMessageBox):
            yield f"{where}.text", each.text()
            yield f"{where}.informativeText", each.informativeText()
        for action in each.actions():
            yield f"{where}.action", action.text()
            yield f"{where}.action.toolTip", action.toolTip()
            if action.menu() is not None:
                yield from texts_of(action.menu())
        # A list widget's items are read below; its model's methods are private.
        if (
            isinstance(each, QAbstractItemView)
            and not isinstance(each, QListWidget | QHeaderView)  # (a header: its table's)
            and each.model() is not None
        ):
            yield from texts_of_model(where, each.model())
        if isinstance(each, QListWidget):
            for row in range(each.count()):
                item = each.item(row)
                yield f"{where}.item", item.text()
                yield f"{where}.item.toolTip", item.toolTip()
    if isinstance(widget, MainWindow):
        yield "statusBar", widget.statusBar().currentMessage()


def texts_of_model(where: str, model: QAbstractItemModel) -> Iterator[tuple[str, str]]:
    top = QModelIndex()
    for column in range(model.columnCount(top)):
        header = model.headerData(column, Qt.Orientation.Horizontal)
        yield f"{where}.header", str(header or "")
        for row in range(model.rowCount(top)):
            for role in ROLES:
                value = model.data(model.index(row, column), role)
                if isinstance(value, str):
                    yield f"{where}[{row},{column}]", value


class Walker:
    """Collects the texts still in English, wherever the walk found them."""

    def __init__(self) -> None:
        self.whole, self.patterns = english_texts()
        self.found: dict[str, str] = {}
        # Every text seen, by where it was seen.
        self.seen: dict[str, set[str]] = {}
        self.walked = 0

    def walk(self, widget: QWidget | None, said: Sequence[str] = ()) -> None:
        """Walk ``widget``; ``said`` are the service's own English words shown in it (a
        refusal, a weak binding's warnings), left out of the texts checked: app/ speaks
        English, what the window wraps them in is checked."""
        assert widget is not None, "nothing to walk: the dialog did not open"
        QApplication.processEvents()
        for where, shown in texts_of(widget):
            text = without(shown, said)
            self.walked += 1
            self.seen.setdefault(where, set()).add(text)
            if not text or (text == APP_NAME and where.endswith("windowTitle")):
                continue  # the product's name is the same in every language
            plain = text.replace("&", "")
            if (
                "(s)" in text
                or text in self.whole
                or plain in self.whole
                or any(pattern.fullmatch(text) for pattern in self.patterns)
            ):
                self.found[where] = text


# The user's own data: the same in every language, and no text of the app's. The
# service names a token "Deployment token N" when it is given no name: a name, stored.
DATA = {
    "zahlungsdienst",
    "zweites-projekt",
    "suchindex",
    "staging",
    "live",
    "SUCHINDEX",
    "Geleakt",
    "Deployment token 1",
    # The failed action and the service's message, as the test passes them.
    "Aktion: Der Server antwortet nicht.",
}
# Texts the same in both languages for a reason other than the catalog's.
SAME_FOR_A_REASON = {
    "OK": "Qt's own standard button, OK in German too",
    bindings.GITHUB_ISSUER: "GitHub's issuer, as its ID tokens carry it",
}
# Where the app shows what app/ wrote, in English as the command line and the audit
# export say it: the audit log's Details (app.use_cases' audit events), in the table and
# below it.
APP_WORDS = re.compile(r"auditTable\[\d+,5\]$|#eventDetails\.text$")
TOKEN_NAMES = ("Altes CI", "Bald fällig", "Notfall-Laptop", "Argo Sync", "GitLab Staging")


def fill_project(service: TokenService, project: str) -> None:
    """Tokens in every state the table shows, environments, and history."""
    for environment in ("staging", "live"):
        service.add_environment(project, environment)
    now = datetime.now(UTC)

    def at(moment: datetime) -> TokenService:
        return TokenService(service.storage, clock=lambda: moment)

    old, soon, spare, argo, gitlab = TOKEN_NAMES
    at(now - timedelta(days=40)).generate(project, old, expiry=Expiry.after(timedelta(30)))
    at(now - timedelta(days=85)).generate(project, soon, expiry=Expiry.after(timedelta(90)))
    _, plaintext = service.generate(project, spare, expiry=Expiry.no_expiry())
    at(now - timedelta(hours=2)).verify(plaintext)
    del plaintext
    record, _ = at(now - timedelta(days=3)).generate(project, argo, environments=["live"])
    at(now - timedelta(hours=1)).rotate(project, record.id, grace=timedelta(hours=24))
    service.generate(project, gitlab, environments=["staging"])


def is_data(text: str) -> bool:
    """Whether ``text`` is the user's data (names, previews, times, paths, counts)."""
    return (
        text in DATA
        or any(name in text for name in (*DATA, *TOKEN_NAMES) if len(name) > 4)
        or "mldt_" in text
        or text.startswith(("/", "~/"))
        or text == getpass.getuser()
        or re.fullmatch(r"[\W\d_]*", text) is not None
        or re.search(r"\d{4}-\d\d-\d\d", text) is not None
    )


@pytest.fixture
def sample(service: TokenService) -> str:
    project = "zahlungsdienst"
    service.add_project(project)
    service.add_project("suchindex")
    fill_project(service, project)
    return project


def walk_everything(qtbot, make_window, project: str, service: TokenService, left: Walker) -> None:
    """Every page, pane, menu and dialog of the app, each walked by ``left``."""
    window = make_window()
    left.walk(window)  # the project list, the menus, the status bar

    projects = window.projects_page()
    projects.table().selectRow(0)
    menu = projects.context_menu(projects.projects()[0])
    left.walk(menu)
    menu.close()
    projects.filter_box().setText("nichts passt")
    left.walk(window)  # no project matches
    projects.filter_box().clear()

    left.walk(projects.new_project())
    dialog = QApplication.activeModalWidget()
    dialog.name_field().setText("SUCHINDEX")  # taken: the error beside the field
    left.walk(dialog)
    dialog.reject()

    window.open_project(service.find_project(project))
    page = window.project_page()
    left.walk(window)  # Settings
    sections = ("Token policy", "Environments", "Audit log", "Notifications", "Members")
    for section in (*sections, DEPLOYMENT_TOKENS):
        page.show_section(section)
        left.walk(window)
    page.show_section("Audit log")
    audit = page.audit_pane()
    audit.table().selectRow(0)  # the event whole, below the table
    qtbot.waitUntil(lambda: "…" not in audit.details().value("eventHash"))
    audit.verify()
    qtbot.waitUntil(lambda: not audit.is_busy())
    assert audit.verdict().state() == "intact"
    left.walk(window)
    page.show_section(DEPLOYMENT_TOKENS)

    pane = page.tokens_pane()
    model = pane.model()
    table = pane.table()
    for row in range(model.rowCount()):
        left.walk(table.context_menu(row))
    pane.filter_box().setText("a")
    pane.filter_box().returnPressed.emit()
    left.walk(window)  # the count line with a filter
    pane.filter_box().setText("")
    pane.filter_box().returnPressed.emit()
    left.walk(window)

    rotatable = next(r for r in range(model.rowCount()) if model.rotation_refusal(r) is None)
    refused = next(r for r in range(model.rowCount()) if model.rotation_refusal(r) is not None)
    for row in (rotatable, refused):
        pane.request_rotate(model.record(row).id)
        left.walk(QApplication.activeModalWidget())
        QApplication.activeModalWidget().reject()

    pane.request_delete(model.record(0).id)
    box = QApplication.activeModalWidget()
    left.walk(box)
    box.close()

    pane.generate()
    qtbot.waitUntil(lambda: window.findChildren(RevealTokenDialog) != [])
    [reveal] = window.findChildren(RevealTokenDialog)
    left.walk(reveal)
    reveal.reject()  # not copied yet: it asks first
    confirm = reveal.findChild(QMessageBox, "confirmCloseBox")
    left.walk(confirm)
    qtbot.mouseClick(confirm.findChild(QAbstractButton, "goBackButton"), Qt.MouseButton.LeftButton)
    reveal.copy_token()
    left.walk(reveal)
    left.walk(window)  # the status bar says it was copied
    reveal.reject()
    QApplication.clipboard().clear()

    leak = window.report_leak()
    _, found = service.generate(project, "Geleakt")
    leak.text_field().setPlainText(f"im Log gesehen: {found}")
    del found
    leak.find_tokens()
    qtbot.waitUntil(lambda: leak.findings_table().rowCount() == 1)
    left.walk(leak)
    left.walk(leak.confirm_revoke())
    QApplication.activeModalWidget().close()
    leak.reject()

    left.walk(page.rename_project())
    QApplication.activeModalWidget().reject()
    left.walk(page.delete_project())
    QApplication.activeModalWidget().close()

    walk_notifications(page, project, service, left)
    walk_deployers(page, project, service, left)

    # Members > Grant… (reached on PostgreSQL only; built here to be read).
    grant = GrantAccessDialog(project, ["deploy_tokens"], window)
    grant.open()
    grant.role_field().setText("nobody")  # no such role: the problem beside the field
    left.walk(grant)
    grant.reject()

    left.walk(window.explain_salt())
    QApplication.activeModalWidget().close()
    about = window.menuBar().actions()[-1].menu().actions()[-1]
    about.trigger()
    left.walk(QApplication.activeModalWidget())
    QApplication.activeModalWidget().close()
    window.show_user_guide()
    qtbot.waitUntil(lambda: window.findChild(UserGuideDialog) is not None)
    left.walk(window.findChild(UserGuideDialog))
    window.findChild(UserGuideDialog).reject()

    error = messages.show_error(window, "Aktion", UnavailableError("der Server antwortet nicht"))
    messages.offer_retry(error, lambda: None)
    left.walk(error)
    error.close()


def walk_notifications(
    page: ProjectPage, project: str, service: TokenService, left: Walker
) -> None:
    """Notifications: a recipient and a webhook nobody answers (its delivery failed),
    Add… of each kind, a webhook's secret, and Remove…'s question. (Added after the
    audit log was walked: its action names for them are the audit pane's to give.)"""
    service.add_notification(project, "email", f"ops@{project}.example")
    service.add_notification(project, "webhook", f"http://127.0.0.1:9/{project}")
    service.notify(sleep=lambda _: None)
    page.show_section("Notifications")
    pane = page.notifications_pane()
    left.walk(page.window())
    dialog = pane.add()
    left.walk(dialog)
    dialog.choose_kind("webhook")
    left.walk(dialog)
    dialog.reject()
    record = pane.notifications()[-1]
    reveal = RevealSecretDialog(record, "mldw_" + "0" * 43, SecretClipboard(), pane)
    reveal.open()
    left.walk(reveal)
    reveal.reject()  # not copied: it asks first
    left.walk(reveal.findChild(QMessageBox, "confirmCloseBox"))
    reveal.findChild(QMessageBox, "confirmCloseBox").close()
    reveal.copy_secret()
    left.walk(reveal)
    reveal.reject()
    QApplication.clipboard().clear()
    pane.table().selectRow(0)
    pane.request_remove()
    left.walk(QApplication.activeModalWidget())
    QApplication.activeModalWidget().close()


def test_every_page_menu_and_dialog_is_german(
    qtbot, qapp, compiled_catalogs, make_window, sample, service
):
    """Walked in English, then in German: no text of ui/'s catalog left in English, and
    no text the same in both languages (a text never marked for translation), beyond
    the user's own data and the texts German shares with English."""
    english = Walker()
    resources.install_translations(qapp, QLocale("en_US"), catalogs=compiled_catalogs)
    try:
        walk_everything(qtbot, make_window, sample, service, english)
        service.add_project("zweites-projekt")
        fill_project(service, "zweites-projekt")
        german = Walker()
        resources.install_translations(qapp, QLocale("de_DE"), catalogs=compiled_catalogs)
        walk_everything(qtbot, make_window, "zweites-projekt", service, german)
    finally:
        resources.install_translations(qapp, QLocale.system())
    assert german.walked > 1000  # the walk did reach the widgets
    assert german.found == {}, "\n".join(f"{k}: {v!r}" for k, v in german.found.items())
    same = {
        where: text
        for where, texts in german.seen.items()
        for text in texts & english.seen.get(where, set())
        if not is_data(text)
        # Who acted (created by, the audit log): the login role on PostgreSQL.
        and text != service.actor
        and text not in SAME_IN_GERMAN
        and text not in SAME_FOR_A_REASON
        and not text.startswith(f"<b>{APP_NAME}</b>")  # the About box: name and version
        and not APP_WORDS.search(where)
    }
    assert same == {}, "\n".join(f"{where}: {text!r}" for where, text in sorted(same.items()))


@pytest.mark.usefixtures("german")
def test_without_a_salt_the_warnings_are_german(qtbot, make_window, monkeypatch, service):
    monkeypatch.delenv(config.SALT_ENV)
    service.add_project("ohne-salt")
    left = Walker()
    window = make_window()
    window.open_project(service.find_project("ohne-salt"), DEPLOYMENT_TOKENS)
    left.walk(window)  # the banner, the empty state, the status bar's indicator
    window.project_page().tokens_pane().generate()
    left.walk(QApplication.activeModalWidget())  # the configuration error
    QApplication.activeModalWidget().close()
    left.walk(window.explain_salt())
    QApplication.activeModalWidget().close()
    assert left.found == {}


@pytest.mark.usefixtures("german")
def test_dates_and_relative_times_are_german(make_window, sample):
    window = make_window()
    project = window.service.find_project(sample)
    window.open_project(project, DEPLOYMENT_TOKENS)
    model = window.project_page().tokens_pane().model()
    shown = {
        model.data(model.index(row, column))
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    }
    assert "Kein Ablauf" in shown
    assert "Abgelaufen" in shown
    assert any(str(text).startswith("vor ") for text in shown)
    assert any(str(text).startswith("Läuft aus, noch ") for text in shown)
    header = model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "Name"


def test_the_guide_comes_in_german_when_there_is_a_german_one():
    german = translated_guide("de")
    assert german is not None
    assert "Deployment-Token" in german
    assert guide_path("de").name == "user-guide.de.md"
    assert guide_path("en") == guide_path("fr")  # English alone, no translation
    assert translated_guide("en") is None
    assert translated_guide("fr") is None


@pytest.mark.usefixtures("german")
def test_the_user_guide_dialog_shows_the_german_guide(qtbot, window):
    window.show_user_guide()
    qtbot.waitUntil(lambda: window.findChild(UserGuideDialog) is not None)
    guide = window.findChild(UserGuideDialog)
    assert guide.windowTitle() == "Benutzerhandbuch von Deployment Tokens"
    assert guide.text().startswith("Deployment Tokens \N{EN DASH} Benutzerhandbuch")
    guide.reject()
