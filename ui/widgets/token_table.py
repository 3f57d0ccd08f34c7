"""The table view of deployment tokens, with rotate and trash buttons in each visible row
(``ui.widgets.token_row_buttons``), the columns the user chose (the header's context
menu, ``ui.widgets.token_columns``) and several rows selectable."""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMenu,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QWidget,
)

from ui import resources
from ui.models.tokens import ROTATE_TOKEN, SORTABLE, Column, TokenTableModel
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import TranslationContext, counted
from ui.widgets.focused_row import FocusedRowDelegate
from ui.widgets.token_columns import TokenColumns
from ui.widgets.token_row_buttons import TokenRowButtons

SELECT_EXPIRED = QT_TRANSLATE_NOOP("TokenTableView", "Select expired")


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
        # The header's menu chooses the columns; the user's widths are kept.
        self._columns = TokenColumns(self)
        self._columns.shown_changed.connect(self.sync_action_buttons)
        # A click that reaches the cell itself (an assistive tool or a synthetic click on
        # the viewport) deletes too; a real click lands on the button and not here.
        self.clicked.connect(self._cell_clicked)
        self._buttons = TokenRowButtons(self)
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
        self._buttons.forget()
        if isinstance(model, TokenTableModel):
            for signal in (
                model.rowsInserted,
                model.rowsRemoved,
                model.modelReset,
                model.layoutChanged,
            ):
                signal.connect(self.sync_action_buttons)
            model.dataChanged.connect(self.sync_rotate_buttons)
            self._columns.configure()
            self._columns.show_chosen()
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

    # The columns (ui.widgets.token_columns)

    def set_settings(self, settings: QSettings | None) -> None:
        """Remember the column choices in ``settings`` (none: for this session only),
        and show the ones remembered there."""
        self._columns.set_settings(settings)

    def shown_columns(self) -> list[int]:
        return [c for c in range(self.horizontalHeader().count()) if not self.isColumnHidden(c)]

    def hidden_columns(self) -> list[int]:
        """The columns not shown (the user's choice, never the window's width)."""
        return [c for c in range(self.horizontalHeader().count()) if self.isColumnHidden(c)]

    def column_menu(self, parent: QWidget | None = None) -> QMenu:
        """A checkable entry per column; Name, Token and Actions are always shown."""
        return self._columns.menu(parent)

    def show_column(self, column: Column, shown: bool) -> None:
        """Show or hide one of the hideable columns, and remember it."""
        self._columns.show_column(column, shown)

    def fit_columns(self) -> None:
        """Fit the shown columns to the table's width (see ``TokenColumns.fit``)."""
        self._columns.fit()

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

    # Size, visibility and palette; the row buttons (ui.widgets.token_row_buttons)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()
        self.sync_action_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.sync_action_buttons()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if resources.is_palette_change(event):
            if (model := self.token_model()) is not None:
                model.update_icons()
            self._buttons.update_icons()

    def sync_action_buttons(self) -> None:
        """Give the rows near the viewport their rotate and trash buttons, and take them
        from the others."""
        self._buttons.sync()

    def sync_rotate_buttons(self, *_changed: object) -> None:
        """Enable each shown row's buttons as its token and this role allow, saying why
        not in their tooltips (a token expires, or is rotated elsewhere, while shown)."""
        self._buttons.sync_enabled()

    def action_button(self, row: int) -> QToolButton | None:
        """The trash button of ``row``, when that row is near the viewport."""
        return self._buttons.delete_button(row)

    def rotate_button(self, row: int) -> QToolButton | None:
        """The rotate button of ``row``, when that row is near the viewport."""
        return self._buttons.rotate_button(row)


def _tr(source: str) -> str:
    """A text the token model marked for lupdate, in the user's language."""
    return QCoreApplication.translate("TokenTableModel", source)
