"""The table view of deployment tokens, with rotate and trash buttons in each visible row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QFontDatabase,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QTableView,
    QToolButton,
    QWidget,
)

from ui import resources
from ui.models.tokens import DELETE_TOKEN, HEADERS, ROTATE_TOKEN, Column, TokenTableModel
from ui.relative_time import left, relative
from ui.translated import arg

# What a narrow window goes without, first to last: who made a token matters least, when
# it was last used most (it says whether revoking breaks a pipeline).
_DROPPED_FIRST = (Column.CREATED_BY, Column.CREATED, Column.LAST_USED)

# Buttons exist for the rows on screen and this many either side: a project with 50,000
# tokens gets a few dozen widgets, not 50,000.
BUTTON_MARGIN_ROWS = 3


def is_menu_key(event: QKeyEvent) -> bool:
    """The Menu key or Shift+F10: the keyboard's right click. Not every platform turns
    them into a context-menu event (X11 never does for Shift+F10), so views listen for
    the keys themselves."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return (event.key() == Qt.Key.Key_Menu and modifiers == Qt.KeyboardModifier.NoModifier) or (
        event.key() == Qt.Key.Key_F10 and modifiers == Qt.KeyboardModifier.ShiftModifier
    )


def menu_place(view: QAbstractItemView, event: QContextMenuEvent) -> tuple[QModelIndex, QPoint]:
    """The cell a context-menu event is about, and the global point its menu opens at.

    From the mouse: the cell under the pointer (the event comes through the viewport, in
    its coordinates). From the keyboard: the current cell, with the menu just below it.
    Qt places a keyboard event at the view's input-method cursor, in the coordinates of
    the view itself, header included: read as a viewport position it lands on the next
    row, or on none below the last.
    """
    if event.reason() == QContextMenuEvent.Reason.Keyboard:
        return current_menu_place(view)
    return view.indexAt(event.pos()), view.viewport().mapToGlobal(event.pos())


def current_menu_place(view: QAbstractItemView) -> tuple[QModelIndex, QPoint]:
    """The current cell (scrolled into view) and the global point below it where its
    context menu opens, beside the row it acts on rather than at the mouse pointer."""
    index = view.currentIndex()
    if not index.isValid():
        return index, QPoint()
    view.scrollTo(index)
    return index, view.viewport().mapToGlobal(view.visualRect(index).bottomLeft())


