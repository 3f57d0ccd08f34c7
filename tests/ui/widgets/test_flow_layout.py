"""FlowLayout: items side by side while they fit, wrapped onto the next line when not."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QLabel, QWidget

from ui.widgets.flow_layout import FlowLayout, flow_group


class Fixed(QWidget):
    def __init__(self, width: int, height: int = 20) -> None:
        super().__init__()
        self._hint = QSize(width, height)

    def sizeHint(self) -> QSize:
        return self._hint

    def minimumSizeHint(self) -> QSize:
        return self._hint


def three_boxes(qtbot) -> tuple[QWidget, FlowLayout, list[Fixed]]:
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = FlowLayout(holder, spacing=10)
    layout.setContentsMargins(0, 0, 0, 0)
    boxes = [Fixed(100), Fixed(100), Fixed(100)]
    for box in boxes:
        layout.addWidget(box)
    return holder, layout, boxes


def test_items_sit_on_one_line_when_they_fit(qtbot):
    _, layout, boxes = three_boxes(qtbot)
    layout.setGeometry(QRect(0, 0, 320, 100))
    assert [box.geometry().topLeft().toTuple() for box in boxes] == [(0, 0), (110, 0), (220, 0)]
    assert layout.heightForWidth(320) == 20


def test_items_wrap_at_the_width_and_the_height_grows(qtbot):
    _, layout, boxes = three_boxes(qtbot)
    layout.setGeometry(QRect(0, 0, 250, 100))
    assert [box.geometry().topLeft().toTuple() for box in boxes] == [(0, 0), (110, 0), (0, 30)]
    assert layout.heightForWidth(250) == 50
    assert layout.heightForWidth(100) == 80  # one a line
    assert layout.hasHeightForWidth()


def test_hidden_items_take_no_place(qtbot):
    holder, layout, boxes = three_boxes(qtbot)
    holder.show()
    boxes[0].hide()
    layout.setGeometry(QRect(0, 0, 250, 100))
    assert boxes[1].geometry().topLeft().toTuple() == (0, 0)
    assert layout.heightForWidth(250) == 20


def test_the_minimum_is_the_widest_item_and_items_can_be_taken(qtbot):
    _, layout, boxes = three_boxes(qtbot)
    layout.addWidget(Fixed(150, 30))
    assert layout.minimumSize() == QSize(150, 30)
    assert layout.count() == 4
    assert layout.takeAt(0).widget() is boxes[0]
    assert layout.itemAt(3) is None
    assert layout.takeAt(3) is None


def test_a_group_keeps_a_label_and_its_field_together(qtbot):
    label, field = QLabel("Name:"), QLabel("field")
    group = flow_group(label, field)
    qtbot.addWidget(group)
    assert label.parentWidget() is group
    assert field.parentWidget() is group
    assert group.layout().count() == 2
