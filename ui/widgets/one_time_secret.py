"""A secret shown once, for the dialogs that reveal one (a new token, a webhook's signing
secret): a read-only field, a copy button beside it and the line that says it was copied.

Every copy goes through ``copy()``, the button's path: the clipboard marks it as a secret
for clipboard managers and clears it after a while. Ctrl+C on the field is routed there;
the field has no context menu and no drag, which would copy without the markers; on X11
a selection is taken back out of the PRIMARY selection at once. ``forget()`` empties the
field (its undo history too) on the dialog's way out.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QClipboard, QFontDatabase, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QToolButton, QWidget

from ui import resources
from ui.clipboard import SecretClipboard
from ui.translated import counted

# How long the copy button shows its check mark.
COPIED_FEEDBACK_MS = 2_000


class OneTimeSecret(QObject):
    """The field, its copy button and the Copied line; the dialog lays them out.

    ``names`` are the object names of the field and the button (tests and the spec find
    them by name); ``labels`` are the field's accessible name and description and the
    button's tooltip and accessible name, already in the user's language.
    """

    # After each copy; the dialog may grow to show the Copied line.
    copied = Signal()

    def __init__(
        self,
        secret: str,
        clipboard: SecretClipboard,
        *,
        names: tuple[str, str],
        labels: tuple[str, str, str],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        field_name, button_name = names
        field_label, description, copy_label = labels
        self._clipboard = clipboard
        self._has_copied = False
        self._field = _secret_field(secret, field_name, field_label, description)
        self._field.installEventFilter(self)
        self._button = _copy_button(button_name, copy_label)
        self._button.clicked.connect(self.copy)
        self._copied = QLabel("")
        self._copied.setObjectName("copiedLabel")
        self._feedback = QTimer(self)
        self._feedback.setSingleShot(True)
        self._feedback.setInterval(COPIED_FEEDBACK_MS)
        self._feedback.timeout.connect(self._end_feedback)
        QGuiApplication.clipboard().selectionChanged.connect(self._keep_out_of_selection)

    def field(self) -> QLineEdit:
        return self._field

    def button(self) -> QToolButton:
        return self._button

    def copied_label(self) -> QLabel:
        return self._copied

    @property
    def has_copied(self) -> bool:
        return self._has_copied

    def clear_after_seconds(self) -> int:
        """How long a copy stays on the clipboard."""
        return self._clipboard.clear_after_ms // 1000

    def copy(self) -> None:
        """Copy the secret (marked, cleared after a while) and say so for a moment."""
        if not self._field.text():
            return  # forgotten: the dialog is closing
        self._clipboard.copy(self._field.text())
        self._has_copied = True
        seconds = self.clear_after_seconds()
        self._button.setIcon(resources.icon("check"))
        said = self.tr("Copied. The clipboard is cleared in %n second(s).", "", seconds)
        self._copied.setText(counted(said, seconds))
        self._feedback.start()
        self.copied.emit()

    def forget(self) -> None:
        """Empty the field; setText("") also clears its undo history, which held it too."""
        self._field.setText("")
        self._field.setMinimumWidth(0)
        self._feedback.stop()

    def update_icon(self) -> None:
        """Draw the button's icon again, in the new palette's colours."""
        self._button.setIcon(resources.icon("check" if self._feedback.isActive() else "copy"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Copy)
        ):
            self.copy()
            return True
        return super().eventFilter(watched, event)

    def _end_feedback(self) -> None:
        self._button.setIcon(resources.icon("copy"))
        self._copied.setText("")

    def _keep_out_of_selection(self) -> None:
        """On X11, selecting text copies it to the PRIMARY selection (middle-click paste),
        unmarked and never cleared; take the secret back out of it at once."""
        board = QGuiApplication.clipboard()
        if board.ownsSelection() and self._field.hasSelectedText():
            # Queued: the clipboard is still announcing the change that brought us here.
            QTimer.singleShot(0, lambda: board.clear(QClipboard.Mode.Selection))


def _secret_field(secret: str, name: str, label: str, description: str) -> QLineEdit:
    field = QLineEdit(secret)
    field.setObjectName(name)
    field.setReadOnly(True)
    field.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    field.setAccessibleName(label)
    field.setAccessibleDescription(description)
    field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    field.setDragEnabled(False)
    field.setMinimumWidth(field.fontMetrics().horizontalAdvance(secret) + 24)
    return field


def _copy_button(name: str, label: str) -> QToolButton:
    button = QToolButton()
    button.setObjectName(name)
    button.setIcon(resources.icon("copy"))
    button.setIconSize(QSize(18, 18))
    button.setToolTip(label)
    button.setAccessibleName(label)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    # The keyboard's first stop in the dialog, so its focus must show in every style.
    button.setStyleSheet(
        f"QToolButton#{name}:focus {{ border: 2px solid palette(highlight);"
        " border-radius: 4px; padding: 2px; }"
    )
    return button