class TokenTableView(QTableView):
    """Shows a TokenTableModel; asks for rotation or deletion by token id, from a click,
    the context menu or the keyboard (Ctrl+R, Delete).

    The rotate and trash buttons are real QToolButtons (tooltips and accessible names
    "Rotate token" and "Delete token"), created only for the rows near the viewport.
    """

    delete_requested = Signal(int)
    rotate_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenTable")
        self.setAccessibleName(self.tr("Deployment tokens"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        # Tab leaves the table instead of walking its cells, as in a form.
        self.setTabKeyNavigation(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        # contextMenuEvent, not customContextMenuRequested: a keyboard request and a
        # mouse one arrive in different coordinates, and only the event says which it is.
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.verticalHeader().setVisible(False)
        self.verticalScrollBar().valueChanged.connect(self.sync_action_buttons)
        # A new order starts from its top, as GitHub's and GitLab's lists do. (Connected
        # before the view's own sorting, so it runs first: the reload then keeps it.)
        self.horizontalHeader().sortIndicatorChanged.connect(self.scrollToTop)
        # A click that reaches the cell itself (an assistive tool or a synthetic click on
        # the viewport) deletes too; a real click lands on the button and not here.
        self.clicked.connect(self._cell_clicked)
        self._buttons: list[QPersistentModelIndex] = []
        # The widths of the columns fit_columns hid, to give them back.
        self._widths: dict[int, int] = {}

    def setModel(self, model: object) -> None:
        old = self.model()
        if isinstance(old, TokenTableModel):
            for signal in (old.rowsInserted, old.rowsRemoved, old.modelReset, old.layoutChanged):
                signal.disconnect(self.sync_action_buttons)
            old.dataChanged.disconnect(self.sync_rotate_buttons)
        super().setModel(model)  # type: ignore[arg-type]
        self._buttons = []
        if isinstance(model, TokenTableModel):
            for signal in (
                model.rowsInserted,
                model.rowsRemoved,
                model.modelReset,
                model.layoutChanged,
            ):
                signal.connect(self.sync_action_buttons)
            model.dataChanged.connect(self.sync_rotate_buttons)
            self._configure_columns()
            self.sync_action_buttons()

    def token_model(self) -> TokenTableModel | None:
        model = self.model()
        return model if isinstance(model, TokenTableModel) else None

    def current_token_id(self) -> int | None:
        model = self.token_model()
        index = self.currentIndex()
        if model is None or not index.isValid() or not self.selectionModel().isSelected(index):
            return None
        return model.record(index.row()).id

    # Keyboard and mouse

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() in (
            Qt.Key.Key_Delete,
            Qt.Key.Key_Backspace,
        ):
            token_id = self.current_token_id()
            if token_id is not None and self.state() != QAbstractItemView.State.EditingState:
                self.delete_requested.emit(token_id)
                event.accept()
                return
        if event.matches(QKeySequence.StandardKey.Refresh) or (
            event.key() == Qt.Key.Key_R and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            token_id = self.current_token_id()
            if token_id is not None and self.state() != QAbstractItemView.State.EditingState:
                self.rotate_requested.emit(token_id)
                event.accept()
                return
        if is_menu_key(event) and self.state() != QAbstractItemView.State.EditingState:
            self._show_context_menu(*current_menu_place(self))
            event.accept()
            return
        super().keyPressEvent(event)

    def context_menu(self, row: int) -> QMenu:
        """The actions on one token: Rename (F2), Rotate… (Ctrl+R), Delete token… (Delete)."""
        model = self.token_model()
        assert model is not None, "a context menu needs a model"
        token_id = model.record(row).id
        name_cell = QPersistentModelIndex(model.index(row, Column.NAME))
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        rename = menu.addAction(self.tr("Rename"))
        rename.setShortcut(QKeySequence(Qt.Key.Key_F2))
        rename.triggered.connect(lambda: self.edit(model.index(name_cell.row(), Column.NAME)))
        rotate = menu.addAction(resources.icon("rotate"), self.tr("Rotate…"))
        rotate.setShortcut(QKeySequence("Ctrl+R"))
        rotate.triggered.connect(lambda: self.rotate_requested.emit(token_id))
        # A rotated or expired token cannot be rotated: the action says why. (Ctrl+R
        # still opens the dialog, which says it too, for a keyboard user.)
        refusal = model.rotation_refusal(row)
        rotate.setEnabled(refusal is None)
        rotate.setToolTip(refusal or _tr(ROTATE_TOKEN))
        menu.setToolTipsVisible(True)
        delete = menu.addAction(resources.icon("trash"), self.tr("Delete token…"))
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.triggered.connect(lambda: self.delete_requested.emit(token_id))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self._show_context_menu(*menu_place(self, event))
        event.accept()

    def _show_context_menu(self, index: QModelIndex, where: QPoint) -> None:
        """Open the menu of ``index``'s row at ``where`` (global), making it the selected
        row: the menu's Delete token… and the Delete key must mean the same token."""
        if self.token_model() is None or not index.isValid():
            return
        self.setCurrentIndex(index)
        self.selectRow(index.row())
        self.context_menu(index.row()).popup(where)

    def _cell_clicked(self, index: QModelIndex) -> None:
        model = self.token_model()
        if model is not None and index.isValid() and index.column() == Column.ACTIONS:
            self.delete_requested.emit(model.record(index.row()).id)

    # The trash buttons

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()
        self.sync_action_buttons()

    def fit_columns(self) -> None:
        """Hide the columns a narrow window has no room for, least needed first, so the
        Actions column with the trash icon stays in view without a horizontal scroll
        (the spec's "click the trash icon" must not need a scroll first)."""
        header = self.horizontalHeader()
        room = self.viewport().width()
        # Name keeps room for about thirty characters: pipelines' token names are long
        # ("GitHub Actions: production deploy"), and a name is what a row is found by.
        needed = 30 * self.fontMetrics().averageCharWidth()
        for column in range(header.count()):
            if column != Column.NAME and column not in _DROPPED_FIRST:
                needed += self.columnWidth(column) or header.sectionSizeHint(column)
        for column in reversed(_DROPPED_FIRST):
            width = self._widths.get(column) or self.columnWidth(column)
            fits = needed + width <= room
            if fits:
                needed += width
            if self.isColumnHidden(column) == fits:
                if not fits:
                    self._widths[column] = self.columnWidth(column)
                self.setColumnHidden(column, not fits)
                if fits:
                    self.setColumnWidth(column, width)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.sync_action_buttons()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if resources.is_palette_change(event):
            if (model := self.token_model()) is not None:
                model.update_icons()
            for index in self._buttons:
                if (button := self.action_button(index.row())) is not None:
                    button.setIcon(resources.icon("trash"))
                if (button := self.rotate_button(index.row())) is not None:
                    button.setIcon(resources.icon("rotate"))

    def sync_action_buttons(self) -> None:
        """Give the rows near the viewport a trash button and take it from the others."""
        model = self.token_model()
        if model is None:
            return
        rows = model.rowCount()
        self._buttons = [index for index in self._buttons if index.isValid()]
        if rows == 0:
            return
        first = self.rowAt(0)
        last = self.rowAt(self.viewport().height() - 1)
        first = 0 if first < 0 else first
        last = rows - 1 if last < 0 else last
        wanted = range(max(0, first - BUTTON_MARGIN_ROWS), min(rows, last + BUTTON_MARGIN_ROWS + 1))
        keep: list[QPersistentModelIndex] = []
        for index in self._buttons:
            if index.row() in wanted:
                keep.append(index)
            else:
                self.setIndexWidget(model.index(index.row(), index.column()), None)  # type: ignore[arg-type]
        have = {index.row() for index in keep}
        icons = None
        for row in wanted:
            if row not in have:
                # Looked up once per sync, not per button: each lookup reads the palette.
                icons = icons or (resources.icon("rotate"), resources.icon("trash"))
                cell = model.index(row, Column.ACTIONS)
                self.setIndexWidget(cell, self._action_buttons(model.record(row).id, icons))
                keep.append(QPersistentModelIndex(cell))
        self._buttons = keep
        self.sync_rotate_buttons()

    def sync_rotate_buttons(self, *_changed: object) -> None:
        """Enable each shown row's rotate button only when the token can be rotated,
        with the reason as its tooltip: a token expires, or is rotated elsewhere, while
        it is shown (the model's hourly refresh and reloads call this through
        dataChanged)."""
        model = self.token_model()
        if model is None:
            return
        for index in self._buttons:
            if index.isValid() and (button := self.rotate_button(index.row())) is not None:
                refusal = model.rotation_refusal(index.row())
                button.setEnabled(refusal is None)
                button.setToolTip(refusal or _tr(ROTATE_TOKEN))
                button.setAccessibleDescription(refusal or "")

    def action_button(self, row: int) -> QToolButton | None:
        """The trash button of ``row``, when that row is near the viewport."""
        return self._row_button(row, "deleteTokenButton")

    def rotate_button(self, row: int) -> QToolButton | None:
        """The rotate button of ``row``, when that row is near the viewport."""
        return self._row_button(row, "rotateTokenButton")

    def _row_button(self, row: int, name: str) -> QToolButton | None:
        model = self.token_model()
        if model is None:
            return None
        cell = self.indexWidget(model.index(row, Column.ACTIONS))
        return None if cell is None else cell.findChild(QToolButton, name)

    def _action_buttons(self, token_id: int, icons: tuple[QIcon, QIcon]) -> QWidget:
        cell = QWidget()
        layout = QHBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for name, icon, label, signal in (
            ("rotateTokenButton", icons[0], _tr(ROTATE_TOKEN), self.rotate_requested),
            ("deleteTokenButton", icons[1], _tr(DELETE_TOKEN), self.delete_requested),
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

    def hidden_columns(self) -> list[int]:
        return [c for c in range(self.horizontalHeader().count()) if self.isColumnHidden(c)]

    def _configure_columns(self) -> None:
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        # Names that share a long beginning ("GitLab CI deploy job for tenant …") differ
        # at the end: cut them in the middle, and the whole name is in the tooltip.
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        for column in (
            Column.TOKEN,
            Column.CREATED,
            Column.LAST_USED,
            Column.EXPIRES,
            Column.CREATED_BY,
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.ACTIONS, QHeaderView.ResizeMode.Fixed)
        # Each column as wide as its longest usual text and a little air; Name takes the
        # rest, so the whole table fits a narrow window without a horizontal scroll.
        metrics = self.fontMetrics()
        air = 2 * metrics.averageCharWidth() + 4
        preview = QFontMetrics(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setColumnWidth(Column.TOKEN, preview.horizontalAdvance("mldt_…WWWW") + air)
        # The usual longest texts, in the user's language: "11 months ago", "Retiring,
        # 23 hours left".
        now = datetime.now(UTC)
        long_ago = relative(now - timedelta(days=330), now)
        retiring = arg(
            QCoreApplication.translate("TokenTableModel", "Retiring, %1 left"),
            left(now + timedelta(hours=23), now),
        )
        for column in (Column.CREATED, Column.LAST_USED):
            width = max(
                metrics.horizontalAdvance(long_ago),
                metrics.horizontalAdvance(_tr(HEADERS[Column(column)])) + 12,
            )
            self.setColumnWidth(column, width + air)
        # The warning icon sits before the text of the tokens that need attention.
        self.setColumnWidth(Column.EXPIRES, metrics.horizontalAdvance(retiring) + 20 + air)
        self.setColumnWidth(Column.CREATED_BY, metrics.horizontalAdvance("release-bot") + air)
        actions = _tr(HEADERS[Column.ACTIONS])
        self.setColumnWidth(Column.ACTIONS, max(metrics.horizontalAdvance(actions) + air, 60))
        name = _tr(HEADERS[Column.NAME])
        header.setMinimumSectionSize(metrics.horizontalAdvance(name) + air)


def _tr(source: str) -> str:
    """A text the token model marked for lupdate, in the user's language."""
    return QCoreApplication.translate("TokenTableModel", source)
