"""The token salt in the main window: a status-bar indicator while tokens cannot be
generated for the salt's sake, and the box (Help > Token salt…, or a click on the
indicator) that says how to fix it, or that it is fine.

Loaded after the window's first paint, with the store.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QStatusBar, QToolButton, QWidget

from ui import resources
from ui.dialogs import messages
from ui.resources import QT_TRANSLATE_NOOP

TITLE = QT_TRANSLATE_NOOP("SaltStatus", "Token salt")
SALT_STATUS = QT_TRANSLATE_NOOP("SaltStatus", "Tokens cannot be generated: token salt")
SALT_FIX = QT_TRANSLATE_NOOP(
    "SaltStatus",
    "Set ML_DEPLOYMENT_TOKEN_SALT to a random secret of at least 32 characters in the "
    "environment the app starts from (for example in ~/.profile), then restart the app. "
    "Make one with:\n\n    python3 -c 'import secrets; print(secrets.token_urlsafe(48))'\n\n"
    "Every machine that generates or verifies tokens for this database needs the same value.",
)
SALT_FINE = QT_TRANSLATE_NOOP("SaltStatus", "The token salt is set: tokens can be generated.")
SALT_KEEP = QT_TRANSLATE_NOOP(
    "SaltStatus",
    "Every machine that generates or verifies tokens for this database needs the same "
    "ML_DEPLOYMENT_TOKEN_SALT. Keep it for as long as the tokens made with it should verify.",
)


class SaltStatus:
    """The indicator in ``status_bar``; ``problem`` asks the service what is wrong with
    the salt (None when tokens can be generated)."""

    def __init__(
        self, status_bar: QStatusBar, problem: Callable[[], str | None], parent: QWidget
    ) -> None:
        self._status_bar = status_bar
        self._problem = problem
        self._parent = parent
        self._button: QToolButton | None = None

    def update(self) -> None:
        """Say on every page, in the status bar, when tokens cannot be generated for the
        salt's sake, with the way to fix it one click away."""
        problem = self._problem()
        if problem is None:
            if self._button is not None:
                self._button.hide()
            return
        if self._button is None:
            self._button = self._indicator()
        tip = QCoreApplication.translate(
            "SaltStatus", "%1 Click for how to fix it (also Help > Token salt…)."
        ).replace("%1", messages.sentence(problem))
        self._button.setToolTip(tip)
        self._button.setAccessibleDescription(tip)
        self._button.show()

    def _indicator(self) -> QToolButton:
        button = QToolButton()
        button.setObjectName("saltStatusButton")
        button.setIcon(resources.icon("warning"))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setText(_tr(SALT_STATUS))
        button.setAccessibleName(_tr(SALT_STATUS))
        # It looks like status text; the hand says it is also a button.
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: explain_salt(self._parent, self._problem()))
        self._status_bar.insertPermanentWidget(0, button)
        return button


def explain_salt(parent: QWidget, problem: str | None) -> QMessageBox:
    """What is wrong with the salt and how to set it, with a ready command; or, when it
    is fine (``problem`` None), that it is."""
    if problem is None:
        return messages.show_message(
            parent, _tr(TITLE), _tr(SALT_FINE), _tr(SALT_KEEP), QMessageBox.Icon.Information
        )
    return messages.show_message(parent, _tr(TITLE), messages.sentence(problem), _tr(SALT_FIX))


def _tr(source: str) -> str:
    """A text marked above, in the user's language."""
    return QCoreApplication.translate("SaltStatus", source)
