"""The table view of deployment tokens, with rotate and trash buttons in each visible row,
the columns the user chose (the header's context menu) and several rows selectable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSettings,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFocusEvent,
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
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QWidget,
)

from ui import resources
from ui.models.tokens import (
    DELETE_TOKEN,
    EXPIRED_TEXT,
    HEADERS,
    ROTATE_TOKEN,
    SORTABLE,
    Column,
    TokenTableModel,
)
from ui.relative_time import left, relative
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import TranslationContext, arg, counted
from ui.widgets.focused_row import FocusedRowDelegate

# The columns a user may hide or show (the header's context menu). Name, Token and
# Actions stay: the spec's path is "locate the token preview, click the trash icon".
HIDEABLE = (
    Column.CREATED,
    Column.LAST_USED,
    Column.EXPIRES,
    Column.EXPIRES_ON,
    Column.ENVIRONMENTS,
    Column.CREATED_BY,
)
# Shown until the user says otherwise.
SHOWN_BY_DEFAULT = frozenset(HIDEABLE) - {Column.EXPIRES_ON, Column.ENVIRONMENTS}
# QSettings key: the hideable columns shown, by name ("created,last_used,…"). Layout
# only, never a token.
COLUMNS_KEY = "tokenTable/shownColumns"
COLUMNS = QT_TRANSLATE_NOOP("TokenTableView", "Columns")
SELECT_EXPIRED = QT_TRANSLATE_NOOP("TokenTableView", "Select expired")
# The least a squeezed column keeps, in average characters beyond its header's text;
# Name keeps this many characters (it is cut in the middle, its tooltip has it whole).
_NAME_LEAST_CHARACTERS = 18

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


class TokenTableText(TranslationContext):
    """The context of the table's plural texts."""


def delete_many_text(count: int) -> str:
    """ "Delete 3 tokens…", the entry and button that revoke the selected tokens."""
    return counted(TokenTableText.tr("Delete %n token(s)…", "", count), count)


