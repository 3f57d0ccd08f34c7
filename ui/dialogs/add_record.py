"""What the Add… dialogs of a project's lists share (a notification, a trusted deployer, a
destination): a kind to choose, Add (enabled once the form is complete) and Cancel, and a
line in red that says why the service refused what was typed. The write runs off the GUI
thread; while it runs neither button nor Escape can close the dialog, and a refusal
leaves it open with everything as typed, nothing written.

A dialog built on it lays the pieces out and says three things: whether its form is
complete, the write to run (``_write``; a ValidationError for what the form's own rules
refuse), and what to say once the record is added (``_added``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from app.errors import DeploymentTokensError
from ui.background import Connections, WriteRunner
from ui.dialogs.messages import sentence
from ui.widgets.error_text import error_colour

# The label column's least width, so short labels do not crowd their fields.
LABEL_WIDTH = 130


class AddRecordDialog(QDialog):
    """The frame: the buttons, the write runner, the problem line and the kind choice."""

    def __init__(
        self,
        name: str,
        title: str,
        connections: Connections,
        parent: QWidget | None,
        *,
        problem_name: str,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(True)
        # First: the fields the dialog makes next reach Add and the runner as they change.
        self._button_box = self._buttons()
        self._writes = WriteRunner(connections, self, controls=[self._add, self._cancel])
        self._writes.busy_changed.connect(self._edited)
        self._problem = QLabel()
        self._problem.setObjectName(problem_name)
        self._problem.setWordWrap(True)
        self._problem.setStyleSheet(f"color: {error_colour(self.palette())};")
        self._problem.hide()
        self._kind = QComboBox()

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self._add = QPushButton(self.tr("Add"))
        self._add.setObjectName("addButton")
        self._add.setDefault(True)
        self._add.setEnabled(False)
        buttons.addButton(self._add, QDialogButtonBox.ButtonRole.AcceptRole)
        self._cancel = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self._cancel.setObjectName("cancelButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        return buttons

    def _fill_kind_choice(self, name: str, kinds: Sequence[tuple[str, str]]) -> QComboBox:
        """The kind choice, ``kinds`` as (kind, its name in the user's language)."""
        self._kind.setObjectName(name)
        self._kind.setAccessibleName(self.tr("Kind"))
        for kind, shown in kinds:
            self._kind.addItem(shown, kind)
        self._kind.currentIndexChanged.connect(self._kind_chosen)
        return self._kind

    # What tests and the pane reach for

    def kind_choice(self) -> QComboBox:
        return self._kind

    def choose_kind(self, kind: str) -> None:
        self._kind.setCurrentIndex(self._kind.findData(kind))

    def kind(self) -> str:
        return str(self._kind.currentData())

    def add_button(self) -> QPushButton:
        return self._add

    def problem(self) -> str:
        return self._problem.text() if self._problem.isVisibleTo(self) else ""

    def is_busy(self) -> bool:
        return self._writes.is_busy()

    # What the dialog says

    def _complete(self) -> bool:
        """Whether everything required is filled in (Add is enabled then)."""
        raise NotImplementedError

    def _write(self) -> Callable[[], object]:
        """The service call that adds what the form says, run off the GUI thread; raises
        a DeploymentTokensError for what the form's own rules refuse."""
        raise NotImplementedError

    def _added(self, answer: object) -> None:
        """Say what was added (the dialog has closed)."""
        raise NotImplementedError

    def _kind_chosen(self, *_: object) -> None:
        """Show what the kind just chosen asks for."""

    # Adding

    def accept(self) -> None:
        if not self._complete() or self._writes.is_busy():
            return
        try:
            write = self._write()
        except DeploymentTokensError as error:
            self._refused(error)
            return
        self._writes.run(write, self._answered, self._refused)

    def reject(self) -> None:
        if not self._writes.is_busy():  # a write cannot be called back: wait for its answer
            super().reject()

    def _answered(self, answer: object) -> None:
        super().accept()
        self._added(answer)

    def _refused(self, error: Exception) -> None:
        if not isinstance(error, DeploymentTokensError):
            raise error  # a bug: the app's handler of unexpected errors reports it
        # A field the service refuses, a record already there, or the database refusing.
        self._show_problem(sentence(str(error)))

    # Following the form

    def _typed(self, *_: object) -> None:
        self._show_problem("")  # said of what was typed before
        self._edited()

    def _edited(self, *_: object) -> None:
        if not self._writes.is_busy():
            self._add.setEnabled(self._complete())

    def _show_problem(self, message: str) -> None:
        self._problem.setText(message)
        self._problem.setVisible(bool(message))
        # Said to a screen reader on the Add button, where focus is when it is clicked.
        self._add.setAccessibleDescription(message)
        self._problem.setAccessibleName(message)


def form_grid(parent: QWidget | None = None) -> QGridLayout:
    """A grid of labels and fields: the fields take the width left; inside ``parent``
    (a page of a stacked form) without margins of its own."""
    grid = QGridLayout(parent)
    grid.setColumnStretch(1, 1)
    grid.setColumnMinimumWidth(0, LABEL_WIDTH)
    if parent is not None:
        grid.setContentsMargins(0, 0, 0, 0)
    return grid
