"""A frame around the current row of a table while the table has the keyboard focus."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView

# The frame's width: WCAG 2.2's focus appearance asks for at least a 2-pixel line.
FOCUS_FRAME_WIDTH = 2


class FocusedRowDelegate(QStyledItemDelegate):
    """Frames the current row while its table has the keyboard focus.

    Fusion and most other styles draw no focus frame on a selected row, so a table looks
    the same with and without the focus, and a current row that is not selected does not
    show at all. The frame is in the text colour: it shows on the selection's colour and
    on the plain rows alike, in a light palette and a dark one. The view repaints its
    viewport when the focus or the current row changes (``watch``).
    """

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Room for the frame above and below the text: a row sized to its contents (a
        wrapped cell's lines) would otherwise have its first and last line under it."""
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 2 * (FOCUS_FRAME_WIDTH + 1))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        view = self._view
        if not view.hasFocus() or index.row() != view.currentIndex().row():
            return
        header = view.horizontalHeader()
        shown = [
            header.logicalIndex(visual)
            for visual in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(visual))
        ]
        rect = option.rect
        half = FOCUS_FRAME_WIDTH // 2
        inner = rect.adjusted(half, half, -half, -half)
        painter.save()
        pen = QPen(option.palette.color(QPalette.ColorRole.Text))
        pen.setWidth(FOCUS_FRAME_WIDTH)
        pen.setCapStyle(Qt.PenCapStyle.SquareCap)
        painter.setPen(pen)
        first = bool(shown) and index.column() == shown[0]
        last = bool(shown) and index.column() == shown[-1]
        left = inner.left() if first else rect.left()
        right = inner.right() if last else rect.right()
        painter.drawLine(left, inner.top(), right, inner.top())
        painter.drawLine(left, inner.bottom(), right, inner.bottom())
        if first:
            painter.drawLine(inner.left(), inner.top(), inner.left(), inner.bottom())
        if last:
            painter.drawLine(inner.right(), inner.top(), inner.right(), inner.bottom())
        painter.restore()
