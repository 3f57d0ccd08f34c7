"""The New project and Rename project dialogs: a name, checked as it is typed, errors
shown beside it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeploymentTokensError, ValidationError
from app.names import NAME_MAX_LENGTH, clean_name, name_key
from app.records import ProjectRecord
from ui.background import Connections, WriteRunner
from ui.dialogs.messages import sentence
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

# In English, as tests find them; shown in the user's language.
CREATE = QT_TRANSLATE_NOOP("ProjectNameDialog", "Create")
RENAME = QT_TRANSLATE_NOOP("ProjectNameDialog", "Rename")
CANCEL = QT_TRANSLATE_NOOP("ProjectNameDialog", "Cancel")


class _ProjectNameDialog(QDialog):
    """Asks for a project name and submits it through ``submit``.

    The name is checked as it is typed (empty, too long, taken ignoring case) so the
    submit button only ever sends a name that should work; what the database still
    refuses (another workstation took the name a moment ago) is shown the same way.
    """

    def __init__(
        self,
        existing_names: Iterable[str],
        submit: Callable[[str], ProjectRecord],
        connections: Connections,
        *,
        title: str,
        intro: str,
        action: str,
        current: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(True)
        # The project's own name (in any case) is not taken: renaming "web" to "Web" is fine.
        own = name_key(current) if current else None
        self._taken = {name_key(name): name for name in existing_names if name_key(name) != own}
        self._submit = submit
        self._current = current

        self._name = QLineEdit()
        self._name.setObjectName("projectNameField")
        self._name.setPlaceholderText(
            QCoreApplication.translate("ProjectNameDialog", "for example, payments-api")
        )
        self._name.setAccessibleName(
            QCoreApplication.translate("ProjectNameDialog", "Project name")
        )
        self._name.textChanged.connect(self._validate)
        self._name.returnPressed.connect(self.accept)
        self._error = QLabel("")
        self._error.setObjectName("projectNameError")
        self._error.setWordWrap(True)
        self._error.setStyleSheet(f"color: {_error_colour(self.palette())};")
        self._error.setAccessibleName(
            QCoreApplication.translate("ProjectNameDialog", "Project name error")
        )
        self._error.hide()

        layout = QVBoxLayout(self)
        # The dialog grows and shrinks with the error message instead of clipping it.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        explanation = QLabel(intro)
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        layout.addLayout(self._form())
        layout.addWidget(self._buttons(action))
        # The name is stored off the GUI thread; the buttons wait while that is slow.
        self._writes = WriteRunner(
            connections, self, controls=[self._create_button, self._cancel_button]
        )
        self._writes.busy_changed.connect(self._validate)
        self._name.setMinimumWidth(320)
        if current:
            self._name.setText(current)
            self._name.selectAll()
        self._name.setFocus()

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        label = QLabel(QCoreApplication.translate("ProjectNameDialog", "&Name:"))
        label.setBuddy(self._name)
        form.addRow(label, self._name)
        form.addRow("", self._error)
        return form

    def _buttons(self, action: str) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self._create_button = QPushButton(_tr(action))
        self._create_button.setObjectName(f"{action.lower()}Button")
        self._create_button.setDefault(True)
        self._create_button.setEnabled(False)
        buttons.addButton(self._create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self._cancel_button = buttons.addButton(_tr(CANCEL), QDialogButtonBox.ButtonRole.RejectRole)
        self._cancel_button.setObjectName("cancelButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        return buttons

    def name_field(self) -> QLineEdit:
        return self._name

    def submit_button(self) -> QPushButton:
        return self._create_button

    def error_text(self) -> str:
        return self._error.text() if self._error.isVisibleTo(self) else ""

    def is_busy(self) -> bool:
        """Whether the name is still being stored."""
        return self._writes.is_busy()

    def accept(self) -> None:
        if self._writes.is_busy() or self._validate() is not None:
            return
        name = self._name.text()
        self._writes.run(lambda: self._submit(name), self._submitted, self._refused)

    def reject(self) -> None:
        if not self._writes.is_busy():  # a write cannot be called back: wait for its answer
            super().reject()

    def _submitted(self, project: ProjectRecord) -> None:
        self._done(project)
        super().accept()

    def _refused(self, error: Exception) -> None:
        if not isinstance(error, DeploymentTokensError):
            raise error  # a bug: the app's handler of unexpected errors reports it
        # Validation, a name taken meanwhile elsewhere, or the database refusing.
        self._show_error(sentence(str(error)))

    def _done(self, project: ProjectRecord) -> None:
        raise NotImplementedError

    def _validate(self) -> str | None:
        """The problem with the name typed so far, shown beside it; None when it is fine."""
        if self._writes.is_busy():
            return None  # the buttons wait for the write; the name is checked after it
        text = self._name.text()
        problem: str | None = None
        if not text.strip():
            problem = ""  # Nothing typed yet: no need to scold, just keep Create disabled.
        elif len(text.strip()) > NAME_MAX_LENGTH:
            problem = arg(
                QCoreApplication.translate(
                    "ProjectNameDialog",
                    "A project name can be at most %1 characters (this one has %2).",
                ),
                NAME_MAX_LENGTH,
                len(text.strip()),
            )
        else:
            try:
                clean = clean_name(text, "project name")
            except ValidationError as error:
                problem = sentence(str(error))
            else:
                taken = self._taken.get(name_key(clean))
                if clean == self._current:
                    problem = ""  # Unchanged: nothing to rename, nothing to scold.
                elif taken is not None:
                    problem = arg(
                        QCoreApplication.translate(
                            "ProjectNameDialog",
                            "A project named “%1” already exists (names ignore case).",
                        ),
                        taken,
                    )
        self._create_button.setEnabled(problem is None)
        self._show_error(problem or "")
        return problem

    def _show_error(self, message: str) -> None:
        self._error.setText(message)
        self._error.setVisible(bool(message))
        self._name.setAccessibleDescription(message)


class NewProjectDialog(_ProjectNameDialog):
    """File, New project…, or the Projects page's New project button."""

    project_created = Signal(object)  # ProjectRecord

    def __init__(
        self,
        existing_names: Iterable[str],
        create: Callable[[str], ProjectRecord],
        connections: Connections,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            existing_names,
            create,
            connections,
            title=self.tr("New project"),
            intro=self.tr("Projects scope deployment tokens: a token works for one project."),
            action=CREATE,
            parent=parent,
        )
        self.setObjectName("newProjectDialog")

    def create_button(self) -> QPushButton:
        return self.submit_button()

    def _done(self, project: ProjectRecord) -> None:
        self.project_created.emit(project)


class RenameProjectDialog(_ProjectNameDialog):
    """Rename project… on a project's Settings pane."""

    project_renamed = Signal(object)  # ProjectRecord, under its new name

    def __init__(
        self,
        current: str,
        existing_names: Iterable[str],
        rename: Callable[[str], ProjectRecord],
        connections: Connections,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            existing_names,
            rename,
            connections,
            title=self.tr("Rename project"),
            intro=self.tr(
                "The project's tokens keep working. Pipelines that name the project "
                "when they verify a token (verify --project, the X-Deployment-Project header) "
                "must use the new name."
            ),
            action=RENAME,
            current=current,
            parent=parent,
        )
        self.setObjectName("renameProjectDialog")

    def _done(self, project: ProjectRecord) -> None:
        self.project_renamed.emit(project)


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("ProjectNameDialog", source)


def _error_colour(palette: QPalette) -> str:
    """A red that reads on the window's background, light or dark."""
    return "#ff8a80" if palette.color(QPalette.ColorRole.Window).lightness() < 128 else "#c62828"
