"""The Projects page: every project, a filter box, and New project."""

from __future__ import annotations

import logging
from typing import cast

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeploymentTokensError
from app.records import ProjectRecord
from ui import access
from ui.background import WriteRunner
from ui.dialogs import messages, project_actions
from ui.dialogs.new_project import NewProjectDialog
from ui.models.projects import ProjectColumn, ProjectSortProxy, ProjectTableModel
from ui.resources import QT_TRANSLATE_NOOP
from ui.widgets.buttons import ActionButton
from ui.widgets.focused_row import FocusedRowDelegate
from ui.widgets.heading import heading
from ui.widgets.hint import HintLabel
from ui.widgets.token_table import current_menu_place, is_menu_key, menu_place

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

log = logging.getLogger(__name__)

NEW_PROJECT = QT_TRANSLATE_NOOP("ProjectsPage", "New project")
EMPTY_STATE = QT_TRANSLATE_NOOP(
    "ProjectsPage", "There are no projects yet. Click New project to add the first one."
)
NO_MATCH = QT_TRANSLATE_NOOP("ProjectsPage", "No project matches the filter.")


class ProjectsPage(QWidget):
    """Lists the projects; clicking one (or Enter on it) opens it. Its context menu (or
    F2, Delete) renames or deletes it."""

    project_opened = Signal(object)  # ProjectRecord
    status_message = Signal(str)
    # Its old name and its record under the new one.
    project_renamed = Signal(str, object)
    project_deleted = Signal(str)  # its name

    def __init__(self, service: TokenService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectsPage")
        self._service = service
        # Deleting a project runs off the GUI thread (adding and renaming run in their
        # dialogs), one at a time.
        self._writes = WriteRunner(service, self)

        self._filter = QLineEdit()
        self._filter.setObjectName("projectFilter")
        self._filter.setPlaceholderText(self.tr("Filter projects (Ctrl+F)"))
        self._filter.setAccessibleName(self.tr("Filter projects"))
        self._filter.setClearButtonEnabled(True)
        for clear in self._filter.findChildren(QToolButton):
            clear.setToolTip(self.tr("Clear the filter"))
            clear.setAccessibleName(self.tr("Clear the filter"))
        self._filter.textChanged.connect(self._apply_filter)
        self._filter.returnPressed.connect(self._open_first_match)

        self._new_button = ActionButton(self.tr(NEW_PROJECT))
        self._new_button.setObjectName("newProjectButton")
        # Ctrl+N is File > New project…'s, so that it works on every page.
        self._new_button.setToolTip(self.tr("New project (Ctrl+N)"))
        self._new_button.clicked.connect(self.new_project)
        self._new_project_refusal: str | None = None

        self._model = ProjectTableModel(parent=self)
        self._proxy = ProjectSortProxy(self)
        self._proxy.setSourceModel(self._model)
        self._proxy.setFilterKeyColumn(ProjectColumn.NAME)
        self._proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._table = self._project_table()

        self._empty = HintLabel(self.tr(EMPTY_STATE))
        self._empty.setObjectName("emptyState")
        self._stack = QStackedWidget()
        self._stack.addWidget(self._empty)
        self._stack.addWidget(self._table)

        toolbar = QHBoxLayout()
        toolbar.addWidget(self._filter, 1)
        toolbar.addWidget(self._new_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Projects"), "pageTitle"))
        layout.addLayout(toolbar)
        layout.addWidget(self._stack, 1)
        self.setFocusProxy(self._filter)

    def _project_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("projectTable")
        table.setAccessibleName(self.tr("Projects"))
        table.setModel(self._proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.setSortingEnabled(True)
        table.sortByColumn(ProjectColumn.NAME, Qt.SortOrder.AscendingOrder)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(ProjectColumn.NAME, QHeaderView.ResizeMode.Stretch)
        table.setColumnWidth(ProjectColumn.TOKENS, 90)
        table.setColumnWidth(ProjectColumn.ATTENTION, 140)
        table.setColumnWidth(ProjectColumn.CREATED, 150)
        table.setCursor(Qt.CursorShape.PointingHandCursor)
        table.setItemDelegate(FocusedRowDelegate(table))
        # The frame follows the current row, and goes with the focus.
        table.selectionModel().currentRowChanged.connect(table.viewport().update)
        # The spec's "Click your target project": one click opens it; Enter does too.
        table.clicked.connect(self._open_index)
        table.activated.connect(self._open_index)
        # Context-menu events through the filter, not customContextMenuRequested: a
        # keyboard request and a mouse one arrive in different coordinates, and only the
        # event says which it is.
        table.installEventFilter(self)
        table.viewport().installEventFilter(self)
        return table

    def table(self) -> QTableView:
        return self._table

    def current_project(self) -> ProjectRecord | None:
        """The selected project, if any."""
        index = self._table.currentIndex()
        if not index.isValid() or not self._table.selectionModel().isSelected(index):
            return None
        return self._model.project(self._proxy.mapToSource(index).row())

    def new_button(self) -> ActionButton:
        return self._new_button

    def set_new_project_refusal(self, refusal: str | None) -> None:
        """Disable New project, saying why (adding a project needs admin on every
        project), or enable it (None)."""
        self._new_project_refusal = refusal
        access.show_refusal(self._new_button, refusal, self.tr("New project (Ctrl+N)"))

    def context_menu(self, project: ProjectRecord) -> QMenu:
        """Open, Rename project… (F2), Delete project… (Delete); the last two disabled,
        saying why, for a role below admin of the project."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setToolTipsVisible(True)
        menu.addAction(self.tr("Open")).triggered.connect(lambda: self.project_opened.emit(project))
        refusal = self._refusal(project, access.ADMIN)
        rename = menu.addAction(project_actions.rename_label())
        rename.setShortcut(QKeySequence(Qt.Key.Key_F2))
        rename.triggered.connect(lambda: self.rename_project(project))
        access.show_action_refusal(rename, refusal)
        delete = menu.addAction(project_actions.delete_label())
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.triggered.connect(lambda: self.delete_project(project))
        access.show_action_refusal(delete, refusal)
        return menu

    def _refusal(self, project: ProjectRecord, needed: str) -> str | None:
        """Why this role may not do what needs ``needed`` on ``project`` (read now: a
        menu opens or a key is pressed), or None."""
        try:
            return access.read_project(self._service, project.name).refusal(needed)
        except DeploymentTokensError:
            return None  # the database decides when the action runs, and says why

    def _refused(self, project: ProjectRecord, needed: str) -> bool:
        """Say in the status bar why the role may not, if it may not (F2, Delete)."""
        refusal = self._refusal(project, needed)
        if refusal is not None:
            self.status_message.emit(refusal)
        return refusal is not None

    def is_busy(self) -> bool:
        """Whether a project is still being deleted."""
        return self._writes.is_busy()

    def rename_project(self, project: ProjectRecord) -> QWidget | None:
        if self.is_busy() or self._refused(project, access.ADMIN):
            return None

        def renamed(record: ProjectRecord) -> None:
            self.refresh()
            if (row := self.project_row(record.name)) is not None:
                self._table.selectRow(row)
            self.project_renamed.emit(project.name, record)
            self.status_message.emit(project_actions.renamed_message(project.name, record))

        return project_actions.ask_to_rename(self, self._service, project, renamed)

    def delete_project(self, project: ProjectRecord) -> QWidget | None:
        if self.is_busy() or self._refused(project, access.ADMIN):
            return None

        def deleted(message: str) -> None:
            self.refresh()  # selects the row that took its place
            if self._proxy.rowCount() > 0:
                self._table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.project_deleted.emit(project.name)
            self.status_message.emit(message)

        return project_actions.ask_to_delete(
            self, self._writes, self._service, project, project.token_count, deleted
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._table and event.type() in (
            QEvent.Type.FocusIn,
            QEvent.Type.FocusOut,
        ):
            self._table.viewport().update()  # the current row's focus frame
        if event.type() == QEvent.Type.ContextMenu and watched in (
            self._table,
            self._table.viewport(),
        ):
            self._show_context_menu(*menu_place(self._table, cast("QContextMenuEvent", event)))
            return True
        # F2 and Delete on the selected project, as on a token (and in file managers).
        if watched is self._table and event.type() == QEvent.Type.KeyPress:
            key = cast("QKeyEvent", event)
            if is_menu_key(key):
                self._show_context_menu(*current_menu_place(self._table))
                return True
            project = self.current_project()
            if project is not None and key.key() == Qt.Key.Key_F2:
                self.rename_project(project)
                return True
            if project is not None and (
                key.matches(QKeySequence.StandardKey.Delete) or key.key() == Qt.Key.Key_Delete
            ):
                self.delete_project(project)
                return True
        return super().eventFilter(watched, event)

    def _show_context_menu(self, index: QModelIndex, where: QPoint) -> None:
        """Open the menu of ``index``'s project at ``where`` (global), selecting it."""
        if not index.isValid():
            return
        self._table.setCurrentIndex(index)
        self._table.selectRow(index.row())
        project = self._model.project(self._proxy.mapToSource(index).row())
        self.context_menu(project).popup(where)

    def filter_box(self) -> QLineEdit:
        return self._filter

    def empty_state(self) -> QLabel:
        return self._empty

    def projects(self) -> list[ProjectRecord]:
        return [self._model.project(row) for row in range(self._model.rowCount())]

    def refresh(self) -> None:
        """Read the projects again (names and token counts change while we look away)."""
        try:
            self.reload()
        except DeploymentTokensError as error:
            messages.show_error(self, self.tr("Could not list the projects"), error)

    def reload(self) -> None:
        """Like ``refresh``, but raises the service's errors for the caller to judge."""
        current = self._table.currentIndex()
        selected = (
            self._model.project(self._proxy.mapToSource(current).row()).name
            if current.isValid()
            else None
        )
        self._model.set_projects(self._service.list_projects())
        self._update_empty_state()
        if selected is None:
            return
        row = self.project_row(selected)
        if row is None and self._proxy.rowCount() > 0:
            # It was deleted (here or elsewhere): the row that took its place, or the new
            # last row, so that Delete and the Menu key still work.
            row = min(current.row(), self._proxy.rowCount() - 1)
        if row is not None:
            self._table.selectRow(row)

    def new_project(self) -> NewProjectDialog | None:
        if self._new_project_refusal is not None:
            self.status_message.emit(self._new_project_refusal)
            return None
        dialog = NewProjectDialog(
            [project.name for project in self.projects()],
            self._service.add_project,
            self._service,
            self,
        )
        dialog.project_created.connect(self._project_created)
        dialog.open()
        return dialog

    def project_row(self, name: str) -> int | None:
        """The view row showing project ``name``, if the filter lets it through."""
        for row in range(self._proxy.rowCount()):
            source = self._proxy.mapToSource(self._proxy.index(row, 0))
            if self._model.project(source.row()).name == name:
                return row
        return None

    def _project_created(self, project: ProjectRecord) -> None:
        self._filter.clear()
        self.refresh()
        row = self.project_row(project.name)
        if row is not None:
            self._table.selectRow(row)
        self.status_message.emit(self.tr("Added project %1.").replace("%1", project.name))

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            source = self._proxy.mapToSource(index)
            self.project_opened.emit(self._model.project(source.row()))

    def _open_first_match(self) -> None:
        if self._proxy.rowCount() > 0:
            self._open_index(self._proxy.index(0, 0))

    def _apply_filter(self, text: str) -> None:
        self._proxy.setFilterFixedString(text.strip())
        self._update_empty_state()

    def _update_empty_state(self) -> None:
        if self._model.rowCount() == 0:
            self._empty.setText(self.tr(EMPTY_STATE))
            self._stack.setCurrentWidget(self._empty)
        elif self._proxy.rowCount() == 0:
            self._empty.setText(self.tr(NO_MATCH))
            self._stack.setCurrentWidget(self._empty)
        else:
            self._stack.setCurrentWidget(self._table)
