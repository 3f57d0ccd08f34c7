"""What a project's list panes (members, notifications, trusted deployers, destinations)
share: a notice saying why the pane is read-only, a row of buttons, a table of records
with, in its place when there is none, one sentence, and the accessors tests reach for.

Each pane keeps its own texts, passing them in already translated: a ``self.tr()`` here
would move them to ProjectListPage's translation context, and the catalog with them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QTableView, QWidget

from ui.access import Permissions, level_name
from ui.background import WriteRunner
from ui.translated import arg
from ui.widgets.buttons import ActionButton
from ui.widgets.hint import HintLabel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.service import TokenService

ModelT = TypeVar("ModelT", bound=QAbstractItemModel)


class ProjectListPage(QWidget, Generic[ModelT]):
    """A pane listing some of one project's records. Each pane builds and lays out its
    own model, table, buttons and write runner, and says what this role's level allows
    there (``set_permissions``) and how it reads its records (``refresh``)."""

    # Set by each pane's __init__.
    _model: ModelT
    _table: QTableView
    _writes: WriteRunner

    def __init__(
        self, service: TokenService, parent: QWidget | None, *, name: str, notice_name: str
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._service = service
        self._project: str | None = None
        # Why this role may not add or remove here (None: it may).
        self._refusal: str | None = None
        self._notice = hidden_label(notice_name)

    # What tests and the page reach for

    def table(self) -> QTableView:
        return self._table

    def model(self) -> ModelT:
        return self._model

    def notice(self) -> QLabel:
        return self._notice

    def is_busy(self) -> bool:
        return self._writes.is_busy()

    # The project and this role's level on it

    def show_project(self, project_name: str, permissions: Permissions) -> None:
        """Show ``project_name``'s records. Raises the service's errors."""
        self._project = project_name
        self.set_permissions(permissions)
        self.refresh()

    def set_permissions(self, permissions: Permissions) -> None:
        raise NotImplementedError  # each pane says what its level allows

    def refresh(self) -> None:
        raise NotImplementedError  # each pane reads its own records

    def _say_why_read_only(
        self, permissions: Permissions, only_admins: str, *, no_member: str, ask_admin: str
    ) -> None:
        """Below admin on PostgreSQL, the notice says ``only_admins`` (%1: this role's
        level, else ``no_member``) and ``ask_admin`` (%1: the project's admins); otherwise
        only why nothing can change whatever the level (a read-only SQLite file), if so."""
        if self._refusal is None or not permissions.controlled:
            self._notice.setVisible(self._refusal is not None)
            self._notice.setText(self._refusal or "")
            return
        said = arg(only_admins, level_name(permissions.level) or no_member)
        if permissions.admins:
            said += " " + arg(ask_admin, ", ".join(permissions.admins))
        self._notice.setText(said)
        self._notice.show()

    # The selection

    def _selected_row(self) -> int | None:
        """The selected row; None also while the current row is not selected."""
        index = self._table.currentIndex()
        if not index.isValid() or not self._table.selectionModel().isSelected(index):
            return None
        return index.row()

    def _select_row(self, row: int | None) -> None:
        if row is not None:
            self._table.selectRow(row)


class ListOrSentence(QStackedWidget):
    """A list, or in its place one sentence saying why there is none (nothing to list
    yet; access control needs PostgreSQL)."""

    def __init__(self, listing: QWidget, sentence: QLabel) -> None:
        super().__init__()
        self._listing = listing
        self._sentence = sentence
        self.addWidget(listing)
        self.addWidget(sentence)

    def show_listing(self, shown: bool) -> None:
        self.setCurrentWidget(self._listing if shown else self._sentence)

    def shown_sentence(self) -> QLabel | None:
        """The sentence while it stands in for the list, else None."""
        return self._sentence if self.currentWidget() is self._sentence else None


def description_label(text: str) -> QLabel:
    """What the pane lists and why, under its heading."""
    label = QLabel(text)
    label.setObjectName("paneDescription")
    label.setWordWrap(True)
    return label


def hidden_label(name: str) -> QLabel:
    """A wrapping label, hidden until it has something to say."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()
    return label


def sentence_label(text: str, name: str) -> HintLabel:
    """The sentence standing in for the list: where the table's rows would start, and
    selectable, to copy a command or a section's name from it."""
    label = HintLabel(text)
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def action_button(text: str, name: str, slot: Callable[[], object]) -> ActionButton:
    button = ActionButton(text)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button


def button_row(*widgets: QWidget) -> QHBoxLayout:
    """``widgets`` side by side from the left."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
