"""FocusedRowDelegate: a frame in the text colour around the current row, only while the
table has the keyboard focus (the token table and the project list use it)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView

from ui.widgets.focused_row import FOCUS_FRAME_WIDTH, FocusedRowDelegate


class Table(QTableView):
    """A table whose keyboard focus the test decides (offscreen, focus is the window
    manager's to give)."""

    focused = False

    def hasFocus(self) -> bool:
        return self.focused


def table(qtbot) -> Table:
    model = QStandardItemModel(3, 2)
    for row in range(3):
        for column in range(2):
            model.setItem(row, column, QStandardItem(""))
    view = Table()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegate(FocusedRowDelegate(view))
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)
    view.setCurrentIndex(model.index(1, 0))
    return view


def row_image(view: Table, row: int) -> QImage:
    image = view.viewport().grab().toImage()
    width = view.columnWidth(0) + view.columnWidth(1)
    return image.copy(QRect(0, view.rowViewportPosition(row), width, view.rowHeight(row)))


def test_the_current_row_is_framed_only_while_the_table_has_the_focus(qtbot):
    view = table(qtbot)
    plain = [row_image(view, row) for row in range(3)]
    view.focused = True
    view.viewport().update()
    framed = [row_image(view, row) for row in range(3)]
    assert framed[0] == plain[0]
    assert framed[2] == plain[2]
    assert framed[1] != plain[1]
    text = view.palette().color(QPalette.ColorRole.Text)
    current = framed[1]
    # The frame's top line runs across the row, in the text colour, 2 pixels thick.
    middle = current.width() // 2
    top = [QColor(current.pixel(middle, y)) for y in range(FOCUS_FRAME_WIDTH)]
    assert all(colour == text for colour in top), [c.name() for c in top]


def test_a_hidden_column_moves_the_frames_end_to_the_last_shown_one(qtbot):
    view = table(qtbot)
    view.setColumnHidden(1, True)
    view.focused = True
    view.viewport().update()
    current = row_image(view, 1)
    text = view.palette().color(QPalette.ColorRole.Text)
    right = view.columnWidth(0) - 1
    middle = current.height() // 2
    # Closed at both ends of the one shown column (a grid line may take its last pixel).
    assert any(QColor(current.pixel(x, middle)) == text for x in range(right - 3, right + 1))
    assert any(QColor(current.pixel(x, middle)) == text for x in range(4))


def test_a_row_sized_to_its_lines_has_room_for_the_frame_above_and_below(qtbot):
    """The pages' tables size wrapped rows to their contents: without this room the
    frame of the current row would be drawn over its first and last line of text."""
    view = table(qtbot)
    index = view.model().index(1, 0)
    view.model().setData(index, "OpenBao/Vault https://bao.example.com\nsecret/web (field token)")
    option = QStyleOptionViewItem()
    option.initFrom(view)
    plain = QStyledItemDelegate().sizeHint(option, index)
    framed = view.itemDelegate().sizeHint(option, index)
    assert framed.width() == plain.width()
    assert framed.height() >= plain.height() + 2 * (FOCUS_FRAME_WIDTH + 1)
