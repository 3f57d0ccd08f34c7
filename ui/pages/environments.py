"""Settings > Environments: the places a project deploys to, which tokens can be limited to."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeploymentTokensError
from app.names import NAME_MAX_LENGTH
from ui import access
from ui.access import Permissions
from ui.background import WriteRunner
from ui.dialogs import messages
from ui.resources import QT_TRANSLATE_NOOP
from ui.widgets.heading import heading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.records import EnvironmentRecord
    from app.service import TokenService

ENVIRONMENTS = QT_TRANSLATE_NOOP("EnvironmentsPane", "Environments")
ADD = QT_TRANSLATE_NOOP("EnvironmentsPane", "Add environment")
REMOVE = QT_TRANSLATE_NOOP("EnvironmentsPane", "Remove")
DESCRIPTION = QT_TRANSLATE_NOOP(
    "EnvironmentsPane",
    "The places this project deploys to, such as staging and production. A token can be "
    "limited to some of them when it is generated; a token limited to none may deploy to "
    "all. Pipelines name the environment they deploy to, and a token outside its "
    "environments is refused. An environment a token is limited to cannot be removed.",
)


class EnvironmentsPane(QWidget):
    """Lists, adds and removes one project's environments."""

    changed = Signal()  # Generate's Environments choice follows
    status_message = Signal(str)

    def __init__(self, service: TokenService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("environmentsPane")
        self._service = service
        self._project: str | None = None
        # Adding and removing environments need admin on the project.
        self._refusal: str | None = None

        description = QLabel(self.tr(DESCRIPTION))
        description.setWordWrap(True)
        self._list = QListWidget()
        self._list.setObjectName("environmentList")
        self._list.setAccessibleName(self.tr(ENVIRONMENTS))
        self._list.currentItemChanged.connect(self._update_buttons)
        self._name = QLineEdit()
        self._name.setObjectName("environmentNameField")
        self._name.setAccessibleName(self.tr("New environment name"))
        self._name.setPlaceholderText(self.tr("production", "an example environment name"))
        self._name.setMaxLength(NAME_MAX_LENGTH)
        self._name.returnPressed.connect(self.add)
        self._name.textChanged.connect(self._update_buttons)
        self._add = QPushButton(self.tr(ADD))
        self._add.setObjectName("addEnvironmentButton")
        self._add.clicked.connect(self.add)
        self._remove = QPushButton(self.tr(REMOVE))
        self._remove.setObjectName("removeEnvironmentButton")
        self._remove.setAccessibleName(self.tr("Remove environment"))
        self._remove.clicked.connect(self.remove_selected)
        # Adding and removing run off the GUI thread; the buttons wait while one is slow.
        self._writes = WriteRunner(service, self, controls=[self._add, self._remove])
        self._writes.busy_changed.connect(self._update_buttons)

        adding = QHBoxLayout()
        adding.addWidget(self._name, 1)
        adding.addWidget(self._add)
        adding.addWidget(self._remove)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr(ENVIRONMENTS), "paneTitle"))
        layout.addWidget(description)
        layout.addLayout(adding)
        layout.addWidget(self._list, 1)
        self._update_buttons()

    def set_permissions(self, permissions: Permissions) -> None:
        """Below admin, the name field, Add and Remove stay visible but disabled,
        saying which level they need and whom to ask."""
        self._refusal = permissions.refusal(access.ADMIN)
        self._name.setEnabled(self._refusal is None)
        self._name.setToolTip(self._refusal or "")
        self._name.setAccessibleDescription(self._refusal or "")
        self._update_buttons()

    def add_button(self) -> QPushButton:
        return self._add

    def remove_button(self) -> QPushButton:
        return self._remove

    def show_project(self, project_name: str) -> None:
        self._project = project_name
        self.refresh()

    def refresh(self) -> None:
        """Show the stored environments. Raises the service's errors."""
        if self._project is None:
            return
        names = [e.name for e in self._service.list_environments(self._project)]
        if names != self.names():
            self._list.clear()
            self._list.addItems(names)
        self._update_buttons()

    def names(self) -> list[str]:
        return [self._list.item(row).text() for row in range(self._list.count())]

    def name_field(self) -> QLineEdit:
        return self._name

    def list_widget(self) -> QListWidget:
        return self._list

    def is_busy(self) -> bool:
        """Whether an environment is still being added or removed."""
        return self._writes.is_busy()

    def add(self) -> None:
        name = self._name.text().strip()
        if self._project is None or not name or self._refusal is not None:
            return
        project = self._project

        def added(environment: EnvironmentRecord) -> None:
            self._name.clear()
            self._after_change(self.tr("Added environment %1.").replace("%1", environment.name))

        self._writes.run(
            lambda: self._service.add_environment(project, name),
            added,
            lambda error: messages.show_error(
                self, self.tr("Could not add the environment"), error
            ),
        )

    def remove_selected(self) -> None:
        item = self._list.currentItem()
        if self._project is None or item is None or self._refusal is not None:
            return
        project, name = self._project, item.text()
        self._writes.run(
            lambda: self._service.remove_environment(project, name),
            lambda removed: self._after_change(
                self.tr("Removed environment %1.").replace("%1", removed.name)
            ),
            lambda error: messages.show_error(
                self, self.tr("Could not remove the environment"), error
            ),
        )

    def _after_change(self, message: str) -> None:
        try:
            self.refresh()
        except DeploymentTokensError as error:
            messages.show_error(self, self.tr("Could not read the environments"), error)
        self.changed.emit()
        self.status_message.emit(message)

    def _update_buttons(self, *_: object) -> None:
        if self._writes.is_busy():
            return  # the runner gives them back when the write is done
        if self._refusal is not None:
            for button in (self._add, self._remove):
                access.show_refusal(button, self._refusal)
            return
        for button in (self._add, self._remove):
            access.show_refusal(button, None)
        self._add.setEnabled(bool(self._name.text().strip()))
        self._remove.setEnabled(self._list.currentItem() is not None)
