"""Message boxes, behind small functions so that tests can find or replace them.

Every box is opened with ``open()``: it is window-modal, returns at once, and deletes
itself when closed, so neither the app nor a test ever blocks in a nested event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from app.errors import (
    ConfigurationError,
    ConflictError,
    DeploymentTokensError,
    NotFoundError,
    StorageError,
    UnavailableError,
    ValidationError,
)
from app.records import TokenRecord
from ui.relative_time import relative
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

CONFIGURATION_ERROR_TITLE = QT_TRANSLATE_NOOP("Messages", "Configuration error")
# The configuration message itself names the variable and how to make a good value;
# this says what happened and where to set it.
SALT_HOWTO = QT_TRANSLATE_NOOP(
    "Messages",
    "No token was generated and nothing was written. Set the variable in the environment "
    "the app starts from (for example in ~/.profile), then restart the app. Keep the same "
    "value for as long as the tokens made with it should verify.",
)


def sentence(message: str) -> str:
    """A service message ("there is no project …") as a sentence for a dialog."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."


def show_message(
    parent: QWidget | None,
    title: str,
    text: str,
    informative: str = "",
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setInformativeText(informative)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("messageBox")
    box.open()
    return box


def offer_retry(box: QMessageBox, retry: Callable[[], None]) -> None:
    """Give ``box`` a default Retry button that calls ``retry`` once the box has closed."""
    box.setStandardButtons(QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Retry)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)

    def finished(result: int) -> None:
        if result == QMessageBox.StandardButton.Retry:
            retry()

    box.finished.connect(finished)


def show_configuration_error(parent: QWidget, problem: str) -> QMessageBox:
    """The salt is missing or unusable: say what is wrong and how to fix it."""
    return show_message(
        parent,
        _tr(CONFIGURATION_ERROR_TITLE),
        sentence(problem),
        _tr(SALT_HOWTO),
        QMessageBox.Icon.Critical,
    )


def show_error(
    parent: QWidget,
    action: str,
    error: Exception,
    retry: Callable[[], None] | None = None,
) -> QMessageBox:
    """Report a failed action ("Could not generate a token") without a traceback.

    With ``retry``, a database failure offers Retry, which calls it.
    """
    if isinstance(error, ConfigurationError):
        return show_configuration_error(parent, str(error))
    if isinstance(error, StorageError):
        if isinstance(error, UnavailableError):
            informative = QCoreApplication.translate(
                "Messages",
                "Nothing was changed. Start the database server or restore the network, "
                "then retry.",
            )
        else:
            informative = QCoreApplication.translate(
                "Messages",
                "Nothing was changed. Check that the database is reachable, writable and "
                "not in use by another program, then try again.",
            )
        box = show_message(
            parent,
            QCoreApplication.translate("Messages", "Database error"),
            arg(QCoreApplication.translate("Messages", "%1: %2"), action, sentence(str(error))),
            informative,
            QMessageBox.Icon.Critical,
        )
        if retry is not None:
            offer_retry(box, retry)
        return box
    if isinstance(error, ValidationError | NotFoundError | ConflictError | DeploymentTokensError):
        return show_message(parent, action, sentence(str(error)))
    # A bug: still a sentence, never a traceback; the details go to the log.
    return show_message(
        parent,
        QCoreApplication.translate("Messages", "Unexpected error"),
        arg(
            QCoreApplication.translate("Messages", "%1: an unexpected error occurred (%2)."),
            action,
            type(error).__name__,
        ),
        QCoreApplication.translate("Messages", "Nothing was changed. Please report this problem."),
        QMessageBox.Icon.Critical,
    )


# The confirmation asked before a token is revoked.

DELETE = QT_TRANSLATE_NOOP("Messages", "Delete")
CANCEL = QT_TRANSLATE_NOOP("Messages", "Cancel")
TITLE = QT_TRANSLATE_NOOP("Messages", "Delete deployment token")
# A token used more recently than this is, as far as anyone knows, still in use.
RECENT_USE = timedelta(hours=24)


def last_use(record: TokenRecord, now: datetime) -> str:
    """When ``record`` was last used, as the confirmation says it: the spec asks the user
    to "confirm that no active automation still depends on the token" before deleting,
    and this is what tells them. Within a day, it says plainly that something uses it."""
    used = record.last_used_at
    if used is None:
        return QCoreApplication.translate("Messages", "Never used.")
    ago = relative(used, now)
    if now - used < RECENT_USE:
        said = QCoreApplication.translate(
            "Messages", "Something used this token %1: a pipeline may still depend on it."
        )
        return arg(said, ago)
    return arg(QCoreApplication.translate("Messages", "Last used %1."), ago)


def confirm_delete(
    parent: QWidget, record: TokenRecord, on_delete: Callable[[], None], now: datetime
) -> QMessageBox:
    """Ask whether to revoke ``record``, saying when it was last used (as of ``now``);
    call ``on_delete`` only if the user clicks Delete."""
    return confirm_destructive(
        parent,
        "confirmDeleteBox",
        _tr(TITLE),
        arg(
            QCoreApplication.translate("Messages", "Delete the token %1 (“%2”)?"),
            record.preview,
            record.name,
        ),
        last_use(record, now)
        + "\n\n"
        + QCoreApplication.translate(
            "Messages",
            "Automation that uses this token stops working at once: any CLI tool or CI/CD "
            "pipeline presenting it will be refused. This cannot be undone.",
        ),
        (_tr(DELETE), "deleteButton"),
        on_delete,
    )


def confirm_destructive(
    parent: QWidget,
    object_name: str,
    title: str,
    text: str,
    informative: str,
    action: tuple[str, str],
    on_confirm: Callable[[], None],
) -> QMessageBox:
    """Ask before something that cannot be undone; call ``on_confirm`` only if the user
    clicks the ``action`` button (its label and object name).

    Cancel is the default and the Escape button: a stray Enter must not revoke a token
    that a pipeline still uses.
    """
    box = QMessageBox(parent)
    box.setObjectName(object_name)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setInformativeText(informative)
    confirm = box.addButton(action[0], QMessageBox.ButtonRole.DestructiveRole)
    confirm.setObjectName(action[1])
    cancel = box.addButton(_tr(CANCEL), QMessageBox.ButtonRole.RejectRole)
    cancel.setObjectName("cancelButton")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def decided(button: QAbstractButton) -> None:
        if button is confirm:
            on_confirm()

    box.buttonClicked.connect(decided)
    box.open()
    return box


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("Messages", source)
