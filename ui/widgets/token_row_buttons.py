"""The rotate and trash buttons in the Actions cell of a token table's rows.

They are real QToolButtons (tooltips and accessible names "Rotate token" and "Delete
token"), made only for the rows on screen and a few either side: a project with 50,000
tokens gets a few dozen widgets, not 50,000.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from ui import resources
from ui.models.tokens import DELETE_TOKEN, ROTATE_TOKEN, Column

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ui.widgets.token_table import TokenTableView

# Buttons exist for the rows on screen and this many either side.
BUTTON_MARGIN_ROWS = 3
# The buttons' object names, as tests find them.
ROTATE_BUTTON = "rotateTokenButton"
DELETE_BUTTON = "deleteTokenButton"


class TokenRowButtons(QObject):
    """The buttons of ``view``'s rows near its viewport; a click asks ``view`` to rotate
    or delete the row's token (``rotate_requested``, ``delete_requested``)."""

    def __init__(self, view: TokenTableView) -> None:
        super().__init__(view)
        self._view = view
        # The Actions cells that hold buttons.
        self._cells: list[QPersistentModelIndex] = []

    def forget(self) -> None:
        """The view has a new model: none of its cells holds a button yet."""
        self._cells = []

    def sync(self) -> None:
        """Give the rows near the viewport their buttons and take them from the others."""
        view = self._view
        model = view.token_model()
        if model is None:
            return
        rows = model.rowCount()
        self._cells = [index for index in self._cells if index.isValid()]
        if rows == 0:
            return
        first = view.rowAt(0)
        last = view.rowAt(view.viewport().height() - 1)
        first = 0 if first < 0 else first
        last = rows - 1 if last < 0 else last
        wanted = range(max(0, first - BUTTON_MARGIN_ROWS), min(rows, last + BUTTON_MARGIN_ROWS + 1))
        keep: list[QPersistentModelIndex] = []
        for index in self._cells:
            if index.row() in wanted:
                keep.append(index)
            else:
                view.setIndexWidget(model.index(index.row(), index.column()), None)  # type: ignore[arg-type]
        have = {index.row() for index in keep}
        icons = None
        for row in wanted:
            if row not in have:
                # Looked up once per sync, not per button: each lookup reads the palette.
                icons = icons or (resources.icon("rotate"), resources.icon("trash"))
                cell = model.index(row, Column.ACTIONS)
                view.setIndexWidget(cell, self._buttons_cell(model.record(row).id, icons))
                keep.append(QPersistentModelIndex(cell))
        self._cells = keep
        self.sync_enabled()

    def sync_enabled(self) -> None:
        """Enable each shown row's rotate button only when the token can be rotated,
        with the reason as its tooltip: a token expires, or is rotated elsewhere, while
        it is shown (the model's hourly refresh and reloads call this through
        dataChanged); and its trash button only when this role may delete tokens."""
        model = self._view.token_model()
        if model is None:
            return
        write_refusal = self._view.write_refusal()
        for index in self._cells:
            if not index.isValid():
                continue
            if (button := self.rotate_button(index.row())) is not None:
                refusal = write_refusal or model.rotation_refusal(index.row())
                button.setEnabled(refusal is None)
                button.setToolTip(refusal or _tr(ROTATE_TOKEN))
                button.setAccessibleDescription(refusal or "")
            if (button := self.delete_button(index.row())) is not None:
                button.setEnabled(write_refusal is None)
                button.setToolTip(write_refusal or _tr(DELETE_TOKEN))
                button.setAccessibleDescription(write_refusal or "")

    def update_icons(self) -> None:
        """Draw the buttons' icons again, in the palette's colours (dark mode came on)."""
        for index in self._cells:
            if (button := self.delete_button(index.row())) is not None:
                button.setIcon(resources.icon("trash"))
            if (button := self.rotate_button(index.row())) is not None:
                button.setIcon(resources.icon("rotate"))

    def delete_button(self, row: int) -> QToolButton | None:
        """The trash button of ``row``, when that row is near the viewport."""
        return self._button(row, DELETE_BUTTON)

    def rotate_button(self, row: int) -> QToolButton | None:
        """The rotate button of ``row``, when that row is near the viewport."""
        return self._button(row, ROTATE_BUTTON)

    def _button(self, row: int, name: str) -> QToolButton | None:
        model = self._view.token_model()
        if model is None:
            return None
        cell = self._view.indexWidget(model.index(row, Column.ACTIONS))
        return None if cell is None else cell.findChild(QToolButton, name)

    def _buttons_cell(self, token_id: int, icons: tuple[QIcon, QIcon]) -> QWidget:
        cell = QWidget()
        layout = QHBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for name, icon, label, signal in (
            (ROTATE_BUTTON, icons[0], _tr(ROTATE_TOKEN), self._view.rotate_requested),
            (DELETE_BUTTON, icons[1], _tr(DELETE_TOKEN), self._view.delete_requested),
        ):
            button = QToolButton()
            button.setObjectName(name)
            button.setIcon(icon)
            button.setIconSize(QSize(16, 16))
            button.setAutoRaise(True)
            button.setToolTip(label)
            button.setAccessibleName(label)
            # The keyboard and the context menu reach them; a focusable button per row
            # would make Tab walk every row of the table.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, s=signal: s.emit(token_id))
            layout.addWidget(button)
        layout.addStretch(1)
        return cell


def _tr(source: str) -> str:
    """A text the token model marked for lupdate, in the user's language."""
    return QCoreApplication.translate("TokenTableModel", source)