class _TokenDelegate(FocusedRowDelegate):
    """The focus frame; and names cut in the middle (they differ at the end), the other
    cells at the end ("3 months…", not "3 m…ago")."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if index.column() != Column.NAME:
            option.textElideMode = Qt.TextElideMode.ElideRight


class TokenTableView(QTableView):
    """Shows a TokenTableModel; asks for rotation or deletion by token id, from a click,
    the context menu or the keyboard (Ctrl+R, Delete).

    The rotate and trash buttons are real QToolButtons (tooltips and accessible names
    "Rotate token" and "Delete token"), created only for the rows near the viewport.

    Several rows can be selected (Shift, Ctrl): then Delete and the context menu ask to
    delete them all (``delete_many_requested``). The columns are the user's choice (the
    header's context menu, or Columns in the table's), the same at any width and row
    count: a narrow window squeezes them, then scrolls.
    """

    delete_requested = Signal(int)
    # The ids of the selected tokens, in row order (two or more).
    delete_many_requested = Signal(list)
    rotate_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenTable")
        self.setAccessibleName(self.tr("Deployment tokens"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Shift and Ctrl select several: expired tokens are cleaned up in one go.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # The current row is framed while the table has the keyboard focus.
        self.setItemDelegate(_TokenDelegate(self))
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
        header = self.horizontalHeader()
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        header.sortIndicatorChanged.connect(self.scrollToTop)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(
            lambda where: self.column_menu().popup(header.mapToGlobal(where))
        )
        header.sectionResized.connect(self._section_resized)
        # A click that reaches the cell itself (an assistive tool or a synthetic click on
        # the viewport) deletes too; a real click lands on the button and not here.
        self.clicked.connect(self._cell_clicked)
        self._buttons: list[QPersistentModelIndex] = []
        self._settings: QSettings | None = None
        self._shown = set(SHOWN_BY_DEFAULT)
        # Each column's width when there is room (measured in _configure_columns), the
        # least fit_columns squeezes it to, and the widths the user dragged.
        self._natural: dict[int, int] = {}
        self._least: dict[int, int] = {}
        self._dragged: dict[int, int] = {}
        self._fitting = False
        # Why this role may not rename, rotate or delete the tokens (None: it may).
        self._write_refusal: str | None = None

    def set_write_refusal(self, refusal: str | None) -> None:
        """Disable the rows' rotate and trash buttons and the menu's Rename, Rotate and
        Delete, saying why (renaming, rotating and deleting need manager), or enable
        them (None)."""
        self._write_refusal = refusal
        self.sync_rotate_buttons()

    def write_refusal(self) -> str | None:
        return self._write_refusal

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
            self._show_chosen_columns()
            self.sync_action_buttons()
        # The focus frame follows the current row (the delegate paints whole rows).
        self.selectionModel().currentRowChanged.connect(self.viewport().update)

    def token_model(self) -> TokenTableModel | None:
        model = self.model()
        return model if isinstance(model, TokenTableModel) else None

    def current_token_id(self) -> int | None:
        model = self.token_model()
        index = self.currentIndex()
        if model is None or not index.isValid() or not self.selectionModel().isSelected(index):
            return None
        return model.record(index.row()).id

    def selected_rows(self) -> list[int]:
        if self.token_model() is None:
            return []
        return sorted(index.row() for index in self.selectionModel().selectedRows())

    def selected_token_ids(self) -> list[int]:
        """The selected tokens, in row order."""
        model = self.token_model()
        if model is None:
            return []
        return [model.record(row).id for row in self.selected_rows()]

    def select_rows(self, rows: list[int]) -> None:
        """Select exactly ``rows``, the first of them current."""
        model = self.token_model()
        if model is None:
            return
        selection = self.selectionModel()
        selection.clearSelection()
        if not rows:
            return
        flags = QItemSelectionModel.SelectionFlag
        selection.setCurrentIndex(model.index(rows[0], Column.NAME), flags.NoUpdate)
        chosen = QItemSelection()
        for row in rows:
            chosen.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
        selection.select(chosen, flags.Select | flags.Rows)

    def select_expired(self) -> int:
        """Select every expired token (of those the filter shows), expired first: sorted
        by Expires, oldest first, and read until the first live one. Returns how many."""
        model = self.token_model()
        if model is None:
            return 0
        if model.sort_column() != Column.EXPIRES or model.sort_qt_order() != (
            Qt.SortOrder.AscendingOrder
        ):
            self.sortByColumn(Column.EXPIRES, Qt.SortOrder.AscendingOrder)
        root = QModelIndex()
        while model.canFetchMore(root) and len(model.expired_rows()) == model.rowCount():
            model.fetchMore(root)
        rows = model.expired_rows()
        self.select_rows(rows)
        if rows:
            self.scrollTo(model.index(rows[0], Column.NAME))
        return len(rows)

    # Keyboard and mouse

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() in (
            Qt.Key.Key_Delete,
            Qt.Key.Key_Backspace,
        ):
            selected = self.selected_token_ids()
            if len(selected) > 1 and self.state() != QAbstractItemView.State.EditingState:
                self.delete_many_requested.emit(selected)
                event.accept()
                return
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
            index, where = current_menu_place(self)
            if index.isValid():
                self._show_context_menu(index, where)
            else:  # no row yet: the menu of the table itself (Select expired, Columns)
                self._table_menu(QMenu(self)).popup(self.viewport().mapToGlobal(QPoint(0, 0)))
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()  # the current row's focus frame

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    def context_menu(self, row: int) -> QMenu:
        """The actions on one token: Rename (F2), Rotate… (Ctrl+R), Delete token… (Delete);
        on the selected tokens when ``row`` is one of several selected: Delete N tokens….
        Then the table's own: Select expired, Columns."""
        model = self.token_model()
        assert model is not None, "a context menu needs a model"
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        selected = self.selected_rows()
        if len(selected) > 1 and row in selected:
            ids = [model.record(r).id for r in selected]
            delete = menu.addAction(resources.icon("trash"), delete_many_text(len(ids)))
            delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
            delete.triggered.connect(lambda: self.delete_many_requested.emit(ids))
            self._refuse(delete, menu)
            return self._table_menu(menu)
        token_id = model.record(row).id
        name_cell = QPersistentModelIndex(model.index(row, Column.NAME))
        rename = menu.addAction(self.tr("Rename"))
        rename.setShortcut(QKeySequence(Qt.Key.Key_F2))
        rename.triggered.connect(lambda: self.edit(model.index(name_cell.row(), Column.NAME)))
        self._refuse(rename, menu)
        rotate = menu.addAction(resources.icon("rotate"), self.tr("Rotate…"))
        rotate.setShortcut(QKeySequence("Ctrl+R"))
        rotate.triggered.connect(lambda: self.rotate_requested.emit(token_id))
        # A rotated or expired token cannot be rotated: the action says why. (Ctrl+R
        # still opens the dialog, which says it too, for a keyboard user.)
        refusal = self._write_refusal or model.rotation_refusal(row)
        rotate.setEnabled(refusal is None)
        rotate.setToolTip(refusal or _tr(ROTATE_TOKEN))
        menu.setToolTipsVisible(True)
        delete = menu.addAction(resources.icon("trash"), self.tr("Delete token…"))
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.triggered.connect(lambda: self.delete_requested.emit(token_id))
        self._refuse(delete, menu)
        return self._table_menu(menu)

    def _refuse(self, action: QAction, menu: QMenu) -> None:
        """Disable a writing entry of ``menu``, saying why, when this role may not."""
        if self._write_refusal is not None:
            action.setEnabled(False)
            action.setToolTip(self._write_refusal)
            menu.setToolTipsVisible(True)

    def _table_menu(self, menu: QMenu) -> QMenu:
        """``menu`` with the table's own entries after a separator: Select expired, and
        Columns (the header's menu, which the keyboard cannot reach on the header)."""
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if menu.actions():
            menu.addSeparator()
        select = menu.addAction(self.tr(SELECT_EXPIRED))
        select.setObjectName("selectExpiredAction")
        select.triggered.connect(self.select_expired)
        columns = self.column_menu(menu)
        menu.addMenu(columns)
        return menu

    # The columns

    def set_settings(self, settings: QSettings | None) -> None:
        """Remember the column choices in ``settings`` (none: for this session only),
        and show the ones remembered there."""
        self._settings = settings
        self._shown = set(SHOWN_BY_DEFAULT)
        saved = None if settings is None else settings.value(COLUMNS_KEY)
        if isinstance(saved, str | list):
            names = saved.split(",") if isinstance(saved, str) else [str(n) for n in saved]
            by_name = {column.name.lower(): column for column in HIDEABLE}
            self._shown = {by_name[name] for name in names if name in by_name}
        self._show_chosen_columns()

    def shown_columns(self) -> list[int]:
        return [c for c in range(self.horizontalHeader().count()) if not self.isColumnHidden(c)]

    def column_menu(self, parent: QWidget | None = None) -> QMenu:
        """A checkable entry per column; Name, Token and Actions are always shown."""
        menu = QMenu(self.tr(COLUMNS), parent or self)
        menu.setObjectName("columnMenu")
        if parent is None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setToolTipsVisible(True)
        for column in Column:
            action = QAction(_tr(HEADERS[column]), menu)
            action.setCheckable(True)
            action.setChecked(column not in HIDEABLE or column in self._shown)
            if column not in HIDEABLE:
                action.setEnabled(False)
                action.setToolTip(self.tr("Always shown: tokens are found and deleted by it"))
            else:
                action.toggled.connect(lambda on, c=column: self.show_column(c, on))
            menu.addAction(action)
        return menu

    def show_column(self, column: Column, shown: bool) -> None:
        """Show or hide one of the ``HIDEABLE`` columns, and remember it."""
        if column not in HIDEABLE:
            return
        if shown:
            self._shown.add(column)
        else:
            self._shown.discard(column)
        if self._settings is not None:
            names = [c.name.lower() for c in HIDEABLE if c in self._shown]
            self._settings.setValue(COLUMNS_KEY, ",".join(names))
        self._show_chosen_columns()

    def _show_chosen_columns(self) -> None:
        if self.token_model() is None:
            return
        for column in HIDEABLE:
            self.setColumnHidden(column, column not in self._shown)
        self.fit_columns()
        self.sync_action_buttons()

    def _sort_indicator_changed(self, section: int, _order: Qt.SortOrder) -> None:
        """A click on a column that is no sort key (Environments, Actions) keeps the
        arrow where the rows' order is."""
        model = self.token_model()
        if model is None or section in SORTABLE:
            return
        header = self.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(model.sort_column(), model.sort_qt_order())
        header.blockSignals(False)
        header.viewport().update()

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and column != Column.NAME and new > 0:
            self._dragged[column] = new  # the user's width, kept as the window resizes

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self._show_context_menu(*menu_place(self, event))
        event.accept()

    def _show_context_menu(self, index: QModelIndex, where: QPoint) -> None:
        """Open the menu of ``index``'s row at ``where`` (global), making it the selected
        row unless it is one of several selected: the menu's Delete and the Delete key
        must mean the same tokens."""
        if self.token_model() is None or not index.isValid():
            return
        selected = self.selected_rows()
        if not (len(selected) > 1 and index.row() in selected):
            # One of several selected keeps them (the menu deletes them all); any other
            # row becomes the one selected.
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
        """Give the shown columns their widths: each its natural one (or the one the
        user dragged) when there is room, Name the rest; in a narrow window the others
        are squeezed toward their least (their text cut, whole in the tooltip), then the
        table scrolls. Which columns show never depends on the width or the row count:
        the room is reckoned as if the vertical scroll bar were always there."""
        if self.token_model() is None or not self._natural:
            return
        room = self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
        shown = [c for c in Column if c != Column.NAME and not self.isColumnHidden(c)]
        wanted = {c: self._dragged.get(c, self._natural[c]) for c in shown}
        least = {c: min(wanted[c], self._least.get(c, wanted[c])) for c in shown}
        excess = self._least[Column.NAME] + sum(wanted.values()) - room
        give = sum(wanted[c] - least[c] for c in shown)
        share = 0.0 if excess <= 0 or give <= 0 else min(1.0, excess / give)
        self._fitting = True
        try:
            for column in shown:
                width = wanted[column] - round((wanted[column] - least[column]) * share)
                if self.columnWidth(column) != width:
                    self.setColumnWidth(column, width)
        finally:
            self._fitting = False

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
        dataChanged); and its trash button only when this role may delete tokens."""
        model = self.token_model()
        if model is None:
            return
        for index in self._buttons:
            if not index.isValid():
                continue
            if (button := self.rotate_button(index.row())) is not None:
                refusal = self._write_refusal or model.rotation_refusal(index.row())
                button.setEnabled(refusal is None)
                button.setToolTip(refusal or _tr(ROTATE_TOKEN))
                button.setAccessibleDescription(refusal or "")
            if (button := self.action_button(index.row())) is not None:
                button.setEnabled(self._write_refusal is None)
                button.setToolTip(self._write_refusal or _tr(DELETE_TOKEN))
                button.setAccessibleDescription(self._write_refusal or "")

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
        """The columns not shown (the user's choice, never the window's width)."""
        return [c for c in range(self.horizontalHeader().count()) if self.isColumnHidden(c)]

    def _configure_columns(self) -> None:
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        # Names that share a long beginning ("GitLab CI deploy job for tenant …") differ
        # at the end: cut them in the middle, and the whole name is in the tooltip.
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        for column in Column:
            if column not in (Column.NAME, Column.ACTIONS):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.ACTIONS, QHeaderView.ResizeMode.Fixed)
        # Each column as wide as its longest usual text and a little air; Name takes the
        # rest. A narrow window squeezes them toward their headers (fit_columns).
        metrics = self.fontMetrics()
        air = 2 * metrics.averageCharWidth() + 4
        preview = QFontMetrics(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        natural = self._natural
        natural[Column.TOKEN] = preview.horizontalAdvance("mldt_…WWWW") + air
        # The usual longest texts, in the user's language: "11 months ago", "Retiring,
        # 23 hours left".
        now = datetime.now(UTC)
        long_ago = relative(now - timedelta(days=330), now)
        retiring = arg(
            QCoreApplication.translate("TokenTableModel", "Retiring, %1 left"),
            left(now + timedelta(hours=23), now),
        )
        for column in (Column.CREATED, Column.LAST_USED):
            natural[column] = (
                max(metrics.horizontalAdvance(long_ago), self._header_width(column)) + air
            )
        # The warning icon sits before the text of the tokens that need attention.
        natural[Column.EXPIRES] = metrics.horizontalAdvance(retiring) + 20 + air
        # A date as the user's locale writes it short, the longest of the year's.
        day = QLocale().toString(QDate(2026, 12, 30), QLocale.FormatType.ShortFormat)
        natural[Column.EXPIRES_ON] = (
            max(metrics.horizontalAdvance(day), self._header_width(Column.EXPIRES_ON)) + air
        )
        natural[Column.ENVIRONMENTS] = (
            max(
                metrics.horizontalAdvance("production, staging"),
                self._header_width(Column.ENVIRONMENTS),
            )
            + air
        )
        natural[Column.CREATED_BY] = (
            max(metrics.horizontalAdvance("release-bot"), self._header_width(Column.CREATED_BY))
            + air
        )
        natural[Column.ACTIONS] = max(self._header_width(Column.ACTIONS) - 12 + air, 60)
        # Squeezed, a column keeps its header readable, and Expires its icon and
        # "Expired"; Token and Actions are never cut.
        for column in Column:
            self._least[column] = (
                natural[column]
                if column in (Column.TOKEN, Column.ACTIONS)
                else self._header_width(column) + air
            )
        self._least[Column.EXPIRES] = max(
            self._least[Column.EXPIRES],
            metrics.horizontalAdvance(_tr(EXPIRED_TEXT)) + 20 + air,
        )
        self._least[Column.NAME] = _NAME_LEAST_CHARACTERS * metrics.averageCharWidth()
        for section, width in natural.items():
            self.setColumnWidth(section, self._dragged.get(section, width))
        name = _tr(HEADERS[Column.NAME])
        header.setMinimumSectionSize(metrics.horizontalAdvance(name) + air)

    def _header_width(self, column: Column) -> int:
        """A header's text and its sort arrow."""
        return self.fontMetrics().horizontalAdvance(_tr(HEADERS[column])) + 12


def _tr(source: str) -> str:
    """A text the token model marked for lupdate, in the user's language."""
    return QCoreApplication.translate("TokenTableModel", source)
